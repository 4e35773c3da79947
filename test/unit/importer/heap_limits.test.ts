import assert from 'node:assert/strict';
import { heapLimits, MIN_ENCODER_HEAP_MB, MIN_MAIN_HEAP_MB, NODE_SHARE, TILE_FEATURE_SHARE, WAY_TAG_SHARE } from '../../../src/importer/heap_limits.js';

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
      const total = (h.mainMb + (threads - 1) * h.encoderMb) * MiB + b * (NODE_SHARE + TILE_FEATURE_SHARE + WAY_TAG_SHARE);
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
});
