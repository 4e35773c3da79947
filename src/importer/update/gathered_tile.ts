/**
 * A region tile of an update as the tiles stage gets it, and what an encoder (an encoder
 * thread or the main thread) makes of it. A tile the store kept features for comes as
 * that blob with the new features of the objects run again (`swap`): the encoder swaps
 * them in (tile_feature_blob.ts replaceSources), finds which layers changed, and encodes
 * only those, copying the others from the tile as stored instead of decoding,
 * generalising and encoding them again. Both jobs run off the main thread, which only
 * reads and writes the store and the archive.
 */
import zlib from 'node:zlib';
import { isGzip } from '../../core/gzip_bytes.js';
import type { LayerSpec } from '../../schema/profile.js';
import { encodeChangedLayers, encodeTileFeatures } from '../tile_encoder.js';
import { decodeTileBlob, replaceSources } from './tile_feature_blob.js';

export interface ChangedTile {
  /** Indexes of the layers whose features changed. */
  layers: number[];
  /** The tile as the archive holds it (gzipped or not), made from the same features in every other layer; null: none. */
  previous: Uint8Array | null;
}

/** The new features of the objects run again, to swap into a tile's stored ones. */
export interface TileSwap {
  /** Their features in this tile, as a blob in canonical order (tile_feature_blob.ts encodeTileBlob). */
  fresh: Uint8Array;
  /** The tile as the archive holds it (gzipped or not), null: none. */
  previous: Uint8Array | null;
}

export interface GatheredTile {
  key: number;
  /** Its features as an update store blob, null: none. With `swap`, the features as stored, before the swap. */
  blob: Buffer | null;
  /** Absent: `blob` is the tile's features, every layer is encoded. */
  swap?: TileSwap;
}

/** What an encoder made of a gathered tile. */
export type PreparedTile =
  /** The objects run again gave the very features they had here: the tile stays as it is (nothing to write). */
  | { unchanged: true }
  /** `mvt`: the tile (uncompressed), null when nothing is left; `features`: the swapped blob to store (null: none left), only for a swap. */
  | { unchanged: false; mvt: Buffer | null; features?: Buffer | null };

/** Where a gathered tile is encoded: the layers of the profile and the tile's zoom. */
export interface GatheredTileAt { layers: readonly LayerSpec[]; z: number }

function buffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function unzipped(tile: Uint8Array): Uint8Array {
  return isGzip(tile) ? zlib.gunzipSync(tile) : tile;
}

/** The tile's MVT (uncompressed), null when nothing is left. `blob` empty: no feature. */
export function encodeGathered(blob: Uint8Array, changed: ChangedTile | undefined | null, at: GatheredTileAt): Buffer | null {
  const { layers, z } = at;
  if (blob.length === 0) return null;
  if (!changed) return encodeTileFeatures(decodeTileBlob(buffer(blob)), layers, z);
  const only = new Set(changed.layers);
  return encodeChangedLayers({
    features: decodeTileBlob(buffer(blob), only), layers, z, changed: only,
    previous: changed.previous && unzipped(changed.previous),
  });
}

/**
 * A gathered tile (`blob` empty: no feature) swapped, when it comes with a swap, and encoded: `replaced` are the source
 * keys of the objects run again whose kept features the fresh ones replace.
 */
export function prepareGathered(t: { blob: Uint8Array; swap: TileSwap | null | undefined }, replaced: ReadonlySet<number>, at: GatheredTileAt): PreparedTile {
  if (!t.swap) return { unchanged: false, mvt: encodeGathered(t.blob, null, at) };
  const fresh = t.swap.fresh.length === 0 ? [] : decodeTileBlob(buffer(t.swap.fresh));
  const next = replaceSources(buffer(t.blob), replaced, fresh);
  if (next === 'unchanged') return { unchanged: true };
  if (!next.blob) return { unchanged: false, mvt: null, features: null };
  return { unchanged: false, mvt: encodeGathered(next.blob, { layers: next.layers, previous: t.swap.previous }, at), features: next.blob };
}
