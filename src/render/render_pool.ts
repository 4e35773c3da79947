/**
 * A fixed number of renderers behind a queue bounded in length and in time. Past
 * `maxQueue` waiting jobs a render is refused at once, and a job that waited
 * `maxWaitMs` without a renderer is given up (both OVERLOADED → 503 +
 * Retry-After) rather than held; a job whose caller aborted (its client went
 * away) leaves the queue, or, when already drawing, is abandoned and its page
 * recycled; a render past its timeout recycles its page; pages are recycled
 * every `recycleAfter` renders; a renderer whose browser died is replaced and
 * the job that saw it die is retried once.
 */
import { TuilerieError, asTuilerieError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Renderer, RenderRequest } from './renderer.js';

export interface RenderPoolOptions {
  create: () => Renderer;
  /** Renderers working at once (one browser page each); on 2 cores one is as fast as two. */
  size?: number;
  /** Jobs allowed to wait; one more is refused with OVERLOADED. */
  maxQueue?: number;
  timeoutMs?: number;
  recycleAfter?: number;
  /** Longest wait in the queue for a renderer, in ms, unless a call says otherwise; 0 or absent: no limit. */
  maxWaitMs?: number;
  /** Seconds a refused client is told to wait. */
  retryAfterSeconds?: number;
  /**
   * Close idle renderers after this many ms without work (a browser holds over
   * a gigabyte); the next render starts a fresh one. 0 keeps them (default).
   */
  idleCloseMs?: number;
  logger?: Logger;
}

export interface RenderPoolStats {
  queued: number;
  active: number;
  renders: number;
  failures: number;
  timeouts: number;
  rejected: number;
  restarts: number;
  recycles: number;
  idleCloses: number;
  /** Jobs given up after waiting maxWaitMs in the queue. */
  queueTimeouts: number;
  /** Jobs whose caller aborted while they waited (dropped from the queue). */
  cancelled: number;
  /** Renders in progress abandoned because their caller aborted. */
  abandoned: number;
}

/** How one call waits: its caller's abort signal, and its own queue deadline. */
export interface RenderCallOptions {
  /** Aborted when nobody wants the image any more (e.g. the client disconnected). */
  signal?: AbortSignal;
  /** Longest wait in the queue, in ms, instead of the pool's; 0: no limit (background jobs). */
  maxWaitMs?: number;
}

interface Job {
  req: RenderRequest;
  attempts: number;
  resolve: (b: Buffer) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  /** Fires the queue deadline; cleared when the job leaves the queue. */
  waitTimer?: NodeJS.Timeout;
  /** Removes the abort listener once the job is settled. */
  detach: () => void;
}

/** The error of a render nobody waits for any more. */
export function cancelledError(): TuilerieError {
  return new TuilerieError('CANCELLED', 'the client went away: render dropped');
}

interface Slot {
  renderer: Renderer;
  renders: number;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly logger: Logger;
  private closed = false;
  private readonly counters = { renders: 0, failures: 0, timeouts: 0, rejected: 0, restarts: 0, recycles: 0, idleCloses: 0, queueTimeouts: 0, cancelled: 0, abandoned: 0 };

  constructor(private readonly opts: RenderPoolOptions) {
    this.logger = opts.logger ?? silentLogger;
    const size = Math.max(1, opts.size ?? 1);
    for (let i = 0; i < size; i++) this.slots.push({ renderer: opts.create(), renders: 0, busy: false });
  }

  get retryAfterSeconds(): number {
    return this.opts.retryAfterSeconds ?? 5;
  }

