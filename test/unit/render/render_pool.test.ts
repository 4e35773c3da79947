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
});
