import assert from 'node:assert/strict';
import { PlanJobQueue } from '../../../src/print/plan_jobs.js';
import type { PlanResult } from '../../../src/print/plan_maker.js';
import { parsePlanOptions } from '../../../src/print/plan_options.js';
import { isTuilerieError, TuilerieError } from '../../../src/core/errors.js';

const options = parsePlanOptions({ place: 'Mulhouse' });

function fakeResult(bytes: number): PlanResult {
  return { data: Buffer.alloc(bytes), format: 'pdf', contentType: 'application/pdf', title: 'X', scale: 5000, pages: 1 } as unknown as PlanResult;
}

describe('print/plan_jobs', () => {
  it('runs one job at a time, in order', async () => {
    let active = 0, maxActive = 0;
    const order: string[] = [];
    const q = new PlanJobQueue({
      maxQueue: 5,
      run: async (o) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 10));
        order.push(o.place!);
        active--;
        return fakeResult(10);
      },
    });
    const jobs = ['a', 'b', 'c'].map((p) => q.submit({ ...options, place: p }));
    await Promise.all(jobs.map((j) => q.wait(j)));
    assert.equal(maxActive, 1);
    assert.deepEqual(order, ['a', 'b', 'c']);
  });
  it('refuses jobs past the queue bound with OVERLOADED', () => {
    const q = new PlanJobQueue({ maxQueue: 1, run: () => new Promise(() => undefined) });
    q.submit(options); // running
    q.submit(options); // waiting
    assert.throws(() => q.submit(options), (e) => isTuilerieError(e, 'OVERLOADED'));
  });
  it('reports progress while running and keeps the finished result by id', async () => {
    let release!: () => void;
    const q = new PlanJobQueue({
      run: async (_o, progress) => {
        progress({ stage: 'map', fraction: 0.5 });
        await new Promise<void>((r) => (release = r));
        return fakeResult(10);
      },
    });
    const job = q.submit(options);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual([q.get(job.id)!.state, q.get(job.id)!.stage, q.get(job.id)!.progress], ['running', 'map', 0.5]);
    release();
    await q.wait(job);
    assert.equal(q.get(job.id)!.state, 'done');
    assert.equal(q.get(job.id)!.result!.data.length, 10);
  });
  it('a failing job keeps its typed error and the queue goes on', async () => {
    let n = 0;
    const q = new PlanJobQueue({ run: async () => (n++ === 0 ? Promise.reject(new TuilerieError('NOT_FOUND', 'no place')) : fakeResult(1)) });
    const a = q.submit(options), b = q.submit(options);
    await q.wait(b);
    assert.equal(q.get(a.id)!.error!.code, 'NOT_FOUND');
    assert.equal(q.get(b.id)!.state, 'done');
  });
  it('evicts finished plans past the byte bound', async () => {
    const q = new PlanJobQueue({ maxResultBytes: 100, run: async () => fakeResult(60) });
    const a = q.submit(options), b = q.submit(options);
    await q.wait(b);
    assert.equal(q.get(a.id), undefined);
    assert.ok(q.get(b.id));
  });
  it('drops a waiting job whose client went away (CANCELLED), without running it', async () => {
    const ran: string[] = [];
    let release!: () => void;
    const q = new PlanJobQueue({ run: async (o) => { ran.push(o.place!); if (o.place === 'a') await new Promise<void>((r) => { release = r; }); return fakeResult(1); } });
    const a = q.submit({ ...options, place: 'a' });
    const ac = new AbortController();
    const b = q.submit({ ...options, place: 'b' }, { signal: ac.signal });
    ac.abort();
    const gone = await q.wait(b);
    assert.equal(gone.state, 'failed');
    assert.ok(isTuilerieError(gone.error, 'CANCELLED'));
    assert.equal(q.position(b.id), undefined);
    release();
    await q.wait(a);
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(ran, ['a']);
  });
  it('tells the running job to stop when its client goes away', async () => {
    let seen: AbortSignal | undefined;
    const q = new PlanJobQueue({
      run: (_o, _p, signal) => new Promise((_, reject) => {
        seen = signal;
        signal.addEventListener('abort', () => reject(new TuilerieError('CANCELLED', 'stopped')));
      }),
    });
    const ac = new AbortController();
    const job = q.submit(options, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(seen?.aborted, false);
    ac.abort();
    const done = await q.wait(job);
    assert.ok(isTuilerieError(done.error, 'CANCELLED'));
  });
  it('never stops a job submitted without a signal (POST /plans)', async () => {
    let seen: AbortSignal | undefined;
    const q = new PlanJobQueue({ run: async (_o, _p, signal) => { seen = signal; return fakeResult(1); } });
    assert.equal((await q.wait(q.submit(options))).state, 'done');
    assert.equal(seen?.aborted, false);
  });
});
