import assert from 'node:assert/strict';
import { RenderPool } from '../../../src/render/render_pool.js';
import type { Renderer, RenderRequest } from '../../../src/render/renderer.js';
import { isTuilerieError } from '../../../src/core/errors.js';

const REQ: RenderRequest = { style: {}, styleKey: 's', view: { center: [0, 0], zoom: 1 }, width: 8, height: 8, scale: 1, format: 'png' };

/** A scripted renderer: `behave` decides each render's outcome. */
class FakeRenderer implements Renderer {
  alive = true;
  renders = 0;
  recycles = 0;
  closed = false;
  constructor(private readonly behave: (self: FakeRenderer) => Promise<Buffer>) {}
  render(): Promise<Buffer> {
    this.renders++;
    return this.behave(this);
  }
  healthy(): boolean { return this.alive && !this.closed; }
  async recycle(): Promise<void> { this.recycles++; }
  async close(): Promise<void> { this.closed = true; }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RenderPool', () => {
  it('refuses with OVERLOADED once the queue is full, and says when to retry', async () => {
    const pool = new RenderPool({ create: () => new FakeRenderer(async () => { await wait(50); return Buffer.from('x'); }), maxQueue: 2 });
    const ok = [pool.render(REQ), pool.render(REQ), pool.render(REQ)];
    await assert.rejects(pool.render(REQ), (e) => isTuilerieError(e, 'OVERLOADED') && typeof e.details?.retryAfter === 'number');
    await Promise.all(ok);
    await pool.close();
  });

  it('accepts work again once the queue drains', async () => {
    const pool = new RenderPool({ create: () => new FakeRenderer(async () => { await wait(10); return Buffer.from('x'); }), maxQueue: 1 });
    await Promise.all([pool.render(REQ), pool.render(REQ)]);
    assert.deepEqual(await pool.render(REQ), Buffer.from('x'));
    await pool.close();
  });

  it('fails a render past its timeout with TIMEOUT and recycles the page', async () => {
    let r!: FakeRenderer;
    const pool = new RenderPool({ create: () => (r = new FakeRenderer(() => new Promise(() => {}))), timeoutMs: 50 });
    await assert.rejects(pool.render(REQ), (e) => isTuilerieError(e, 'TIMEOUT'));
    await wait(10);
    assert.equal(r.recycles, 1);
    await pool.close();
  });

  it('recycles the page after recycleAfter renders', async () => {
    let r!: FakeRenderer;
    const pool = new RenderPool({ create: () => (r = new FakeRenderer(async () => Buffer.from('x'))), recycleAfter: 3 });
    for (let i = 0; i < 7; i++) await pool.render(REQ);
    assert.equal(r.recycles, 2);
    await pool.close();
  });

  it('replaces a renderer whose browser died and retries the job once on the new one', async () => {
    const made: FakeRenderer[] = [];
    const pool = new RenderPool({
      create: () => {
        const first = made.length === 0;
        const r = new FakeRenderer(async (self) => {
          if (first) { self.alive = false; throw new Error('Target closed'); }
          return Buffer.from('ok');
        });
        made.push(r);
        return r;
      },
    });
    assert.deepEqual(await pool.render(REQ), Buffer.from('ok'));
    assert.equal(made.length, 2);
    assert.ok(made[0].closed);
    assert.equal(pool.stats().restarts, 1);
    await pool.close();
  });

  it('gives up after one retry when the new renderer dies as well', async () => {
    const pool = new RenderPool({ create: () => new FakeRenderer(async (self) => { self.alive = false; throw new Error('crash'); }) });
    await assert.rejects(pool.render(REQ));
    assert.equal(pool.stats().restarts, 2);
    await pool.close();
  });

  it('passes an ordinary render error through without restarting', async () => {
    const pool = new RenderPool({ create: () => new FakeRenderer(async () => { throw new Error('bad style'); }) });
    await assert.rejects(pool.render(REQ), /bad style/);
    assert.equal(pool.stats().restarts, 0);
    await pool.close();
  });

