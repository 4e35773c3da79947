/**
 * One tile of a batch of the tiles stage, encoded and gzipped: the one dispatch the
 * encoder threads (tile_encode_worker.ts) and the main thread (tile_writer.ts) share.
 * A batch holds the tiles' rows of the in-memory stores, or their records merged from
 * runs, or (an update) their store blobs with the fresh features to swap in.
 */
import zlib from 'node:zlib';
import { tileFromKey } from '../core/tile_math.js';
import type { LayerSpec } from '../schema/profile.js';
import { decodeGroupRows, type TileStoreSnapshot } from './tile_feature_store.js';
import { decodeRunRecords } from './tile_feature_runs.js';
import { encodeTileFeatures, GZIP_LEVEL } from './tile_encoder.js';
import { prepareGathered, type TileSwap } from './update/gathered_tile.js';

export type TileBatch =
  | { keys: number[]; rows: number[][][] }
  | { keys: number[]; records: Uint8Array[] }
  | { keys: number[]; blobs: Uint8Array[]; swaps: (TileSwap | null)[] };

export interface EncodeContext {
  snapshots: readonly TileStoreSnapshot[];
  layers: readonly LayerSpec[];
  /** An update's source keys whose kept features the swaps replace. */
  replaced: ReadonlySet<number>;
}

export interface EncodedTile {
  key: number;
  /** The gzipped tile, null: nothing to write (no feature left, or unchanged). */
  data: Uint8Array | null;
  /** Update tiles with a swap: the tile is left as it is. */
  unchanged?: boolean;
  /** Update tiles with a swap: their swapped features (null: none left), for the store. */
  features?: Uint8Array | null;
}

const gzip = (mvt: Uint8Array | null): Buffer | null => (mvt ? zlib.gzipSync(mvt, { level: GZIP_LEVEL }) : null);

/** The `i`-th tile of `b`. */
export function encodeBatchTile(b: TileBatch, i: number, ctx: EncodeContext): EncodedTile {
  const key = b.keys[i];
  const { z } = tileFromKey(key);
  if ('blobs' in b) {
    const t = prepareGathered({ blob: b.blobs[i], swap: b.swaps[i] }, ctx.replaced, { layers: ctx.layers, z });
    if (t.unchanged) return { key, data: null, unchanged: true };
    const tile: EncodedTile = { key, data: gzip(t.mvt ?? null) };
    if (t.features !== undefined) tile.features = t.features;
    return tile;
  }
  const features = 'rows' in b ? decodeGroupRows(ctx.snapshots, b.rows[i]) : decodeRunRecords(b.records[i]);
  return { key, data: gzip(encodeTileFeatures(features, ctx.layers, z)) };
}
