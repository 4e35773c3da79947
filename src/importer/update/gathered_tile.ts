/**
 * A region tile of an update as the tiles stage gets it: its features (an update store
 * blob) and, when only some layers changed, those layers and the tile as stored, whose
 * other layers are copied instead of being decoded, generalised and encoded again.
 */
import zlib from 'node:zlib';
import { isGzip } from '../../core/gzip_bytes.js';
import type { LayerSpec } from '../../schema/profile.js';
import { encodeChangedLayers, encodeTileFeatures } from '../tile_encoder.js';
import { decodeTileBlob } from './tile_feature_blob.js';

export interface ChangedTile {
  /** Indexes of the layers whose features changed. */
  layers: number[];
  /** The tile as the archive holds it (gzipped or not), made from the same features in every other layer; null: none. */
  previous: Uint8Array | null;
}

export interface GatheredTile {
  key: number;
  /** null: no feature is left. */
  blob: Buffer | null;
  /** Absent: every layer is encoded. */
  changed?: ChangedTile;
}

function buffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function unzipped(tile: Uint8Array): Uint8Array {
  return isGzip(tile) ? zlib.gunzipSync(tile) : tile;
}

/** The tile's MVT (uncompressed), null when nothing is left. `blob` empty: no feature. */
export function encodeGathered(blob: Uint8Array, changed: ChangedTile | undefined | null, layers: readonly LayerSpec[], z: number): Buffer | null {
  if (blob.length === 0) return null;
  if (!changed) return encodeTileFeatures(decodeTileBlob(buffer(blob)), layers, z);
  const only = new Set(changed.layers);
  return encodeChangedLayers({
    features: decodeTileBlob(buffer(blob), only), layers, z, changed: only,
    previous: changed.previous && unzipped(changed.previous),
  });
}
