import assert from 'node:assert/strict';
import { simplify, computeImportance, filterByImportance, sqSegDist, flatRingArea } from '../../../src/tiling/simplify.js';
import { seededRandom as rng } from '../../../src/core/seeded_random.js';

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */

function randomWalk(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const c = new Float64Array(2 * n);
  let x = 0, y = 0;
  for (let i = 0; i < n; i++) {
    x += r() * 2;
    y += r() * 2 - 1;
    c[2 * i] = x;
    c[2 * i + 1] = y;
  }
  return c;
}

/** Largest distance from an original vertex to the simplified polyline segment spanning it. */
function maxDeviation(orig: Float64Array, simp: Float64Array): number {
  // Simplified vertices are a subsequence of the original ones: walk both.
  let worst = 0;
  let j = 0;
  for (let i = 0; i < orig.length / 2; i++) {
    const x = orig[2 * i], y = orig[2 * i + 1];
    if (x === simp[2 * j] && y === simp[2 * j + 1] && j < simp.length / 2 - 1) {
      j++;
      continue;
    }
    const d = Math.sqrt(sqSegDist(x, y, simp[2 * j - 2], simp[2 * j - 1], simp[2 * j], simp[2 * j + 1]));
    if (d > worst) worst = d;
  }
  return worst;
}

describe('tiling/simplify', () => {
  it('keeps every vertex within the tolerance of the simplified line', () => {
    const line = randomWalk(5000, 1);
    for (const tol of [0.1, 1, 5]) {
      const s = simplify(line, tol * tol)!;
      assert.ok(s.length < line.length, `tolerance ${tol} removed nothing`);
      assert.ok(maxDeviation(line, s) <= tol + 1e-9, `deviation above ${tol}`);
    }
  });

  it('keeps both end points of a line', () => {
    const line = randomWalk(300, 2);
    const s = simplify(line, 100)!;
    assert.deepEqual([s[0], s[1]], [line[0], line[1]]);
    assert.deepEqual([s[s.length - 2], s[s.length - 1]], [line[line.length - 2], line[line.length - 1]]);
  });

  it('filtering precomputed importance gives the same result as direct simplification at each tolerance', () => {
    const line = randomWalk(2000, 3);
    const imp = computeImportance(line, 0.01);
    for (const tol of [0.2, 0.7, 3]) {
      assert.deepEqual(filterByImportance(line, imp, tol * tol), simplify(line, tol * tol));
    }
  });

  it('removes collinear vertices exactly', () => {
    const s = simplify(Float64Array.of(0, 0, 1, 1, 2, 2, 3, 3, 4, 0), 1e-12)!;
    assert.deepEqual(Array.from(s), [0, 0, 3, 3, 4, 0]);
  });

  it('keeps a ring closed', () => {
    const n = 200;
    const ring = new Float64Array(2 * (n + 1));
    for (let i = 0; i <= n; i++) {
      ring[2 * i] = 100 * Math.cos((2 * Math.PI * i) / n);
      ring[2 * i + 1] = 100 * Math.sin((2 * Math.PI * i) / n);
    }
    ring[2 * n] = ring[0];
    ring[2 * n + 1] = ring[1];
    const s = simplify(ring, 1, { ring: true })!;
    assert.ok(s.length < ring.length && s.length >= 8);
    assert.equal(s[0], s[s.length - 2]);
    assert.equal(s[1], s[s.length - 1]);
    assert.ok(Math.abs(flatRingArea(s)) > 0.9 * Math.PI * 100 * 100);
  });

  it('drops a ring that collapses under the tolerance', () => {
    const tiny = Float64Array.of(0, 0, 0.5, 0, 0.5, 0.5, 0, 0.5, 0, 0);
    assert.equal(simplify(tiny, 4, { ring: true }), null);
  });

  it('handles a 1M-vertex line without exhausting the stack @slow', () => {
    const line = randomWalk(1_000_000, 4);
    const s = simplify(line, 4)!;
    assert.ok(s.length >= 4 && s.length < line.length);
  });
});
