/**
 * The main thread's side of the `features` stage threads: starts them on the
 * shared stores, sends them blocks of ways (with their tags and relation
 * memberships, which live only on the main thread) at most two blocks ahead, and
 * collects their tile feature stores, counts and data errors at the end.
 */
import type { Worker } from 'node:worker_threads';
import { TuilerieError } from '../core/errors.js';
import { startWorker } from '../core/start_worker.js';
import type { OsmTags } from '../osm/types.js';
import type { RelationMembership } from '../schema/profile.js';
import type { FeaturesWorkerInit, FeaturesWorkerMessage, FeaturesWorkerReply } from './features_worker.js';
import { TileFeatureStore } from './tile_feature_store.js';

export interface FeatureThreadResult {
  store: TileFeatureStore;
  perLayer: [string, number][];
  errors: Record<string, number>;
  emptyGeometries: number;
  /** What the thread's ways reached (flat ReachRecorder entries), when asked to record it. */
  reach?: Float64Array;
}

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  inFlight: number;
  /** Wakes a sender waiting for a free slot. */
  wake?: () => void;
  /** Settles the promise of `ready()` or `finish()` that is waiting on this thread. */
  settle?: { resolve: (r: FeatureThreadResult | void) => void; reject: (e: Error) => void };
}

const MAX_IN_FLIGHT = 2;

/** A worker thread's heap, MiB (importer/heap_limits.ts). */
export interface ThreadHeap {
  oldMb: number;
  youngMb: number;
}

/** Young generation of a thread without a budget: its garbage is short-lived, a small one keeps resident memory down. */
const DEFAULT_YOUNG_MB = 8;

export class FeatureThreads {
  private readonly threads: Thread[] = [];
  private failure?: Error;
  private nextId = 0;

  /** The resource limits the first thread runs with (for the debug log). */
  get resourceLimits(): unknown {
    return this.threads[0]?.worker.resourceLimits;
  }

  /** `heap`: each thread's generations (from --max-memory; without it V8's default old generation, the main thread's limit). */
  constructor(count: number, init: FeaturesWorkerInit, heap?: ThreadHeap) {
    for (let i = 0; i < count; i++) {
      const own = init.spill ? { ...init, spill: { ...init.spill, prefix: `${init.spill.prefix}${i}` } } : init;
      // and an old generation limited from the budget: else each thread's heap grows towards the main thread's limit before V8 collects
      const worker = startWorker(import.meta.url, 'features_worker', own, { maxYoungGenerationSizeMb: heap?.youngMb ?? DEFAULT_YOUNG_MB, ...(heap ? { maxOldGenerationSizeMb: heap.oldMb } : {}) });
      const t: Thread = { worker, inFlight: 0, ready: Promise.resolve() };
      t.ready = new Promise<void>((resolve, reject) => { t.settle = { resolve: () => resolve(), reject }; });
      t.ready.catch(() => {}); // failures surface through ready(), send() or finish()
      worker.on('message', (m: FeaturesWorkerReply) => {
        if (m.kind === 'ready') t.settle?.resolve();
        else if (m.kind === 'done') {
          t.inFlight--;
          t.wake?.();
        } else if (m.kind === 'result') {
          t.settle?.resolve({ store: TileFeatureStore.fromExport(m.store), perLayer: m.perLayer, errors: m.errors, emptyGeometries: m.emptyGeometries, reach: m.reach });
        } else this.fail(new TuilerieError('INTERNAL', `features thread failed: ${m.message}`));
      });
      worker.on('error', (e) => this.fail(new TuilerieError('INTERNAL', `features thread crashed: ${e.message}`, { cause: e })));
      this.threads.push(t);
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const t of this.threads) {
      t.wake?.();
      t.settle?.reject(this.failure);
    }
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  get size(): number {
    return this.threads.length;
  }

  /** Resolves when every thread has its profile ready (Natural Earth read). */
  async ready(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.ready));
    this.check();
  }

  /** The thread with the fewest blocks to do, when one has fewer than two; -1 when all are busy. */
  idleThread(): number {
    this.check();
    let best = -1;
    for (let i = 0; i < this.threads.length; i++) {
      const n = this.threads[i].inFlight;
      if (n < MAX_IN_FLIGHT && (best < 0 || n < this.threads[best].inFlight)) best = i;
    }
    return best;
  }

  /** Sends a block of ways to thread `i`, waiting while it already has two blocks to do. */
  async send(i: number, indexes: number[], tags: OsmTags[], relations: RelationMembership[][]): Promise<void> {
    const t = this.threads[i];
    while (t.inFlight >= MAX_IN_FLIGHT) {
      this.check();
      await new Promise<void>((r) => { t.wake = r; });
      t.wake = undefined;
    }
    this.check();
    t.inFlight++;
    t.worker.postMessage({ kind: 'ways', id: this.nextId++, indexes, tags, relations } satisfies FeaturesWorkerMessage);
  }

  /** Waits for every thread to finish its blocks and returns what each produced; the threads end. */
  async finish(): Promise<FeatureThreadResult[]> {
    this.check();
    try {
      return await Promise.all(this.threads.map((t) => new Promise<FeatureThreadResult>((resolve, reject) => {
        t.settle = { resolve: (r) => resolve(r as FeatureThreadResult), reject };
        t.worker.postMessage({ kind: 'finish' } satisfies FeaturesWorkerMessage);
      })));
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
