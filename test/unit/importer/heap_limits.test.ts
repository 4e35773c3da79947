import assert from 'node:assert/strict';
import {
  heapLimits, tileFeatureBudget, MAX_YOUNG_MB, MIN_ENCODER_HEAP_MB, MIN_MAIN_HEAP_MB, MIN_MAIN_SEMI_SPACE_MB, MIN_WORKER_YOUNG_MB, NODE_SHARE, TILE_FEATURE_SHARE, WAY_TAG_SHARE,
} from '../../../src/importer/heap_limits.js';

const MiB = 2 ** 20;
const budgets = [1, 64, 300, 512, 1024, 2048, 3072, 6144, 12288, 65536].map((m) => m * MiB);

describe('heapLimits: JavaScript heaps from import --max-memory', () => {
  it('never goes below the floors, however small the budget', () => {
    for (const b of budgets) for (let threads = 1; threads <= 16; threads++) {
      const h = heapLimits(b, threads);
      assert.ok(h.mainMb >= MIN_MAIN_HEAP_MB && h.encoderMb >= MIN_ENCODER_HEAP_MB, `${b / MiB} MiB, ${threads} threads: ${JSON.stringify(h)}`);
    }
  });

  it('leaves the typed-buffer shares outside the heaps: above the floors, the heaps and those shares fit the budget', () => {
    for (const b of budgets) for (let threads = 1; threads <= 16; threads++) {
      const h = heapLimits(b, threads);
      if (h.mainMb === MIN_MAIN_HEAP_MB) continue;
      const youngAbove = (threads - 1) * (h.workerYoungMb - MIN_WORKER_YOUNG_MB) + 3 * (h.mainSemiSpaceMb - MIN_MAIN_SEMI_SPACE_MB);
      const total = (h.mainMb + (threads - 1) * h.encoderMb + youngAbove) * MiB + b * (NODE_SHARE + TILE_FEATURE_SHARE + WAY_TAG_SHARE);
      assert.ok(total <= b, `${b / MiB} MiB, ${threads} threads: heaps and buffers take ${total / MiB} MiB`);
    }
  });

  it('grows with the budget and gives the main heap less when there are more encoder threads', () => {
    for (let i = 1; i < budgets.length; i++) {
      const a = heapLimits(budgets[i - 1], 2), b = heapLimits(budgets[i], 2);
      assert.ok(b.mainMb >= a.mainMb && b.encoderMb >= a.encoderMb, `${budgets[i] / MiB} MiB`);
    }
    assert.ok(heapLimits(3072 * MiB, 8).mainMb < heapLimits(3072 * MiB, 2).mainMb);
    assert.ok(heapLimits(2048 * MiB, 2).mainMb > MIN_MAIN_HEAP_MB, 'a 2 GiB budget limits the main heap above the floor');
  });

  it('keeps V8\'s young generations up to a 2 GiB budget and gives larger budgets larger ones, up to a ceiling', () => {
    for (const b of budgets.filter((x) => x <= 2048 * MiB)) {
      const h = heapLimits(b, 2);
      assert.deepEqual([h.workerYoungMb, h.mainSemiSpaceMb], [MIN_WORKER_YOUNG_MB, MIN_MAIN_SEMI_SPACE_MB], `${b / MiB} MiB`);
    }
    // the default budget, half of this machine kind's 24 GiB
    const d = heapLimits(12288 * MiB, 2);
    assert.ok(d.workerYoungMb > MIN_WORKER_YOUNG_MB && d.mainSemiSpaceMb > MIN_MAIN_SEMI_SPACE_MB, JSON.stringify(d));
    const big = heapLimits(65536 * MiB, 2);
    assert.deepEqual([big.workerYoungMb, big.mainSemiSpaceMb], [MAX_YOUNG_MB, MAX_YOUNG_MB]);
  });

  describe('tileFeatureBudget', () => {
    it('is never below the tile features\' share, and takes only part of what is free beside the feature threads\' heaps', () => {
      for (const b of budgets) for (let threads = 1; threads <= 8; threads++) for (const used of [0, 0.1, 0.3, 0.5, 0.9, 1.2]) {
        const heap = heapLimits(b, threads);
        const rss = Math.floor(b * used);
        const t = tileFeatureBudget({ maxMemoryBytes: b, rssBytes: rss, threads, heap });
        const share = Math.floor(b * TILE_FEATURE_SHARE);
        assert.ok(t >= share, `${b / MiB} MiB, ${threads} threads, ${used}: ${t} < share ${share}`);
        const heaps = (threads - 1) * (heap.encoderMb + 3 * heap.workerYoungMb) * MiB;
        if (t > share) assert.ok(rss + heaps + t < b, `${b / MiB} MiB, ${threads} threads, ${used}: ${rss} + ${heaps} + ${t} ≥ budget`);
      }
    });

    it('gives the stores more when the OSM read left more of the budget free', () => {
      const b = 6144 * MiB, heap = heapLimits(b, 2);
      const at = (rssMb: number): number => tileFeatureBudget({ maxMemoryBytes: b, rssBytes: rssMb * MiB, threads: 2, heap });
      assert.ok(at(1500) > at(2500) && at(2500) > at(3500));
      assert.ok(at(2200) > 1.5 * b * TILE_FEATURE_SHARE, 'a 6 GiB import that read 2.2 GiB leaves the stores more than 1.5 times their share');
      assert.equal(at(6000), Math.floor(b * TILE_FEATURE_SHARE));
    });
  });
});
