import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR, tempDir } from '../../helpers/paths.js';
import { openTileSource } from '../../../src/archive/open_tile_source.js';
import { openTileSink } from '../../../src/archive/open_tile_sink.js';
import { MbtilesSource } from '../../../src/archive/mbtiles/mbtiles_source.js';
import { PmtilesSource } from '../../../src/archive/pmtiles/pmtiles_source.js';
import { MbtilesSink } from '../../../src/archive/mbtiles/mbtiles_sink.js';
import { PmtilesSink } from '../../../src/archive/pmtiles/pmtiles_sink.js';

describe('openTileSource / openTileSink', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens .mbtiles as MBTiles', async () => {
    const s = await openTileSource(path.join(FIXTURES_DIR, 'mbtiles', 'plain_1.mbtiles'));
    await s.close();
    assert.ok(s instanceof MbtilesSource);
  });

  it('opens .pmtiles as PMTiles', async () => {
    const s = await openTileSource(path.join(FIXTURES_DIR, 'pmtiles', 'test_fixture_1.pmtiles'));
    await s.close();
    assert.ok(s instanceof PmtilesSource);
  });

  it('recognises a PMTiles archive by content whatever its extension', async () => {
    const file = path.join(dir, 'tiles.bin');
    fs.copyFileSync(path.join(FIXTURES_DIR, 'pmtiles', 'test_fixture_1.pmtiles'), file);
    const s = await openTileSource(file);
    await s.close();
    assert.ok(s instanceof PmtilesSource);
  });

  it('recognises an MBTiles archive by content whatever its extension', async () => {
    const file = path.join(dir, 'tiles.db');
    fs.copyFileSync(path.join(FIXTURES_DIR, 'mbtiles', 'plain_1.mbtiles'), file);
    const s = await openTileSource(file);
    await s.close();
    assert.ok(s instanceof MbtilesSource);
  });

  it('reports an empty .pmtiles through the PMTiles reader (BAD_INPUT)', async () => {
    await assert.rejects(openTileSource(path.join(FIXTURES_DIR, 'pmtiles', 'empty.pmtiles')), { code: 'BAD_INPUT' });
  });

  it('rejects a file that is neither archive', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'hello, this is not a tile archive');
    await assert.rejects(openTileSource(file), { code: 'UNSUPPORTED_FORMAT' });
  });

  it('refuses MBTiles over HTTP', async () => {
    await assert.rejects(openTileSource('http://127.0.0.1:9/x.mbtiles'), { code: 'UNSUPPORTED_FORMAT' });
  });

  it('creates the sink the extension names', async () => {
    const a = openTileSink(path.join(dir, 'a.mbtiles'));
    const b = openTileSink(path.join(dir, 'b.pmtiles'));
    await a.abort(); await b.abort();
    assert.deepEqual([a instanceof MbtilesSink, b instanceof PmtilesSink], [true, true]);
  });

  it('rejects an output with another extension', () => {
    assert.throws(() => openTileSink(path.join(dir, 'a.zip')), { code: 'UNSUPPORTED_FORMAT' });
  });
});
