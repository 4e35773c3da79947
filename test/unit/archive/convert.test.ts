import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { FIXTURES_DIR, tempDir } from '../../helpers/paths.js';
import { convertArchive } from '../../../src/archive/convert.js';
import { MbtilesSink } from '../../../src/archive/mbtiles/mbtiles_sink.js';
import { MbtilesSource } from '../../../src/archive/mbtiles/mbtiles_source.js';
import { PmtilesSink } from '../../../src/archive/pmtiles/pmtiles_sink.js';
import { PmtilesSource } from '../../../src/archive/pmtiles/pmtiles_source.js';
import type { TileEntry, TileSink, TileSource } from '../../../src/archive/tile_source.js';

async function all(src: TileSource): Promise<Map<string, Buffer>> {
  const m = new Map<string, Buffer>();
  for await (const e of src.tiles!()) m.set(`${e.z}/${e.x}/${e.y}`, e.tile.data);
  return m;
}

describe('convertArchive', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('copies an MBTiles fixture to PMTiles with every tile identical', async () => {
    const src = MbtilesSource.open(path.join(FIXTURES_DIR, 'mbtiles', 'plain_1.mbtiles'));
    const out = path.join(dir, 'p.pmtiles');
    await convertArchive({ source: src, sink: new PmtilesSink(out) });
    const back = await PmtilesSource.open(out);
    const [a, b] = [await all(src), await all(back)];
    await src.close(); await back.close();
    assert.equal(b.size, a.size);
    for (const [k, v] of a) assert.ok(b.get(k)?.equals(v), `tile ${k} differs`);
  });

  it('copies a PMTiles fixture to MBTiles with every tile identical', async () => {
    const src = await PmtilesSource.open(path.join(FIXTURES_DIR, 'pmtiles', 'stamen_toner_z3.pmtiles'));
    const out = path.join(dir, 'm.mbtiles');
    await convertArchive({ source: src, sink: new MbtilesSink(out) });
    const back = MbtilesSource.open(out);
    const [a, b] = [await all(src), await all(back)];
    await src.close(); await back.close();
    assert.equal(a.size, 85);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [k, v] of a) assert.ok(b.get(k)?.equals(v), `tile ${k} differs`);
  });

  it('carries metadata across (vector_layers, attribution, zooms)', async () => {
    const mb = path.join(dir, 'a.mbtiles');
    const sink = new MbtilesSink(mb);
    sink.putTile(2, 1, 1, zlib.gzipSync(Buffer.from([0x1a, 0])));
    const vector_layers = [{ id: 'water', fields: { class: 'String' }, minzoom: 0, maxzoom: 2 }];
    sink.setMetadata({ name: 'ge', format: 'pbf', minzoom: 0, maxzoom: 2, attribution: 'OSM', vector_layers });
    await sink.commit();
    const out = path.join(dir, 'a.pmtiles');
    await convertArchive({ source: MbtilesSource.open(mb), sink: new PmtilesSink(out) });
    const m = (await PmtilesSource.open(out)).metadata();
    assert.deepEqual([m.name, m.attribution, m.minzoom, m.maxzoom, m.vector_layers], ['ge', 'OSM', 0, 2, vector_layers]);
  });

  it('aborts the sink when the source fails mid-way', async () => {
    let aborted = false;
    let committed = false;
    const sink: TileSink = { putTile() {}, setMetadata() {}, async commit() { committed = true; }, async abort() { aborted = true; } };
    const source: TileSource = {
      metadata: () => ({ name: 'x', format: 'pbf', minzoom: 0, maxzoom: 0 }),
      getTile: async () => undefined, version: () => '1', close: async () => {},
      async *tiles(): AsyncIterable<TileEntry> {
        yield { z: 0, x: 0, y: 0, tile: { data: Buffer.from('a'), encoding: 'identity' } };
        throw new Error('disk went away');
      },
    };
    await assert.rejects(convertArchive({ source, sink }), /disk went away/);
    assert.deepEqual([aborted, committed], [true, false]);
  });

  it('gzips vector tiles that the source stored raw', async () => {
    const got: Buffer[] = [];
    const sink: TileSink = { putTile(_z, _x, _y, d) { got.push(d); }, setMetadata() {}, async commit() {}, async abort() {} };
    const source: TileSource = {
      metadata: () => ({ name: 'x', format: 'pbf', minzoom: 0, maxzoom: 0 }),
      getTile: async () => undefined, version: () => '1', close: async () => {},
      async *tiles(): AsyncIterable<TileEntry> { yield { z: 0, x: 0, y: 0, tile: { data: Buffer.from([0x1a, 0]), encoding: 'identity' } }; },
    };
    await convertArchive({ source, sink });
    assert.deepEqual(zlib.gunzipSync(got[0]), Buffer.from([0x1a, 0]));
  });
});
