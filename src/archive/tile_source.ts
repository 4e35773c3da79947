/**
 * Reading and writing tile archives, by role. The server, renderer and converters
 * talk to these interfaces only; MBTiles and PMTiles implement them.
 */
import type { TileChangeIndex } from './tile_change_index.js';

export interface VectorLayerInfo {
  id: string;
  description?: string;
  fields: Record<string, string>;
  minzoom: number;
  maxzoom: number;
}

export interface TilesetMetadata {
  name: string;
  /** `pbf` for vector tiles, `png`/`jpg`/`webp` for raster. */
  format: string;
  /** [west, south, east, north] */
  bounds?: [number, number, number, number];
  /** [lon, lat, zoom] */
  center?: [number, number, number];
  minzoom: number;
  maxzoom: number;
  attribution?: string;
  description?: string;
  version?: string;
  type?: 'baselayer' | 'overlay';
  vector_layers?: VectorLayerInfo[];
  /** Any other metadata key, kept as found. */
  extra?: Record<string, string>;
}

export type ContentEncoding = 'gzip' | 'identity';

export interface TileData {
  /** The tile bytes as stored (possibly gzip-compressed: see `encoding`). */
  data: Buffer;
  encoding: ContentEncoding;
}

/** One stored tile with its XYZ address, as enumerated by `TileSource.tiles()`. */
export interface TileEntry {
  z: number;
  x: number;
  y: number;
  tile: TileData;
}

export interface TileSource {
  /** Metadata, read once at open. */
  metadata(): TilesetMetadata;
  /** The stored tile, or undefined when the archive has none at z/x/y (XYZ rows). */
  getTile(z: number, x: number, y: number): Promise<TileData | undefined>;
  /** Changes whenever the underlying data changes (e.g. file mtime+size); used to key caches. */
  version(): string;
  close(): Promise<void>;
  /** Every stored tile, in the archive's natural order (for conversion and copying). Optional. */
  tiles?(): AsyncIterable<TileEntry>;
  /** How many tiles `tiles()` will yield, when the archive knows it cheaply. Optional. */
  tileCount?(): number | undefined;
  /** Which update last changed each tile, when the archive records it (an updatable MBTiles). Optional. */
  changeIndex?(): TileChangeIndex | undefined;
}

export interface TileSink {
  /** Stores one tile (XYZ rows); `data` is already encoded as the archive wants it (gzip MVT for vector). */
  putTile(z: number, x: number, y: number, data: Buffer): void;
  setMetadata(meta: TilesetMetadata): void;
  /** Makes the archive visible at its final path atomically (temp file + rename). */
  commit(): Promise<void>;
  /** Discards everything written; the final path is left as it was. */
  abort(): Promise<void>;
}
