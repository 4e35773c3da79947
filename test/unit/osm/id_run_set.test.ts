import assert from 'node:assert/strict';
import { IdRunSet } from '../../../src/osm/id_run_set.js';

/** Deterministic pseudo-random numbers (xorshift), so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

describe('osm/IdRunSet', () => {
  it('answers like a Set for sorted runs with gaps of every size (ids past 2^32, byte chunks crossed)', () => {
    const rand = rng(7);
    const set = new IdRunSet();
    const ref = new Set<number>();
    // three sorted runs over overlapping ranges, as three overlapping extracts; gaps up to 2^22 cross 1 MiB chunks
    for (let run = 0; run < 3; run++) {
      let id = 1 + Math.floor(rand() * 1000) + (run === 2 ? 2 ** 33 : 0);
      for (let i = 0; i < 200_000; i++) {
        id += 1 + Math.floor(rand() ** 4 * 2 ** 22);
        set.add(id);
        ref.add(id);
      }
    }
    assert.equal(set.size, ref.size);
    // lookups in ascending order (the collector's pattern) and in random order (checkpoint seeks)
    const probes = [...ref].sort((a, b) => a - b);
    let misses = 0;
    for (const id of probes) {
      if (!set.has(id)) assert.fail(`id ${id} not found`);
      if (!ref.has(id + 1)) { misses++; if (set.has(id + 1)) assert.fail(`id ${id + 1} found`); }
    }
    assert.ok(misses > 0);
    for (let i = 0; i < 50_000; i++) {
      const id = probes[Math.floor(rand() * probes.length)] + (rand() < 0.5 ? 0 : 1);
      if (set.has(id) !== ref.has(id)) assert.fail(`id ${id}`);
    }
  });

  it('answers like a Set for unsorted input (runs merged past the limit)', () => {
    const rand = rng(11);
    const set = new IdRunSet();
    const ref = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const id = Math.floor(rand() * 100_000);
      set.add(id);
      ref.add(id);
      if (i % 97 === 0) {
        const q = Math.floor(rand() * 100_000);
        assert.equal(set.has(q), ref.has(q), `after ${i} adds, id ${q}`);
      }
    }
    for (let id = 0; id < 100_000; id++) if (set.has(id) !== ref.has(id)) assert.fail(`id ${id}`);
  });

  it('holds more ids than a JS Set can (2^24), at about a byte each when dense', function () {
    this.timeout(300_000);
    const set = new IdRunSet();
    const n = 2 ** 24 + 1000;
    for (let id = 1; id <= n; id++) set.add(id * 3);
    assert.equal(set.size, n);
    assert.ok(set.bytes < n * 2, `${set.bytes} bytes for ${n} ids`);
    for (let id = 1; id <= n; id += 4099) {
      assert.equal(set.has(id * 3), true);
      assert.equal(set.has(id * 3 + 1), false);
    }
    assert.equal(set.has(n * 3), true);
  });
});
