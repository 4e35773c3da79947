/**
 * A few worker threads running named tasks, so that pixel work (readback
 * unpacking, resampling, compositing, page rasters) never holds the event loop:
 * the loop only posts the task and its buffers (transferred, not copied) and
 * takes the answer. A worker that dies fails its tasks and is replaced.
 */
import { threadId, type Worker } from 'node:worker_threads';
import { TuilerieError } from './errors.js';
import { checkNiceness, lowerOwnThreadPriority, type PriorityChange } from './thread_priority.js';

/** What a task handler gives back: its result and the buffers to hand over (not copy) with it. */
export interface TaskAnswer<R> {
  result: R;
  transfer?: ArrayBuffer[];
}

/**
 * A worker's tasks by name. The pool is typed by the worker module's table
 * (`WorkerPool<typeof pixelTasks>`, a type-only import), so a call names a task
 * that exists, with its argument and result types. Results cross threads by
 * structured clone: a Buffer arrives as a plain Uint8Array, so tables declare
 * Uint8Array results.
 */
export type TaskTable = Record<string, (args: never) => TaskAnswer<unknown> | Promise<TaskAnswer<unknown>>>;
type ArgsOf<F> = F extends (args: infer A) => unknown ? A : never;
type ResultOf<F> = F extends (args: never) => TaskAnswer<infer R> | Promise<TaskAnswer<infer R>> ? R : never;

export interface WorkerPoolOptions {
  /** Starts one worker (see ./start_worker.ts). */
  start: () => Worker;
  size: number;
  /** Names the pool in errors. */
  name: string;
  /**
   * Nice steps below the event loop's priority the workers run at (0 to 19;
   * default 0, ./thread_priority.ts): for work a request waits on in a server,
   * where the loop must win a core over it (`raster.niceness`).
   */
  niceness?: number;
}

/** What a worker answers: the task's result or its error message, and which thread it ran on. */
export interface WorkerReply {
  id: number;
  result?: unknown;
  error?: string;
  threadId: number;
  /** The answer to a priority message (id 0): what the worker's thread runs at. */
  priority?: PriorityChange;
}

/** What the pool posts: a task, or (id 0, before any task) how many nice steps the worker lowers itself by. */
export interface WorkerMessage {
  id: number;
  name?: string;
  args?: unknown;
  lowerPriority?: number;
}

export interface WorkerPoolStats {
  queued: number;
  busy: number;
  done: number;
  failed: number;
  /** Threads that answered tasks (never this thread's id: the work ran elsewhere). */
  threadIds: number[];
  /** What each live worker reported on lowering its priority (pools with a niceness). */
  priorities: PriorityChange[];
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
  priority?: PriorityChange;
}

export class WorkerPool<T extends TaskTable = TaskTable> {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private readonly counts = { done: 0, failed: 0 };
  private readonly threadIds = new Set<number>();

  constructor(private readonly opts: WorkerPoolOptions) {
    checkNiceness(opts.niceness ?? 0);
  }

  /** Runs `name(args)` in a worker; `transfer`: buffers handed over (unusable here afterwards). */
  run<K extends keyof T & string>(name: K, args: ArgsOf<T[K]>, transfer: ArrayBuffer[] = []): Promise<ResultOf<T[K]>> {
    return new Promise<ResultOf<T[K]>>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, name, args, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  stats(): WorkerPoolStats {
    return { queued: this.queue.length, busy: this.slots.filter((s) => s.busy).length, ...this.counts, threadIds: [...this.threadIds], priorities: this.slots.flatMap((s) => (s.priority ? [s.priority] : [])) };
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
      if (m.priority) {
        slot.priority = m.priority;
        return;
      }
      const t = slot.busy;
      if (!t || t.id !== m.id) return;
      slot.busy = undefined;
      // an idle worker must not keep a finished CLI command alive
      slot.worker.unref();
      this.threadIds.add(m.threadId);
      this.counts[m.error !== undefined ? 'failed' : 'done']++;
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
    // posted first, so the worker lowers itself before its first task
    const nice = this.opts.niceness ?? 0;
    if (nice > 0) slot.worker.postMessage({ id: 0, lowerPriority: nice } satisfies WorkerMessage);
    this.slots.push(slot);
    return slot;
  }
}

/** The worker side: answers each task message with its handler's result. */
export function serveTasks(port: { on(ev: 'message', fn: (m: WorkerMessage) => void): unknown; postMessage(m: WorkerReply, transfer?: ArrayBuffer[]): void }, handlers: TaskTable): void {
  port.on('message', async (m) => {
    if (m.lowerPriority !== undefined) {
      port.postMessage({ id: 0, threadId, priority: lowerOwnThreadPriority(m.lowerPriority) });
      return;
    }
    try {
      const h = handlers[m.name ?? ''];
      if (!h) throw new Error(`unknown task ${m.name}`);
      const { result, transfer } = await h(m.args as never);
      port.postMessage({ id: m.id, result, threadId }, transfer ?? []);
    } catch (e) {
      port.postMessage({ id: m.id, error: (e as Error)?.message ?? String(e), threadId });
    }
  });
}

/** The buffer's memory when the view owns all of it (so it can be transferred), else nothing (it is copied). */
export function ownMemory(b: ArrayBufferView): ArrayBuffer[] {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.byteLength > 0 && b.buffer instanceof ArrayBuffer ? [b.buffer] : [];
}

/**
 * A result for the event loop's thread, in shared memory (copied there unless it
 * already is). Memory handed over to a thread counts as its isolate's external
 * memory, and a 64 MB image makes V8 start a full mark-compact of the event
 * loop's heap at once: tens of ms each time (bench:stall saw pauses of 50–200
 * ms, one per big render). A SharedArrayBuffer arriving there does not, and is
 * freed once both threads let go of it. Its receiver owns it as before.
 */
export function sharedResult(b: Uint8Array): Uint8Array {
  if (b.buffer instanceof SharedArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b;
  const out = new Uint8Array(new SharedArrayBuffer(b.byteLength));
  out.set(b);
  return out;
}

/** A Buffer of `n` bytes (zeroed) in shared memory, to be answered with sharedResult without a copy. */
export function sharedBuffer(n: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(n));
}

/** A Buffer over the memory of a Uint8Array that crossed threads (no copy). */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
