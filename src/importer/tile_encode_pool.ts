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
import type { ChangedTile } from './update/gathered_tile.js';


export class TileEncodePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: EncodeWorkerResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure?: Error;

  /**
   * `heap.youngMb`: each thread's young generation (small keeps resident memory down; larger, fewer collections);
   * `heap.oldMb`: its old generation (from --max-memory, heap_limits.ts), so garbage is collected within the budget.
   */
  constructor(threads: number, private readonly snapshots: readonly TileStoreSnapshot[], layers: readonly LayerSpec[], heap: { youngMb: number; oldMb?: number } = { youngMb: 8 }) {
    for (let i = 0; i < threads; i++) {
      const w = startWorker(import.meta.url, 'tile_encode_worker', undefined, {
        maxYoungGenerationSizeMb: heap.youngMb, ...(heap.oldMb !== undefined ? { maxOldGenerationSizeMb: heap.oldMb } : {}),
      });
      w.on('message', (r: EncodeWorkerResult) => {
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        if (r.error) p.reject(new TuilerieError('INTERNAL', `tile encoder thread failed: ${r.error}`));
        else p.resolve(r);
      });
      w.on('error', (e) => this.fail(new TuilerieError('INTERNAL', `tile encoder thread crashed: ${e.message}${(e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? ` (heap limit ${heap.oldMb ?? 'default'} MiB; give a larger --max-memory)` : ''}`, { cause: e })));
      w.postMessage({ kind: 'init', snapshots: snapshots.map((s) => ({ ...s, attrs: [] })), layers: layers.map((l) => ({ ...l })) } satisfies EncodeWorkerMessage);
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

  /** Encodes a batch of tiles given as update store blobs (decoded in the thread: no object graph is copied). */
  encodeBlobs(slot: number, b: { keys: number[]; blobs: Uint8Array[]; changed: (ChangedTile | null)[] }): Promise<EncodeWorkerResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[slot].postMessage({ kind: 'blobs', id, keys: b.keys, blobs: b.blobs, changed: b.changed } satisfies EncodeWorkerMessage);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
