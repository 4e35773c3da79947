/**
 * A few worker threads running named tasks, so that pixel work (readback
 * unpacking, resampling, compositing, page rasters) never holds the event loop:
 * the loop only posts the task and its buffers (transferred, not copied) and
 * takes the answer. A worker that dies fails its tasks and is replaced.
 */
import type { Worker } from 'node:worker_threads';
import { TuilerieError } from './errors.js';

export interface WorkerPoolOptions {
  /** Starts one worker (see ./start_worker.ts). */
  start: () => Worker;
  size: number;
  /** Names the pool in errors. */
  name: string;
}

/** What a worker answers: the task's result or its error message. */
export interface WorkerReply {
  id: number;
  result?: unknown;
  error?: string;
}

interface Task {
  id: number;
  name: string;
  args: unknown;
  transfer: ArrayBuffer[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy?: Task;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;

  constructor(private readonly opts: WorkerPoolOptions) {}

  /** Runs `name(args)` in a worker; `transfer`: buffers handed over (unusable here afterwards). */
  run<T>(name: string, args: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, name, args, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const t of this.queue.splice(0)) t.reject(new TuilerieError('INTERNAL', `${this.opts.name} workers closed`));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < Math.max(1, this.opts.size)) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.busy = task;
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, name: task.name, args: task.args }, task.transfer);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: this.opts.start() };
    slot.worker.unref();
    slot.worker.on('message', (m: WorkerReply) => {
      const t = slot.busy;
      if (!t || t.id !== m.id) return;
      slot.busy = undefined;
      // an idle worker must not keep a finished CLI command alive
      slot.worker.unref();
      if (m.error !== undefined) t.reject(new TuilerieError('INTERNAL', `${this.opts.name} task ${t.name} failed: ${m.error}`));
      else t.resolve(m.result);
      this.pump();
    });
    const fail = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.busy?.reject(new TuilerieError('INTERNAL', `${this.opts.name} worker ${why}`));
      slot.busy = undefined;
      this.pump();
    };
    slot.worker.on('error', (e) => fail(`failed: ${e.message}`));
    slot.worker.on('exit', (code) => fail(`exited (${code})`));
    this.slots.push(slot);
    return slot;
  }
}

/** The worker side: answers each task message with its handler's result. */
export function serveTasks(port: { on(ev: 'message', fn: (m: { id: number; name: string; args: unknown }) => void): unknown; postMessage(m: unknown, transfer?: ArrayBuffer[]): void }, handlers: Record<string, (args: never) => Promise<{ result: unknown; transfer?: ArrayBuffer[] }> | { result: unknown; transfer?: ArrayBuffer[] }>): void {
  port.on('message', async (m) => {
    try {
      const h = handlers[m.name];
      if (!h) throw new Error(`unknown task ${m.name}`);
      const { result, transfer } = await h(m.args as never);
      port.postMessage({ id: m.id, result }, transfer ?? []);
    } catch (e) {
      port.postMessage({ id: m.id, error: (e as Error)?.message ?? String(e) });
    }
  });
}