  it('closes an idle renderer and renders with a fresh one afterwards', async () => {
    const made: FakeRenderer[] = [];
    const pool = new RenderPool({ create: () => { const r = new FakeRenderer(async () => Buffer.from('x')); made.push(r); return r; }, idleCloseMs: 30 });
    await pool.render(REQ);
    await wait(80);
    assert.ok(made[0].closed);
    assert.deepEqual(await pool.render(REQ), Buffer.from('x'));
    assert.equal(made[1].renders, 1);
    await pool.close();
  });

  describe('deadlines and cancellation', () => {
    /** A renderer whose renders finish when the test says so. */
    function gated() {
      const gates: Array<() => void> = [];
      const made: FakeRenderer[] = [];
      const create = () => {
        const r = new FakeRenderer(() => new Promise<Buffer>((resolve) => gates.push(() => resolve(Buffer.from('x')))));
        made.push(r);
        return r;
      };
      const renders = () => made.reduce((n, r) => n + r.renders, 0);
      const until = async (cond: () => boolean) => { while (!cond()) await wait(5); };
      return { gates, made, create, renders, until };
    }

    it('gives up a job that waited maxWaitMs for a renderer with OVERLOADED and a Retry-After hint; it is never rendered', async () => {
      const g = gated();
      const pool = new RenderPool({ create: g.create, maxWaitMs: 30, retryAfterSeconds: 3 });
      const first = pool.render(REQ);
      await assert.rejects(pool.render(REQ), (e) => isTuilerieError(e, 'OVERLOADED') && e.details?.retryAfter === 3 && /within 30 ms/.test(e.message));
      assert.equal(pool.stats().queueTimeouts, 1);
      assert.equal(pool.stats().queued, 0);
      await g.until(() => g.gates.length === 1);
      g.gates[0]();
      await first;
      assert.equal(g.renders(), 1);
      await pool.close();
    });

    it('lets one call wait without limit (maxWaitMs: 0) whatever the pool\'s deadline', async () => {
      const g = gated();
      const pool = new RenderPool({ create: g.create, maxWaitMs: 20 });
      const first = pool.render(REQ);
      const patient = pool.render(REQ, { maxWaitMs: 0 });
      await wait(60);
      await g.until(() => g.gates.length === 1);
      g.gates[0]();
      await first;
      await g.until(() => g.gates.length === 2);
      g.gates[1]();
      assert.deepEqual(await patient, Buffer.from('x'));
      assert.equal(pool.stats().queueTimeouts, 0);
      await pool.close();
    });

    it('drops a queued job whose caller aborted: CANCELLED, never rendered', async () => {
      const g = gated();
      const pool = new RenderPool({ create: g.create });
      const first = pool.render(REQ);
      const ac = new AbortController();
      const gone = pool.render(REQ, { signal: ac.signal });
      assert.equal(pool.stats().queued, 1);
      ac.abort();
      await assert.rejects(gone, (e) => isTuilerieError(e, 'CANCELLED'));
      assert.equal(pool.stats().queued, 0);
      assert.equal(pool.stats().cancelled, 1);
      await g.until(() => g.gates.length === 1);
      g.gates[0]();
      await first;
      await wait(20);
      assert.equal(g.renders(), 1);
      await pool.close();
    });

    it('abandons a running render whose caller aborted: the job fails at once, its page is recycled, the slot serves the next job', async () => {
      const g = gated();
      const pool = new RenderPool({ create: g.create });
      const ac = new AbortController();
      const running = pool.render(REQ, { signal: ac.signal });
      await g.until(() => g.gates.length === 1);
      const next = pool.render(REQ);
      ac.abort();
      await assert.rejects(running, (e) => isTuilerieError(e, 'CANCELLED'));
      await g.until(() => g.gates.length === 2);
      assert.equal(g.made[0].recycles, 1);
      assert.equal(pool.stats().abandoned, 1);
      g.gates[1]();
      assert.deepEqual(await next, Buffer.from('x'));
      await pool.close();
    });

    it('refuses a call whose signal is already aborted without rendering', async () => {
      const g = gated();
      const pool = new RenderPool({ create: g.create });
      await assert.rejects(pool.render(REQ, { signal: AbortSignal.abort() }), (e) => isTuilerieError(e, 'CANCELLED'));
      assert.equal(g.renders(), 0);
      await pool.close();
    });

    it('a finished job ignores a later abort of its signal', async () => {
      const pool = new RenderPool({ create: () => new FakeRenderer(async () => Buffer.from('x')) });
      const ac = new AbortController();
      assert.deepEqual(await pool.render(REQ, { signal: ac.signal }), Buffer.from('x'));
      ac.abort();
      assert.deepEqual(pool.stats().abandoned + pool.stats().cancelled, 0);
      await pool.close();
    });
  });
});

