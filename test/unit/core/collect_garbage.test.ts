import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectGarbage } from '../../../src/core/collect_garbage.js';

describe('collectGarbage', () => {
  it('frees the memory of typed arrays nothing refers to any more', async () => {
    let held: Float64Array[] | null = Array.from({ length: 8 }, () => new Float64Array(1 << 20).fill(1));
    const before = process.memoryUsage().arrayBuffers;
    assert.ok(held.length === 8);
    held = null;
    collectGarbage();
    // V8 frees the backing stores of dead buffers on a background thread after the
    // collection, so the count can lag it by a moment on a loaded machine: wait for
    // it to settle (without a collection nothing is freed however long one waits).
    let after = process.memoryUsage().arrayBuffers;
    for (const until = Date.now() + 5000; before - after < 48 * 2 ** 20 && Date.now() < until; ) {
      await sleep(20);
      after = process.memoryUsage().arrayBuffers;
    }
    // 64 MiB dropped: most of it must be gone (V8 alone leaves it until a collection it has no reason to start)
    assert.ok(before - after >= 48 * 2 ** 20, `array buffers ${before >> 20} -> ${after >> 20} MiB`);
  });
});
