import assert from 'node:assert/strict';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { EventEmitter } from 'node:events';
import { serveTasks, WorkerPool } from '../../../src/core/worker_pool.js';

/** A Worker look-alike whose "thread" is a MessageChannel served by serveTasks in this thread. */
function fakeWorker(handlers: Parameters<typeof serveTasks>[1], started: { n: number }): Worker {
  started.n++;
  const { port1, port2 } = new MessageChannel();
  serveTasks(port2, handlers);
  const w = new EventEmitter() as EventEmitter & Partial<Worker>;
  port1.on('message', (m) => w.emit('message', m));
  w.postMessage = (m: unknown, t?: readonly ArrayBuffer[]) => port1.postMessage(m, t as ArrayBuffer[]);
  w.ref = () => w as Worker;
  w.unref = () => w as Worker;
  w.terminate = async () => {
    port1.close();
    port2.close();
    return 0;
  };
  return w as Worker;
}

describe('core/worker_pool', () => {
  it('answers each task with its own result, never more workers than its size', async () => {
    const started = { n: 0 };
    const pool = new WorkerPool({ name: 't', size: 2, start: () => fakeWorker({ double: (a: { x: number }) => ({ result: a.x * 2 }) }, started) });
    const got = await Promise.all(Array.from({ length: 20 }, (_, x) => pool.run('double', { x })));
    assert.deepEqual(got, Array.from({ length: 20 }, (_, x) => x * 2));
    assert.ok(started.n <= 2, `${started.n} workers`);
    await pool.close();
  });

  it('rejects a task whose handler throws, with the pool and task names, and goes on with the next', async () => {
    const pool = new WorkerPool({ name: 'pixel', size: 1, start: () => fakeWorker({ bad: () => { throw new Error('no pixels'); }, ok: () => ({ result: 1 }) }, { n: 0 }) });
    await assert.rejects(pool.run('bad', {}), (e: Error & { code?: string }) => e.code === 'INTERNAL' && /pixel task bad failed: no pixels/.test(e.message));
    assert.equal(await pool.run('ok', {}), 1);
    await pool.close();
  });

  it('hands transferred buffers over: the caller\'s copy is detached', async () => {
    const pool = new WorkerPool({ name: 't', size: 1, start: () => fakeWorker({ sum: (a: { b: Uint8Array }) => ({ result: a.b.reduce((s, v) => s + v, 0) }) }, { n: 0 }) });
    const b = new Uint8Array([1, 2, 3]);
    assert.equal(await pool.run('sum', { b }, [b.buffer]), 6);
    assert.equal(b.byteLength, 0);
    await pool.close();
  });

  it('fails the running task of a worker that dies and starts a new worker for the next', async () => {
    const started = { n: 0 };
    let first: Worker | undefined;
    const pool = new WorkerPool({
      name: 't',
      size: 1,
      start: () => {
        const w = fakeWorker({ hang: () => new Promise(() => {}), ok: () => ({ result: 'fine' }) }, started);
        first ??= w;
        return w;
      },
    });
    const hung = pool.run('hang', {});
    await new Promise((r) => setImmediate(r));
    first!.emit('exit', 1);
    await assert.rejects(hung, /t worker exited \(1\)/);
    assert.equal(await pool.run('ok', {}), 'fine');
    assert.equal(started.n, 2);
    await pool.close();
  });

  it('rejects queued tasks when closed', async () => {
    const pool = new WorkerPool({ name: 't', size: 1, start: () => fakeWorker({ hang: () => new Promise(() => {}) }, { n: 0 }) });
    const running = pool.run('hang', {});
    const queued = pool.run('hang', {});
    running.catch(() => {});
    await pool.close();
    await assert.rejects(queued, /t workers closed/);
  });
});
