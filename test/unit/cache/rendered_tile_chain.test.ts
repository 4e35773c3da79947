import assert from 'node:assert/strict';
import { MemoryTileCache } from '../../../src/cache/memory_tile_cache.js';
import { RenderedTileChain, type RenderedDiskTier, type RenderedTile } from '../../../src/cache/rendered_tile_chain.js';
import type { CachedTile, TileCacheKey } from '../../../src/cache/tile_cache.js';
import { isTuilerieError } from '../../../src/core/errors.js';

const key = (x: number, y: number): TileCacheKey => ({ sourceId: 's', version: 'v1', z: 12, x, y, variant: '256@1x.png' });
/** The 2 × 2 block holding (x, y). */
const blockOf = (x: number, y: number) => ({ x0: x - (x % 2), y0: y - (y % 2) });
const blockKey = (x: number, y: number) => `s|v1|12|${blockOf(x, y).x0}|${blockOf(x, y).y0}`;

/** Renders of blocks that wait for the test (gates), recording the signal each got. */
function gatedRenders() {
  const signals: AbortSignal[] = [];
  const gates: Array<() => void> = [];
  const render = (x: number, y: number) => (signal: AbortSignal) => {
    signals.push(signal);
    return new Promise<RenderedTile[]>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')));
      const { x0, y0 } = blockOf(x, y);
      const tiles = [[0, 0], [1, 0], [0, 1], [1, 1]].map(([dx, dy]) => ({ key: key(x0 + dx, y0 + dy), data: Buffer.from(`tile ${x0 + dx}/${y0 + dy} render ${signals.length}`) }));
      gates.push(() => resolve(tiles));
    });
  };
  const fetch = (chain: RenderedTileChain, x: number, y: number, signal?: AbortSignal) => chain.fetch({ key: key(x, y), blockKey: blockKey(x, y), render: render(x, y), signal });
  return { signals, gates, fetch };
}

const fresh = () => new RenderedTileChain({ memory: new MemoryTileCache({ maxBytes: 1 << 20 }) });
const tick = () => new Promise((r) => setImmediate(r));
/** A waiter that goes away once its render has started: its fetch ends CANCELLED. */
async function leave(fetching: Promise<unknown>, ac: AbortController): Promise<void> {
  await tick();
  ac.abort();
  await assert.rejects(fetching, (e) => isTuilerieError(e, 'CANCELLED'));
}

describe('cache/rendered_tile_chain', () => {
  it('serves concurrent requests for tiles of one block with one render, each its own tile', async () => {
    const g = gatedRenders();
    const chain = fresh();
    const all = Promise.all([g.fetch(chain, 2128, 1440), g.fetch(chain, 2129, 1441), g.fetch(chain, 2129, 1440)]);
    await tick();
    assert.equal(g.signals.length, 1);
    g.gates[0]();
    assert.deepEqual((await all).map((t) => t.data.toString()), ['tile 2128/1440 render 1', 'tile 2129/1441 render 1', 'tile 2129/1440 render 1']);
  });

  it('renders tiles of different blocks separately', async () => {
    const g = gatedRenders();
    const chain = fresh();
    const all = Promise.all([g.fetch(chain, 2128, 1440), g.fetch(chain, 2130, 1440)]);
    await tick();
    assert.equal(g.signals.length, 2);
    g.gates.forEach((open) => open());
    await all;
  });

  it('answers the other tiles of a rendered block from memory, and a disk hit without rendering', async () => {
    const g = gatedRenders();
    const chain = fresh();
    const first = g.fetch(chain, 2128, 1440);
    await tick();
    g.gates[0]();
    await first;
    const outcome: { hit?: boolean } = {};
    const t = await chain.fetch({ key: key(2129, 1441), blockKey: blockKey(2129, 1441), render: () => assert.fail('rendered again'), outcome });
    assert.equal(t.data.toString(), 'tile 2129/1441 render 1');
    assert.equal(outcome.hit, true);
    const stored: CachedTile = { data: Buffer.from('from disk'), encoding: 'identity', etag: '"d"' };
    const disk: RenderedDiskTier = { get: (k) => (k.x === 7 ? stored : undefined), setMany: () => {} };
    const withDisk = new RenderedTileChain({ memory: new MemoryTileCache({ maxBytes: 1 << 20 }), disk });
    assert.equal((await withDisk.fetch({ key: key(7, 0), blockKey: 'b', render: () => assert.fail('rendered') })).data.toString(), 'from disk');
    assert.equal(withDisk.local(key(7, 0))?.data.toString(), 'from disk');
  });

  describe('cancellation', () => {
    it('abandons the render when its only waiter goes away', async () => {
      const g = gatedRenders();
      const ac = new AbortController();
      const p = g.fetch(fresh(), 2128, 1440, ac.signal);
      await leave(p, ac);
      assert.equal(g.signals[0].aborted, true);
    });

    it('keeps rendering for the other waiters of the block when one goes away', async () => {
      const g = gatedRenders();
      const chain = fresh();
      const a = new AbortController(), b = new AbortController();
      const pa = g.fetch(chain, 2128, 1440, a.signal);
      const pb = g.fetch(chain, 2129, 1441, b.signal);
      await leave(pa, a);
      assert.equal(g.signals.length, 1);
      assert.equal(g.signals[0].aborted, false);
      g.gates[0]();
      assert.equal((await pb).data.toString(), 'tile 2129/1441 render 1');
    });

    it('never abandons a render that a caller without a signal (seeding) waits for', async () => {
      const g = gatedRenders();
      const chain = fresh();
      const ac = new AbortController();
      const seed = g.fetch(chain, 2128, 1440);
      const client = g.fetch(chain, 2128, 1440, ac.signal);
      await leave(client, ac);
      assert.equal(g.signals[0].aborted, false);
      g.gates[0]();
      assert.equal((await seed).data.toString(), 'tile 2128/1440 render 1');
    });

    it('starts afresh for a request that comes after an abandoned render', async () => {
      const g = gatedRenders();
      const chain = fresh();
      const ac = new AbortController();
      const gone = g.fetch(chain, 2128, 1440, ac.signal);
      await leave(gone, ac);
      const later = g.fetch(chain, 2128, 1440);
      await tick();
      assert.equal(g.signals.length, 2);
      assert.equal(g.signals[1].aborted, false);
      g.gates[1]();
      assert.equal((await later).data.toString(), 'tile 2128/1440 render 2');
    });

    it('refuses at once a caller whose client has already gone, rendering nothing', async () => {
      const g = gatedRenders();
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(g.fetch(fresh(), 2128, 1440, ac.signal), (e) => isTuilerieError(e, 'CANCELLED'));
      assert.equal(g.signals.length, 0);
    });
  });
});
