/**
 * Plan jobs for the server: one runs at a time (a plan takes the renderer for
 * seconds), a bounded queue behind it (OVERLOADED past it), and finished plans
 * kept in a bounded cache by id until evicted. A job submitted with a signal
 * (a client waiting on the line for it) is dropped from the queue, or stopped
 * while it runs, when that signal aborts.
 */
import crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { asTuilerieError, TuilerieError } from '../core/errors.js';
import type { PlanOptions } from './plan_options.js';
import type { PlanProgress, PlanResult } from './plan_maker.js';

export type PlanJobState = 'queued' | 'running' | 'done' | 'failed';

export interface PlanJob {
  id: string;
  options: PlanOptions;
  state: PlanJobState;
  stage?: PlanProgress['stage'];
  progress: number;
  createdAt: number;
  finishedAt?: number;
  error?: TuilerieError;
  result?: PlanResult;
}

export interface PlanJobQueueOptions {
  /** Makes a plan; `signal` aborts when nobody waits for it any more (its renders should stop then). */
  run: (options: PlanOptions, onProgress: (p: PlanProgress) => void, signal: AbortSignal) => Promise<PlanResult>;
  /** Jobs waiting behind the running one (default 4). */
  maxQueue?: number;
  /** Finished plans kept, by total bytes (default 256 MB). */
  maxResultBytes?: number;
  /** Finished jobs remembered (default 200). */
  maxJobs?: number;
}

export class PlanJobQueue {
  private readonly waiting: PlanJob[] = [];
  private running?: PlanJob;
  private readonly finished: LRUCache<string, PlanJob>;
  private readonly waiters = new Map<string, Array<() => void>>();
  /** Aborts the run of a job, by id, while it is queued or running. */
  private readonly aborts = new Map<string, AbortController>();
  private closed = false;

  constructor(private readonly opts: PlanJobQueueOptions) {
    this.finished = new LRUCache<string, PlanJob>({
      max: opts.maxJobs ?? 200,
      maxSize: opts.maxResultBytes ?? 256 * 1024 * 1024,
      sizeCalculation: (j) => Math.max(1, j.result?.data.length ?? 1),
    });
  }

  /**
   * Queues a plan; OVERLOADED when the queue is full. With `signal` (the
   * synchronous route passes its client's), the job fails CANCELLED and stops
   * once the signal aborts.
   */
  submit(options: PlanOptions, opts: { signal?: AbortSignal } = {}): PlanJob {
    if (this.closed) throw new TuilerieError('OVERLOADED', 'the server is stopping: retry later');
    if (this.waiting.length >= (this.opts.maxQueue ?? 4)) throw new TuilerieError('OVERLOADED', `${this.waiting.length} plans are already waiting: retry later`);
    const job: PlanJob = { id: crypto.randomUUID(), options, state: 'queued', progress: 0, createdAt: Date.now() };
    const abort = new AbortController();
    this.aborts.set(job.id, abort);
    opts.signal?.addEventListener('abort', () => this.cancel(job), { once: true });
    this.waiting.push(job);
    void this.pump();
    return job;
  }

  /** Nobody waits for the job any more: out of the queue, or its run told to stop. */
  private cancel(job: PlanJob): void {
    const i = this.waiting.indexOf(job);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      this.finish(job, new TuilerieError('CANCELLED', 'the client went away before the plan started'));
    }
    this.aborts.get(job.id)?.abort();
  }

  get(id: string): PlanJob | undefined {
    if (this.running?.id === id) return this.running;
    return this.waiting.find((j) => j.id === id) ?? this.finished.get(id);
  }

  /** Position in the queue (0 = next), or undefined when not waiting. */
  position(id: string): number | undefined {
    const i = this.waiting.findIndex((j) => j.id === id);
    return i < 0 ? undefined : i;
  }

  /** Resolves once the job has finished (done or failed). */
  wait(job: PlanJob): Promise<PlanJob> {
    if (job.state === 'done' || job.state === 'failed') return Promise.resolve(job);
    return new Promise((resolve) => {
      const list = this.waiters.get(job.id) ?? [];
      list.push(() => resolve(job));
      this.waiters.set(job.id, list);
    });
  }

  /** Stops taking jobs; resolves when the running one has finished. */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.waiting.splice(0)) this.finish(j, new TuilerieError('OVERLOADED', 'the server stopped before this plan could start'));
    if (this.running) await this.wait(this.running);
  }

  private finish(job: PlanJob, error?: TuilerieError): void {
    this.aborts.delete(job.id);
    job.finishedAt = Date.now();
    if (error) {
      job.state = 'failed';
      job.error = error;
    } else {
      job.state = 'done';
      job.progress = 1;
    }
    this.finished.set(job.id, job);
    for (const w of this.waiters.get(job.id) ?? []) w();
    this.waiters.delete(job.id);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.running = job;
    job.state = 'running';
    try {
      const signal = this.aborts.get(job.id)?.signal ?? new AbortController().signal;
      job.result = await this.opts.run(job.options, (p) => {
        job.stage = p.stage;
        job.progress = p.fraction;
      }, signal);
      this.running = undefined;
      this.finish(job);
    } catch (e) {
      this.running = undefined;
      this.finish(job, asTuilerieError(e));
    }
    void this.pump();
  }
}