  render(req: RenderRequest, call: RenderCallOptions = {}): Promise<Buffer> {
    if (this.closed) return Promise.reject(new TuilerieError('OVERLOADED', 'the render pool is shutting down', { details: { retryAfter: this.retryAfterSeconds } }));
    if (call.signal?.aborted) {
      this.counters.cancelled++;
      return Promise.reject(cancelledError());
    }
    const maxQueue = this.opts.maxQueue ?? 64;
    const idle = this.slots.some((s) => !s.busy);
    if (!idle && this.queue.length >= maxQueue) {
      this.counters.rejected++;
      return Promise.reject(new TuilerieError('OVERLOADED', `rendering is at capacity (${maxQueue} waiting): retry in ${this.retryAfterSeconds} s`, { details: { retryAfter: this.retryAfterSeconds } }));
    }
    return new Promise<Buffer>((resolve, reject) => {
      const signal = call.signal;
      const job: Job = { req, attempts: 0, resolve, reject, signal, detach: () => undefined };
      if (signal) {
        const onAbort = () => this.abortQueued(job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
        const settle = <T>(f: (v: T) => void) => (v: T) => { job.detach(); f(v); };
        job.resolve = settle(resolve);
        job.reject = settle(reject);
      }
      const maxWaitMs = call.maxWaitMs ?? this.opts.maxWaitMs ?? 0;
      this.queue.push(job);
      this.pump();
      if (maxWaitMs > 0 && this.queue.includes(job)) {
        job.waitTimer = setTimeout(() => this.expire(job, maxWaitMs), maxWaitMs);
      }
    });
  }

  /** Gives up a job that waited too long for a renderer. */
  private expire(job: Job, maxWaitMs: number): void {
    if (!this.dequeue(job)) return;
    this.counters.queueTimeouts++;
    job.reject(new TuilerieError('OVERLOADED', `no renderer became free within ${maxWaitMs} ms: retry in ${this.retryAfterSeconds} s`, { details: { retryAfter: this.retryAfterSeconds } }));
  }

  /** The caller of a queued job went away: drop it (a running job is handled by run()). */
  private abortQueued(job: Job): void {
    if (!this.dequeue(job)) return;
    this.counters.cancelled++;
    job.reject(cancelledError());
  }

  private dequeue(job: Job): boolean {
    const i = this.queue.indexOf(job);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    clearTimeout(job.waitTimer);
    return true;
  }

  stats(): RenderPoolStats {
    return { queued: this.queue.length, active: this.slots.filter((s) => s.busy).length, ...this.counters };
  }

  /** The renderers, for tests and diagnostics (e.g. killing a browser on purpose). */
  renderers(): Renderer[] {
    return this.slots.map((s) => s.renderer);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.slots) clearTimeout(s.idleTimer);
    for (const j of this.queue.splice(0)) {
      clearTimeout(j.waitTimer);
      j.reject(new TuilerieError('OVERLOADED', 'the render pool was closed'));
    }
    await Promise.all(this.slots.map((s) => s.renderer.close().catch(() => undefined)));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy) continue;
      const job = this.queue.shift()!;
      clearTimeout(job.waitTimer);
      slot.busy = true;
      clearTimeout(slot.idleTimer);
      // the slot is free again when the job ends, or earlier when its renderer says it can take the next one
      let freed = false;
      const free = () => {
        if (freed) return;
        freed = true;
        slot.busy = false;
        if (this.closed) return;
        this.pump();
        if (!slot.busy) this.armIdle(slot);
      };
      void this.run(slot, job, free).finally(free);
    }
  }

  private async run(slot: Slot, job: Job, free: () => void): Promise<void> {
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    // renders are counted as they start: the one that reaches recycleAfter keeps its slot until its page is recycled
    const last = ++slot.renders >= (this.opts.recycleAfter ?? 500);
    const renderer = slot.renderer;
    // once the renderer took the next job, what fails here is this job's own finishing work: the renderer is not ours to recycle
    let handedOn = false;
    const rendering = renderer.render(job.req, last ? {} : { onReady: () => { handedOn = true; free(); } });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TuilerieError('TIMEOUT', `render took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    // nobody wants the image any more: stop waiting for it, and recycle the page that draws it
    const abandoned = new Promise<never>((_, reject) => {
      onAbort = () => reject(cancelledError());
      if (job.signal?.aborted) onAbort();
      else job.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const out = await Promise.race([rendering, timeout, abandoned]);
      this.counters.renders++;
      job.resolve(out);
      if (last) await this.recycle(slot, 'render count');
    } catch (e) {
      rendering.catch(() => undefined);
      const err = asTuilerieError(e);
      if (handedOn) {
        this.counters[err.code === 'CANCELLED' ? 'abandoned' : err.code === 'TIMEOUT' ? 'timeouts' : 'failures']++;
        job.reject(err);
        return;
      }
      if (err.code === 'CANCELLED') {
        this.counters.abandoned++;
        this.logger.debug('render abandoned: nobody waits for it; recycling its page');
        job.reject(err);
        await this.recycle(slot, 'abandoned');
        if (!slot.renderer.healthy()) await this.restart(slot);
        return;
      }
      if (err.code === 'TIMEOUT') {
        this.counters.timeouts++;
        this.logger.warn('render timed out; recycling its page', { timeoutMs });
        job.reject(err);
        await this.recycle(slot, 'timeout');
        if (!slot.renderer.healthy()) await this.restart(slot);
        return;
      }
      if (!slot.renderer.healthy() && !this.closed) {
        await this.restart(slot);
        if (job.attempts === 0) {
          job.attempts++;
          this.queue.unshift(job);
          return;
        }
      }
      this.counters.failures++;
      job.reject(err);
    } finally {
      clearTimeout(timer);
      if (onAbort) job.signal?.removeEventListener('abort', onAbort);
    }
  }

  private armIdle(slot: Slot): void {
    const ms = this.opts.idleCloseMs ?? 0;
    if (ms <= 0) return;
    slot.idleTimer = setTimeout(() => {
      if (slot.busy || this.closed) return;
      this.counters.idleCloses++;
      this.logger.info('closing an idle renderer', { idleMs: ms });
      const old = slot.renderer;
      // renderers start their browser on first use, so the replacement costs nothing until then
      slot.renderer = this.opts.create();
      slot.renders = 0;
      old.close().catch(() => undefined);
    }, ms);
    slot.idleTimer.unref();
  }

  private async recycle(slot: Slot, why: string): Promise<void> {
    this.counters.recycles++;
    slot.renders = 0;
    this.logger.debug('recycling render page', { why });
    await slot.renderer.recycle().catch((e) => this.logger.warn('page recycle failed', { error: String(e) }));
  }

  private async restart(slot: Slot): Promise<void> {
    this.counters.restarts++;
    this.logger.warn('renderer died; starting a new one');
    await slot.renderer.close().catch(() => undefined);
    slot.renderer = this.opts.create();
    slot.renders = 0;
  }
}
