import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { FIXTURES_DIR, tempDir } from '../../helpers/paths.js';
import { capturingLogger } from '../../helpers/capturing_logger.js';
import { MbtilesSource } from '../../../src/archive/mbtiles/mbtiles_source.js';
import { MbtilesSink } from '../../../src/archive/mbtiles/mbtiles_sink.js';

const FIX = path.join(FIXTURES_DIR, 'mbtiles');
const fixture = (name: string): string => path.join(FIX, name);

function rows(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try { return db.prepare(sql).all() as Record<string, unknown>[]; } finally { db.close(); }
}

describe('MbtilesSource', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('damaged and foreign files', () => {
    it('rejects a corrupt database with BAD_INPUT naming the file', () => {
      assert.throws(() => MbtilesSource.open(fixture('corrupt.mbtiles')), (e: Error & { code?: string }) =>
        e.code === 'BAD_INPUT' && e.message.includes('corrupt.mbtiles'));
    });

    it('rejects a file that is not SQLite with BAD_INPUT', () => {
      assert.throws(() => MbtilesSource.open(path.join(FIXTURES_DIR, 'pmtiles', 'test_fixture_1.pmtiles')), { code: 'BAD_INPUT' });
    });

    it('rejects a SQLite database without a tiles table with BAD_INPUT', () => {
      const file = path.join(dir, 'other.mbtiles');
      const db = new Database(file);
      db.exec('CREATE TABLE t (a)');
      db.close();
      assert.throws(() => MbtilesSource.open(file), /no `tiles` table/);
    });

    it('reports a missing file as NOT_FOUND', () => {
      assert.throws(() => MbtilesSource.open(path.join(dir, 'missing.mbtiles')), { code: 'NOT_FOUND' });
    });
  });

  describe('fixtures from node-mbtiles', () => {
    it('returns undefined for a tile whose data is NULL (corrupt_null_tile)', async () => {
      // The NULL row is z1, column 0, TMS row 0 → XYZ row 1.
      assert.equal(rows(fixture('corrupt_null_tile.mbtiles'), 'SELECT count(*) n FROM tiles WHERE zoom_level=1 AND tile_column=0 AND tile_row=0 AND tile_data IS NULL')[0].n, 1);
      const src = MbtilesSource.open(fixture('corrupt_null_tile.mbtiles'));
      assert.equal(await src.getTile(1, 0, 1), undefined);
      await src.close();
    });

    it('still serves the other tiles of corrupt_null_tile', async () => {
      const src = MbtilesSource.open(fixture('corrupt_null_tile.mbtiles'));
      assert.ok((await src.getTile(1, 0, 0))?.data.length);
      await src.close();
    });

    it('serves an unindexed archive with the same tiles as its indexed twin', async () => {
      const a = MbtilesSource.open(fixture('unindexed.mbtiles'));
      const b = MbtilesSource.open(fixture('plain_1.mbtiles'));
      for (const [z, x, y] of [[0, 0, 0], [2, 1, 3], [4, 7, 9]]) {
        assert.deepEqual(await a.getTile(z, x, y), await b.getTile(z, x, y));
      }
      await a.close(); await b.close();
    });

    it('warns that an unindexed archive will be slow', async () => {
      const lines: string[] = [];
      await MbtilesSource.open(fixture('unindexed.mbtiles'), { logger: capturingLogger(lines) }).close();
      assert.ok(lines.some((l) => /no index/.test(l)));
    });

    it('does not warn about an indexed archive', async () => {
      const lines: string[] = [];
      await MbtilesSource.open(fixture('plain_1.mbtiles'), { logger: capturingLogger(lines) }).close();
      assert.deepEqual(lines, []);
    });

    it('returns undefined where map rows point at missing images (some-empty-tiles)', async () => {
      const dangling = rows(fixture('some-empty-tiles.mbtiles'),
        'SELECT zoom_level z, tile_column x, tile_row y FROM map WHERE tile_id NOT IN (SELECT tile_id FROM images WHERE tile_id IS NOT NULL) OR tile_id IS NULL') as { z: number; x: number; y: number }[];
      assert.ok(dangling.length > 0);
      const src = MbtilesSource.open(fixture('some-empty-tiles.mbtiles'));
      for (const t of dangling) assert.equal(await src.getTile(t.z, t.x, (1 << t.z) - 1 - t.y), undefined);
      await src.close();
    });

    it('serves every tile of the view at the flipped row', async () => {
      const src = MbtilesSource.open(fixture('some-empty-tiles.mbtiles'));
      const all = rows(fixture('some-empty-tiles.mbtiles'), 'SELECT zoom_level z, tile_column x, tile_row y, tile_data d FROM tiles') as { z: number; x: number; y: number; d: Buffer }[];
      for (const t of all) assert.deepEqual((await src.getTile(t.z, t.x, (1 << t.z) - 1 - t.y))?.data, t.d);
      await src.close();
    });

    it('serves plain_3 (z4–8, grids tables present) at the flipped row', async () => {
      const [t] = rows(fixture('plain_3.mbtiles'), 'SELECT zoom_level z, tile_column x, tile_row y, tile_data d FROM tiles WHERE zoom_level = 8 LIMIT 1') as { z: number; x: number; y: number; d: Buffer }[];
      const src = MbtilesSource.open(fixture('plain_3.mbtiles'));
      assert.deepEqual((await src.getTile(t.z, t.x, (1 << t.z) - 1 - t.y))?.data, t.d);
      await src.close();
    });

    it('parses bounds to numbers and derives zooms and format when metadata lacks them (plain_1)', () => {
      const m = MbtilesSource.open(fixture('plain_1.mbtiles')).metadata();
      assert.deepEqual([m.bounds, m.minzoom, m.maxzoom, m.format], [[-179.9999999749438, -69.99999999526695, 179.9999999749438, 84.99999999782301], 0, 4, 'png']);
    });

    it('keeps a json value without vector_layers in extra (plain_1)', () => {
      const m = MbtilesSource.open(fixture('plain_1.mbtiles')).metadata();
      assert.deepEqual([m.vector_layers, JSON.parse(m.extra!.json)], [undefined, { level1: { level2: 'property' }, version: '2.0.0' }]);
    });

    it('reads center and explicit zooms (geocoder_data)', () => {
      const m = MbtilesSource.open(fixture('geocoder_data.mbtiles')).metadata();
      assert.deepEqual([m.center, m.minzoom, m.maxzoom], [[-74, 40.75, 8], 8, 8]);
    });

    it('reports PNG tiles as identity-encoded', async () => {
      const t = await MbtilesSource.open(fixture('plain_2.mbtiles')).getTile(0, 0, 0);
      assert.deepEqual([t?.encoding, t?.data.subarray(1, 4).toString()], ['identity', 'PNG']);
    });
  });

  describe('archives written here', () => {
    async function write(file: string, tiles: [number, number, number, Buffer][], json?: object): Promise<void> {
      const sink = MbtilesSink.create(file);
      for (const [z, x, y, d] of tiles) sink.putTile(z, x, y, d);
      sink.setMetadata({ name: 't', format: 'pbf', minzoom: 0, maxzoom: 14, ...(json ?? {}) });
      await sink.commit();
    }

    it('detects gzip tiles from their magic bytes', async () => {
      const file = path.join(dir, 'a.mbtiles');
      await write(file, [[0, 0, 0, zlib.gzipSync(Buffer.from('x'))]]);
      assert.equal((await MbtilesSource.open(file).getTile(0, 0, 0))?.encoding, 'gzip');
    });

    it('parses vector_layers from the json metadata', async () => {
      const file = path.join(dir, 'a.mbtiles');
      const vector_layers = [{ id: 'water', fields: { class: 'String' }, minzoom: 0, maxzoom: 14 }];
      await write(file, [], { vector_layers });
      assert.deepEqual(MbtilesSource.open(file).metadata().vector_layers, vector_layers);
    });

    it('reads a plain tiles table (no view)', async () => {
      const file = path.join(dir, 'plain.mbtiles');
      const db = new Database(file);
      db.exec('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)');
      db.prepare('INSERT INTO tiles VALUES (2, 1, 0, ?)').run(Buffer.from('south'));
      db.close();
      assert.equal((await MbtilesSource.open(file).getTile(2, 1, 3))?.data.toString(), 'south');
    });

    it('returns undefined outside the grid', async () => {
      const file = path.join(dir, 'a.mbtiles');
      await write(file, [[0, 0, 0, Buffer.from('x')]]);
      assert.equal(await MbtilesSource.open(file).getTile(1, 2, 0), undefined);
    });

    it('changes version when the file is replaced by rename', async () => {
      const file = path.join(dir, 'a.mbtiles');
      await write(file, [[0, 0, 0, Buffer.from('old')]]);
      const src = MbtilesSource.open(file);
      const v1 = src.version();
      await write(file, [[0, 0, 0, Buffer.from('new')]]);
      src.reopenIfChanged();
      assert.notEqual(src.version(), v1);
      await src.close();
    });

    it('serves the replacement after reopenIfChanged', async () => {
      const file = path.join(dir, 'a.mbtiles');
      await write(file, [[0, 0, 0, Buffer.from('old')]]);
      const src = MbtilesSource.open(file);
      await write(file, [[0, 0, 0, Buffer.from('new')]]);
      assert.equal(src.reopenIfChanged(), true);
      assert.equal((await src.getTile(0, 0, 0))?.data.toString(), 'new');
      await src.close();
    });

    it('does not reopen an unchanged file', async () => {
      const file = path.join(dir, 'a.mbtiles');
      await write(file, [[0, 0, 0, Buffer.from('old')]]);
      const src = MbtilesSource.open(file);
      assert.equal(src.reopenIfChanged(), false);
      await src.close();
    });

    it('keeps serving the old archive when the replacement is corrupt', async () => {
      const file = path.join(dir, 'a.mbtiles');
      await write(file, [[0, 0, 0, Buffer.from('old')]]);
      const src = MbtilesSource.open(file);
      fs.copyFileSync(fixture('corrupt.mbtiles'), path.join(dir, 'tmp'));
      fs.renameSync(path.join(dir, 'tmp'), file);
      assert.throws(() => src.reopenIfChanged(), { code: 'BAD_INPUT' });
      assert.equal((await src.getTile(0, 0, 0))?.data.toString(), 'old');
      await src.close();
    });

    it('refuses reads after close', async () => {
      const file = path.join(dir, 'a.mbtiles');
      await write(file, [[0, 0, 0, Buffer.from('x')]]);
      const src = MbtilesSource.open(file);
      await src.close();
      await assert.rejects(src.getTile(0, 0, 0), { code: 'INTERNAL' });
    });
  });
});
