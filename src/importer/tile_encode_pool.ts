/**
 * Encoder threads for the tiles stage. The tile feature store lives in shared
 * memory, so each thread gets it once without a copy; a batch of tiles carries
 * only the attribute sets its rows use (cloning the whole table into every
 * thread cost ~100 MB on a 3.4M-node import); tiles come back gzipped.
 */
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { startWorker } from '../core/start_worker.js';
import { TuilerieError } from '../core/errors.js';
import type { Attrs, LayerSpec } from '../schema/profile.js';
import type { TileStoreSnapshot } from './tile_feature_store.js';
import type { EncodeWorkerMessage, EncodeWorkerResult } from './tile_encode_worker.js';
import type { TileSwap } from './update/gathered_tile.js';

export interface EncodePoolOptions {
  /** Each thread's young generation, MiB (small keeps resident memory down; larger, fewer collections). */
  youngMb: number;
  /** Its old generation, MiB (from --max-memory, heap_limits.ts), so garbage is collected within the budget. */
  oldMb?: number;
  /** An update's source keys whose kept features are swapped for fresh ones (update/gathered_tile.ts). */
  replaced?: ReadonlySet<number>;
}

/** The buffers of a batch that can move to a thread instead of being copied: those alone in their memory, once each. */
function movable(parts: readonly (Uint8Array | null | undefined)[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const p of parts) if (p && p.byteOffset === 0 && p.byteLength === p.buffer.byteLength && p.byteLength > 0) out.add(p.buffer as ArrayBuffer);
  return [...out];
}


export class TileEncodePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: EncodeWorkerResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure?: Error;

  constructor(threads: number, private readonly snapshots: readonly TileStoreSnapshot[], layers: readonly LayerSpec[], opts: EncodePoolOptions = { youngMb: 8 }) {
    for (let i = 0; i < threads; i++) {
      const w = startWorker(import.meta.url, 'tile_encode_worker', undefined, {
        maxYoungGenerationSizeMb: opts.youngMb, ...(opts.oldMb !== undefined ? { maxOldGenerationSizeMb: opts.oldMb } : {}),
      });
      w.on('message', (r: EncodeWorkerResult) => {
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        if (r.error) p.reject(new TuilerieError('INTERNAL', `tile encoder thread failed: ${r.error}`));
        else p.resolve(r);
      });
      w.on('error', (e) => this.fail(new TuilerieError('INTERNAL', `tile encoder thread crashed: ${e.message}${(e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? ` (heap limit ${opts.oldMb ?? 'default'} MiB; give a larger --max-memory)` : ''}`, { cause: e })));
      const replaced = opts.replaced && Float64Array.from(opts.replaced);
      w.postMessage({ kind: 'init', snapshots: snapshots.map((s) => ({ ...s, attrs: [] })), layers: layers.map((l) => ({ ...l })), replaced } satisfies EncodeWorkerMessage);
      this.workers.push(w);
    }
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  get size(): number {
    return this.workers.length;
  }

  /** The threads' heap limits, as Node applied them. */
  get resourceLimits(): ResourceLimits[] {
    return this.workers.map((w) => w.resourceLimits ?? {});
  }

  /** Encodes a batch on worker `slot` (the caller keeps one batch in flight per worker). */
  /** `rows[t][s]`: the rows of tile t in store s. */
  encode(slot: number, keys: number[], rows: number[][][]): Promise<EncodeWorkerResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const attrIds: number[][] = [], attrs: Attrs[][] = [];
    this.snapshots.forEach((snap, s) => {
      const ids = new Set<number>();
      for (const tile of rows) for (const r of tile[s]) ids.add(snap.attrIdx[r]);
      attrIds.push([...ids]);
      attrs.push(attrIds[s].map((i) => snap.attrs[i]));
    });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[slot].postMessage({ kind: 'batch', id, keys, rows, attrIds, attrs } satisfies EncodeWorkerMessage);
    });
  }

  /** Encodes a batch of tiles given as run records merged from runs (bytes, moved to the thread and decoded there) on worker `slot`. */
  encodeRecords(slot: number, keys: number[], records: Uint8Array[]): Promise<EncodeWorkerResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[slot].postMessage({ kind: 'records', id, keys, records } satisfies EncodeWorkerMessage, records.map((r) => r.buffer as ArrayBuffer));
    });
  }

  /**
   * Swaps and encodes a batch of tiles given as update store blobs (decoded in the thread: no object graph is copied).
   * Buffers alone in their memory move to the thread: the caller must not use them afterwards.
   */
  encodeBlobs(slot: number, b: { keys: number[]; blobs: Uint8Array[]; swaps: (TileSwap | null)[] }): Promise<EncodeWorkerResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const transfer = movable([...b.blobs, ...b.swaps.flatMap((s) => (s ? [s.fresh, s.previous] : []))]);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[slot].postMessage({ kind: 'blobs', id, keys: b.keys, blobs: b.blobs, swaps: b.swaps } satisfies EncodeWorkerMessage, transfer);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