describe('RenderPool: a renderer that says it is ready before its render ends', () => {
  /** Draws for `drawMs` (one at a time, like a page), says it is ready, then finishes for `finishMs` (decoding). */
  class PipelinedRenderer implements Renderer {
    drawing = 0;
    maxDrawing = 0;
    recycles = 0;
    started: number[] = [];
    constructor(private readonly o: { drawMs: number; finishMs: number; failFinish?: boolean; recycleWaitMs?: number }) {}
    async render(_req: RenderRequest, hooks: { onReady?: () => void } = {}): Promise<Buffer> {
      this.started.push(Date.now());
      this.maxDrawing = Math.max(this.maxDrawing, ++this.drawing);
      await wait(this.o.drawMs);
      this.drawing--;
      hooks.onReady?.();
      await wait(this.o.finishMs);
      if (this.o.failFinish) throw new Error('decoding failed');
      return Buffer.from('x');
    }
    healthy(): boolean { return true; }
    async recycle(): Promise<void> {
      this.recycles++;
      this.maxDrawing = Math.max(this.maxDrawing, this.drawing + 1);
      await wait(this.o.recycleWaitMs ?? 0);
    }
    async close(): Promise<void> {}
  }

  it('starts the next job as soon as the renderer is ready, never two draws at once', async () => {
    let r!: PipelinedRenderer;
    const pool = new RenderPool({ create: () => (r = new PipelinedRenderer({ drawMs: 30, finishMs: 200 })) });
    const t0 = Date.now();
    await Promise.all([pool.render(REQ), pool.render(REQ), pool.render(REQ)]);
    assert.equal(r.maxDrawing, 1);
    // the third job started long before the first had finished (30 + 200 ms)
    assert.ok(r.started[2] - t0 < 200, `third job started after ${r.started[2] - t0} ms`);
    await pool.close();
  });

  it('fails only the job whose finishing work failed, without recycling the page the next job draws on', async () => {
    let r!: PipelinedRenderer;
    const pool = new RenderPool({ create: () => (r = new PipelinedRenderer({ drawMs: 10, finishMs: 20, failFinish: true })) });
    await assert.rejects(pool.render(REQ), /decoding failed/);
    assert.equal(r.recycles, 0);
    assert.equal(pool.stats().failures, 1);
    await pool.close();
  });

  it('keeps the slot for the render that reaches recycleAfter until the page is recycled', async () => {
    let r!: PipelinedRenderer;
    const pool = new RenderPool({ create: () => (r = new PipelinedRenderer({ drawMs: 10, finishMs: 10, recycleWaitMs: 30 })), recycleAfter: 2 });
    await Promise.all([pool.render(REQ), pool.render(REQ), pool.render(REQ), pool.render(REQ)]);
    assert.equal(r.recycles, 2);
    // recycle counts as drawing: no render ran during one
    assert.equal(r.maxDrawing, 1);
    await pool.close();
  });
});
