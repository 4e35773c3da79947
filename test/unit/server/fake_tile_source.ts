/** An in-memory TileSource for server tests that do not need a real archive. */
import zlib from 'node:zlib';
import type { TileData, TileSource, TilesetMetadata } from '../../../src/archive/tile_source.js';

export class FakeTileSource implements TileSource {
  readonly tiles = new Map<string, TileData>();
  closed = false;
  reads = 0;
  constructor(private readonly meta: TilesetMetadata, private readonly ver = 'v1') {}

  /** Stores `payload` gzip-compressed, as MBTiles vector archives do. */
  putGzip(z: number, x: number, y: number, payload: Buffer): this {
    this.tiles.set(`${z}/${x}/${y}`, { data: zlib.gzipSync(payload), encoding: 'gzip' });
    return this;
  }
  putRaw(z: number, x: number, y: number, data: Buffer): this {
    this.tiles.set(`${z}/${x}/${y}`, { data, encoding: 'identity' });
    return this;
  }
  metadata(): TilesetMetadata {
    return this.meta;
  }
  async getTile(z: number, x: number, y: number): Promise<TileData | undefined> {
    this.reads++;
    return this.tiles.get(`${z}/${x}/${y}`);
  }
  version(): string {
    return this.ver;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

export const VECTOR_META: TilesetMetadata = {
  name: 'Test vector',
  format: 'pbf',
  minzoom: 0,
  maxzoom: 14,
  bounds: [7.3, 47.7, 7.4, 47.8],
  center: [7.33, 47.75, 12],
  attribution: '© OpenStreetMap contributors',
  vector_layers: [{ id: 'building', fields: {}, minzoom: 13, maxzoom: 14 }],
};
