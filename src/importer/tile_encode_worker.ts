/**
 * Encoder thread of the tiles stage: receives the shared tile feature store once,
 * then batches of tiles (key + rows), and answers each batch with the gzipped
 * MVT of every non-empty tile (buffers transferred, not copied).
 */
import zlib from 'node:zlib';
import { parentPort } from 'node:worker_threads';
import { tileFromKey } from '../core/tile_math.js';
import type { Attrs, LayerSpec } from '../schema/profile.js';
import { decodeGroupRows, type TileFeature, type TileStoreSnapshot } from './tile_feature_store.js';
import { encodeTileFeatures, GZIP_LEVEL } from './tile_encoder.js';
import { decodeRunRecords } from './tile_feature_runs.js';
import { encodeGathered, type ChangedTile } from './update/gathered_tile.js';

function encodeOf(msg: Exclude<EncodeWorkerMessage, { kind: 'init' }>, i: number, z: number): Buffer | null {
  if (msg.kind === 'blobs') return encodeGathered(msg.blobs[i], msg.changed[i], layers, z);
  const features: TileFeature[] = msg.kind === 'batch' ? decodeGroupRows(snapshots, msg.rows[i]) : decodeRunRecords(msg.records[i]);
  return encodeTileFeatures(features, layers, z);
}

export type EncodeWorkerMessage =
  | { kind: 'init'; snapshots: TileStoreSnapshot[]; layers: LayerSpec[] }
  /** Per tile, per store: rows. `attrIds`/`attrs` per store: the attribute sets the batch uses (not the whole table: memory). */
  | { kind: 'batch'; id: number; keys: number[]; rows: number[][][]; attrIds: number[][]; attrs: Attrs[][] }
  /** Per tile: its run records merged from runs (tile_feature_runs.ts), decoded here: no object graph is copied. */
  | { kind: 'records'; id: number; keys: number[]; records: Uint8Array[] }
  /**
   * Per tile: its features as an update store blob (update/tile_feature_blob.ts; empty: none), decoded here, and when
   * only some layers changed, which, with the tile as stored (update/gathered_tile.ts).
   */
  | { kind: 'blobs'; id: number; keys: number[]; blobs: Uint8Array[]; changed: (ChangedTile | null)[] };

export interface EncodeWorkerResult {
  id: number;
  tiles: { key: number; data: Uint8Array | null }[];
  error?: string;
}

let snapshots: TileStoreSnapshot[] = [];
let layers: LayerSpec[] = [];

parentPort?.on('message', (msg: EncodeWorkerMessage) => {
  if (msg.kind === 'init') {
    snapshots = msg.snapshots;
    layers = msg.layers;
    return;
  }
  const tiles: EncodeWorkerResult['tiles'] = [];
  const transfer: ArrayBuffer[] = [];
  if (msg.kind === 'batch') {
    snapshots.forEach((snap, s) => {
      const table: Attrs[] = [];
      msg.attrIds[s].forEach((id, i) => { table[id] = msg.attrs[s][i]; });
      snap.attrs = table;
    });
  }
  try {
    for (let i = 0; i < msg.keys.length; i++) {
      const { z } = tileFromKey(msg.keys[i]);
      const mvt = encodeOf(msg, i, z);
      if (!mvt) {
        tiles.push({ key: msg.keys[i], data: null });
        continue;
      }
      const gz = zlib.gzipSync(mvt, { level: GZIP_LEVEL });
      const own = new Uint8Array(gz.byteLength);
      own.set(gz);
      transfer.push(own.buffer);
      tiles.push({ key: msg.keys[i], data: own });
    }
    parentPort!.postMessage({ id: msg.id, tiles } satisfies EncodeWorkerResult, transfer);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, tiles: [], error: (e as Error).stack ?? String(e) } satisfies EncodeWorkerResult);
  }
});
