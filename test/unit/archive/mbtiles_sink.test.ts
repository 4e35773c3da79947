import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { tempDir } from '../../helpers/paths.js';
import { MbtilesSink } from '../../../src/archive/mbtiles/mbtiles_sink.js';
import { MbtilesSource } from '../../../src/archive/mbtiles/mbtiles_source.js';
import type { TilesetMetadata } from '../../../src/archive/tile_source.js';

const META: TilesetMetadata = {
  name: 'Grand Est', format: 'pbf', minzoom: 0, maxzoom: 14,
  bounds: [5.3, 47.4, 8.3, 50.2], center: [7.75, 48.58, 10],
  attribution: '© OpenStreetMap contributors', description: 'test', version: '3.15', type: 'baselayer',
  vector_layers: [{ id: 'water', fields: { class: 'String' }, minzoom: 0, maxzoom: 14 }],
};

describe('MbtilesSink', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = tempDir();
    out = path.join(dir, 'out.mbtiles');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function query<T>(sql: string, file = out): T[] {
    const db = new Database(file, { readonly: true });
    try { return db.prepare(sql).all() as T[]; } finally { db.close(); }
  }

  it('writes tiles that MbtilesSource reads back at the same XYZ address', async () => {
    const sink = MbtilesSink.create(out);
    sink.putTile(3, 2, 1, Buffer.from('a'));
    sink.putTile(3, 2, 6, Buffer.from('b'));
    sink.setMetadata(META);
    await sink.commit();
    const src = MbtilesSource.open(out);
    assert.equal((await src.getTile(3, 2, 1))?.data.toString(), 'a');
    assert.equal((await src.getTile(3, 2, 6))?.data.toString(), 'b');
    await src.close();
  });

  it('stores TMS rows', async () => {
    const sink = MbtilesSink.create(out);
    sink.putTile(3, 2, 1, Buffer.from('a'));
    await sink.commit();
    assert.deepEqual(query('SELECT zoom_level z, tile_column x, tile_row y FROM map'), [{ z: 3, x: 2, y: 6 }]);
  });

  it('stores identical tiles once', async () => {
    const sink = MbtilesSink.create(out);
    for (let x = 0; x < 8; x++) sink.putTile(3, x, 0, Buffer.from('ocean'));
    sink.putTile(3, 0, 1, Buffer.from('land'));
    await sink.commit();
    assert.deepEqual(query('SELECT (SELECT count(*) FROM map) m, (SELECT count(*) FROM images) i, (SELECT count(*) FROM tiles) t'), [{ m: 9, i: 2, t: 9 }]);
  });

  it('reports tile and unique counts', () => {
    const sink = MbtilesSink.create(out);
    sink.putTile(1, 0, 0, Buffer.from('x'));
    sink.putTile(1, 1, 0, Buffer.from('x'));
    const s = sink.stats();
    void sink.abort();
    assert.deepEqual([s.tiles, s.uniqueTiles, s.storedBytes], [2, 1, 1]);
  });

  it('creates map/images tables, a tiles view and unique indexes', async () => {
    const sink = MbtilesSink.create(out);
    sink.putTile(0, 0, 0, Buffer.from('a'));
    await sink.commit();
    const objs = query<{ type: string; name: string }>("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name");
    assert.deepEqual(objs.map((o) => `${o.type}:${o.name}`), ['table:images', 'index:images_id', 'table:map', 'index:map_index', 'table:metadata', 'index:name', 'view:tiles']);
  });

  it('writes the MBTiles 1.3 metadata keys with vector_layers in json', async () => {
    const sink = MbtilesSink.create(out);
    sink.setMetadata(META);
    await sink.commit();
    const kv = Object.fromEntries(query<{ name: string; value: string }>('SELECT name, value FROM metadata').map((r) => [r.name, r.value]));
    assert.deepEqual(kv, {
      name: 'Grand Est', format: 'pbf', minzoom: '0', maxzoom: '14', bounds: '5.3,47.4,8.3,50.2', center: '7.75,48.58,10',
      attribution: '© OpenStreetMap contributors', description: 'test', version: '3.15', type: 'baselayer',
      json: JSON.stringify({ vector_layers: META.vector_layers }),
    });
  });

  it('derives name, format and zooms when no metadata is set', async () => {
    const sink = MbtilesSink.create(out);
    sink.putTile(2, 0, 0, zlib.gzipSync(Buffer.from('mvt')));
    sink.putTile(5, 0, 0, zlib.gzipSync(Buffer.from('mvt2')));
    await sink.commit();
    const m = MbtilesSource.open(out).metadata();
    assert.deepEqual([m.name, m.format, m.minzoom, m.maxzoom], ['out', 'pbf', 2, 5]);
  });

  it('writes to a hidden temp file beside the output until commit', () => {
    const sink = MbtilesSink.create(out);
    sink.putTile(0, 0, 0, Buffer.from('a'));
    const names = fs.readdirSync(dir);
    void sink.abort();
    assert.deepEqual(names, [`.out.mbtiles.tmp-${process.pid}`]);
  });

  it('leaves an existing output untouched until commit, then replaces it', async () => {
    fs.writeFileSync(out, 'previous good archive');
    const sink = MbtilesSink.create(out);
    sink.putTile(0, 0, 0, Buffer.from('a'));
    assert.equal(fs.readFileSync(out, 'utf8'), 'previous good archive');
    await sink.commit();
    assert.equal((await MbtilesSource.open(out).getTile(0, 0, 0))?.data.toString(), 'a');
  });

  it('abort removes the temp file and keeps the existing output', async () => {
    fs.writeFileSync(out, 'previous good archive');
    const sink = MbtilesSink.create(out);
    sink.putTile(0, 0, 0, Buffer.from('a'));
    await sink.abort();
    assert.deepEqual(fs.readdirSync(dir), ['out.mbtiles']);
    assert.equal(fs.readFileSync(out, 'utf8'), 'previous good archive');
  });

  it('leaves the committed file in rollback-journal mode', async () => {
    const sink = MbtilesSink.create(out);
    sink.putTile(0, 0, 0, Buffer.from('a'));
    await sink.commit();
    const db = new Database(out);
    const mode = db.pragma('journal_mode', { simple: true });
    db.close();
    assert.equal(mode, 'delete');
  });

  it('keeps the last copy of a tile written twice', async () => {
    const sink = MbtilesSink.create(out);
    sink.putTile(1, 1, 1, Buffer.from('first'));
    sink.putTile(1, 1, 1, Buffer.from('second'));
    await sink.commit();
    assert.equal((await MbtilesSource.open(out).getTile(1, 1, 1))?.data.toString(), 'second');
  });

  it('rejects putTile after commit', async () => {
    const sink = MbtilesSink.create(out);
    await sink.commit();
    assert.throws(() => sink.putTile(0, 0, 0, Buffer.from('a')), { code: 'INTERNAL' });
  });

  it('rejects tiles outside the grid', () => {
    const sink = MbtilesSink.create(out);
    assert.throws(() => sink.putTile(2, 4, 0, Buffer.from('a')), { code: 'BAD_REQUEST' });
    void sink.abort();
  });

  it('writes 100k synthetic tiles at a useful rate @slow', async function () {
    const sink = MbtilesSink.create(out);
    const t0 = process.hrtime.bigint();
    let n = 0;
    for (let x = 0; x < 400; x++) {
      for (let y = 0; y < 250; y++) {
        // One tile in four is a shared "ocean" tile, as in real coastal extracts.
        const data = (x + y) % 4 === 0 ? Buffer.alloc(120, 7) : Buffer.from(`tile ${x} ${y} `.repeat(40));
        sink.putTile(14, 8400 + x, 5600 + y, data);
        n++;
      }
    }
    const tPut = Number(process.hrtime.bigint() - t0) / 1e9;
    await sink.commit();
    const total = Number(process.hrtime.bigint() - t0) / 1e9;
    const rate = Math.round(n / total);
    this.test!.title += ` (${rate} tiles/s overall, putTile ${Math.round(n / tPut)} tiles/s)`;
    assert.equal(query<{ c: number }>('SELECT count(*) c FROM tiles')[0].c, 100_000);
    assert.ok(rate > 10_000, `only ${rate} tiles/s`);
  });
});
