import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PMTiles, Compression, TileType, type Source, type RangeResponse } from 'pmtiles';
import { tempDir } from '../../helpers/paths.js';
import { PmtilesSink } from '../../../src/archive/pmtiles/pmtiles_sink.js';
import type { TilesetMetadata } from '../../../src/archive/tile_source.js';

/** The pmtiles package's reader over a local file, as an independent check of what we write. */
class FileBytes implements Source {
  constructor(private readonly file: string) {}
  getKey(): string { return this.file; }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const all = fs.readFileSync(this.file);
    const part = all.subarray(offset, offset + length);
    return { data: part.buffer.slice(part.byteOffset, part.byteOffset + part.length) as ArrayBuffer };
  }
}
function inflate(buf: ArrayBuffer, c: Compression): Promise<ArrayBuffer> {
  if (c !== Compression.Gzip) return Promise.resolve(buf);
  const b = zlib.gunzipSync(Buffer.from(buf));
  return Promise.resolve(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
}
const reader = (file: string): PMTiles => new PMTiles(new FileBytes(file), undefined, inflate);

async function readTile(file: string, z: number, x: number, y: number): Promise<Buffer | undefined> {
  const r = await reader(file).getZxy(z, x, y);
  return r ? Buffer.from(r.data) : undefined;
}

const META: TilesetMetadata = {
  name: 'Grand Est', format: 'pbf', minzoom: 0, maxzoom: 10, bounds: [5.3, 47.4, 8.3, 50.2], center: [7.75, 48.58, 8],
  attribution: '© OpenStreetMap contributors', vector_layers: [{ id: 'water', fields: { class: 'String' }, minzoom: 0, maxzoom: 10 }],
};
/** A protobuf-looking payload (field 3, length-delimited), not gzip, not an image. */
const mvt = (s: string): Buffer => Buffer.concat([Buffer.from([0x1a, s.length]), Buffer.from(s)]);

describe('PmtilesSink', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = tempDir();
    out = path.join(dir, 'out.pmtiles');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes tiles the pmtiles package reads back identically, whatever the put order', async () => {
    const sink = PmtilesSink.create(out);
    const tiles: [number, number, number][] = [[2, 3, 1], [0, 0, 0], [2, 0, 0], [1, 1, 1], [2, 1, 2]];
    for (const [z, x, y] of tiles) sink.putTile(z, x, y, mvt(`${z}/${x}/${y}`));
    sink.setMetadata({ ...META, minzoom: 0, maxzoom: 2 });
    await sink.commit();
    for (const [z, x, y] of tiles) assert.deepEqual(await readTile(out, z, x, y), mvt(`${z}/${x}/${y}`));
  });

  it('returns nothing for tiles that were not written', async () => {
    const sink = PmtilesSink.create(out);
    sink.putTile(1, 0, 0, mvt('a'));
    await sink.commit();
    assert.equal(await readTile(out, 1, 1, 1), undefined);
  });

  it('stores MVT gzip-compressed and says so in the header', async () => {
    const sink = PmtilesSink.create(out);
    sink.putTile(0, 0, 0, mvt('a'));
    sink.setMetadata(META);
    await sink.commit();
    const h = await reader(out).getHeader();
    assert.deepEqual([h.tileCompression, h.tileType, h.internalCompression, h.clustered], [Compression.Gzip, TileType.Mvt, Compression.Gzip, true]);
  });

  it('keeps already-gzipped tiles as they are', async () => {
    const sink = PmtilesSink.create(out);
    sink.putTile(0, 0, 0, zlib.gzipSync(mvt('a')));
    await sink.commit();
    assert.deepEqual(await readTile(out, 0, 0, 0), mvt('a'));
  });

  it('stores raster tiles uncompressed with their tile type', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20, 1)]);
    const sink = PmtilesSink.create(out);
    sink.putTile(0, 0, 0, png);
    sink.setMetadata({ name: 'r', format: 'png', minzoom: 0, maxzoom: 0 });
    await sink.commit();
    const h = await reader(out).getHeader();
    assert.deepEqual([h.tileCompression, h.tileType, (await readTile(out, 0, 0, 0))?.equals(png)], [Compression.None, TileType.Png, true]);
  });

  it('stores identical contents once and run-length encodes consecutive repeats', async () => {
    const sink = PmtilesSink.create(out);
    for (let x = 0; x < 16; x++) for (let y = 0; y < 16; y++) sink.putTile(4, x, y, mvt('ocean'));
    sink.putTile(4, 3, 3, mvt('land'));
    await sink.commit();
    const h = await reader(out).getHeader();
    assert.equal(h.numAddressedTiles, 256);
    assert.equal(h.numTileContents, 2);
    assert.ok(h.numTileEntries <= 3, `${h.numTileEntries} entries`);
  });

  it('keeps the last copy of a tile put twice', async () => {
    const sink = PmtilesSink.create(out);
    sink.putTile(1, 0, 0, mvt('first'));
    sink.putTile(1, 0, 0, mvt('second'));
    await sink.commit();
    assert.deepEqual(await readTile(out, 1, 0, 0), mvt('second'));
  });

  it('splits large directories into leaves that the package reads', async function () {
    // Scattered tiles make tile-id deltas incompressible, so the root cannot hold them all.
    let seed = 42;
    const rand = (n: number): number => { seed = (seed * 48271) % 2147483647; return seed % n; };
    const sink = PmtilesSink.create(out);
    const put: [number, number][] = [];
    for (let i = 0; i < 30000; i++) {
      const x = rand(16384), y = rand(16384);
      put.push([x, y]);
      sink.putTile(14, x, y, mvt(`${x},${y}`));
    }
    await sink.commit();
    const h = await reader(out).getHeader();
    assert.ok((h.leafDirectoryLength ?? 0) > 0, 'no leaf directories');
    for (const i of [0, 1, 777, 15000, 29999]) {
      const [x, y] = put[i];
      assert.deepEqual(await readTile(out, 14, x, y), mvt(`${x},${y}`));
    }
  });

  it('writes JSON metadata with name, attribution and vector_layers', async () => {
    const sink = PmtilesSink.create(out);
    sink.setMetadata(META);
    await sink.commit();
    const m = (await reader(out).getMetadata()) as Record<string, unknown>;
    assert.deepEqual([m.name, m.attribution, m.vector_layers], [META.name, META.attribution, META.vector_layers]);
  });

  it('writes zooms, bounds and center into the header', async () => {
    const sink = PmtilesSink.create(out);
    sink.setMetadata(META);
    await sink.commit();
    const h = await reader(out).getHeader();
    assert.deepEqual([h.minZoom, h.maxZoom, h.minLon, h.minLat, h.maxLon, h.maxLat, h.centerLon, h.centerLat, h.centerZoom], [0, 10, 5.3, 47.4, 8.3, 50.2, 7.75, 48.58, 8]);
  });

  it('leaves an existing output untouched until commit', async () => {
    fs.writeFileSync(out, 'previous');
    const sink = PmtilesSink.create(out);
    sink.putTile(0, 0, 0, mvt('a'));
    assert.equal(fs.readFileSync(out, 'utf8'), 'previous');
    await sink.commit();
    assert.deepEqual(await readTile(out, 0, 0, 0), mvt('a'));
  });

  it('abort removes its temp files and keeps the existing output', async () => {
    fs.writeFileSync(out, 'previous');
    const sink = PmtilesSink.create(out);
    sink.putTile(0, 0, 0, mvt('a'));
    await sink.abort();
    assert.deepEqual([fs.readdirSync(dir), fs.readFileSync(out, 'utf8')], [['out.pmtiles'], 'previous']);
  });

  it('leaves only the output after commit', async () => {
    const sink = PmtilesSink.create(out);
    sink.putTile(0, 0, 0, mvt('a'));
    await sink.commit();
    assert.deepEqual(fs.readdirSync(dir), ['out.pmtiles']);
  });
});
