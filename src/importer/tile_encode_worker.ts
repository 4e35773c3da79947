/**
 * Encoder thread of the tiles stage: receives the shared tile feature store once,
 * then batches of tiles (key + rows), and answers each batch with the gzipped
 * MVT of every non-empty tile (buffers transferred, not copied).
 */
import { parentPort } from 'node:worker_threads';
import type { Attrs, LayerSpec } from '../schema/profile.js';
import type { TileStoreSnapshot } from './tile_feature_store.js';
import { encodeBatchTile, type EncodedTile } from './tile_batch.js';
import type { TileSwap } from './update/gathered_tile.js';

/** A copy in a buffer of its own, to transfer. */
function owned(b: Uint8Array, transfer: ArrayBuffer[]): Uint8Array {
  const own = new Uint8Array(b.byteLength);
  own.set(b);
  transfer.push(own.buffer);
  return own;
}

export type { EncodedTile };

export type EncodeWorkerMessage =
  /** `replaced`: an update's source keys whose kept features are swapped for fresh ones (update/gathered_tile.ts). */
  | { kind: 'init'; snapshots: TileStoreSnapshot[]; layers: LayerSpec[]; replaced?: Float64Array }
  /** Per tile, per store: rows. `attrIds`/`attrs` per store: the attribute sets the batch uses (not the whole table: memory). */
  | { kind: 'batch'; id: number; keys: number[]; rows: number[][][]; attrIds: number[][]; attrs: Attrs[][] }
  /** Per tile: its run records merged from runs (tile_feature_runs.ts), decoded here: no object graph is copied. */
  | { kind: 'records'; id: number; keys: number[]; records: Uint8Array[] }
  /**
   * Per tile: its features as an update store blob (update/tile_feature_blob.ts; empty: none), decoded here, and when
   * they are the stored ones, the fresh features to swap in and the tile as stored (update/gathered_tile.ts).
   */
  | { kind: 'blobs'; id: number; keys: number[]; blobs: Uint8Array[]; swaps: (TileSwap | null)[] };

export interface EncodeWorkerResult {
  id: number;
  tiles: EncodedTile[];
  error?: string;
}

let snapshots: TileStoreSnapshot[] = [];
let layers: LayerSpec[] = [];
let replaced: ReadonlySet<number> = new Set();

parentPort?.on('message', (msg: EncodeWorkerMessage) => {
  if (msg.kind === 'init') {
    snapshots = msg.snapshots;
    layers = msg.layers;
    replaced = new Set(msg.replaced ?? []);
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
    const ctx = { snapshots, layers, replaced };
    for (let i = 0; i < msg.keys.length; i++) {
      const t = encodeBatchTile(msg, i, ctx);
      if (t.data) t.data = owned(t.data, transfer);
      if (t.features) t.features = owned(t.features, transfer);
      tiles.push(t);
    }
    parentPort!.postMessage({ id: msg.id, tiles } satisfies EncodeWorkerResult, transfer);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, tiles: [], error: (e as Error).stack ?? String(e) } satisfies EncodeWorkerResult);
  }
});
