import assert from 'node:assert/strict';
import { bruteForceTrip, farthestInsertionTrip, tripOrder } from '../../../src/routing/trip_order.js';

/** Travel times between points on a line (the i-th at position xs[i]). */
function lineTable(xs: number[]): number[][] {
  return xs.map((a) => xs.map((b) => Math.abs(a - b)));
}

/** Travel times between points on a ring of circumference `c` (shorter way round). */
function ringTable(pos: number[], c: number): number[][] {
  return pos.map((a) => pos.map((b) => Math.min(Math.abs(a - b), c - Math.abs(a - b))));
}

function tourCost(t: number[][], order: number[], closed: boolean): number {
  let s = 0;
  for (let i = 0; i + 1 < order.length; i++) s += t[order[i]][order[i + 1]];
  return closed ? s + t[order[order.length - 1]][order[0]] : s;
}

/** The cheapest closed tour cost by plain recursion over all orders (independent of the code under test). */
function optimum(t: number[][]): number {
  const n = t.length;
  let best = Infinity;
  const go = (at: number, seen: Set<number>, cost: number): void => {
    if (seen.size === n) {
      best = Math.min(best, cost + t[at][0]);
      return;
    }
    for (let v = 1; v < n; v++) {
      if (seen.has(v)) continue;
      seen.add(v);
      go(v, seen, cost + t[at][v]);
      seen.delete(v);
    }
  };
  go(0, new Set([0]), 0);
  return best;
}

/** Deterministic pseudo-random numbers (a small LCG), so a failure can be replayed. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

const isPermutation = (order: number[], n: number): boolean => [...order].sort((a, b) => a - b).every((v, i) => v === i) && order.length === n;

describe('routing: trip order (OSRM brute force and farthest insertion)', () => {
  it('brute force finds the cheapest tour of random asymmetric tables', () => {
    const rnd = lcg(7);
    for (let k = 0; k < 20; k++) {
      const n = 3 + (k % 5);
      const t = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Math.round(1 + rnd() * 100))));
      const order = bruteForceTrip(t);
      assert.ok(isPermutation(order, n));
      assert.equal(tourCost(t, order, true), optimum(t), `table ${JSON.stringify(t)}`);
    }
  });

  it('farthest insertion visits points on a ring in ring order', () => {
    const pos = [0, 7, 13, 22, 31, 38, 45, 52, 60, 71, 80, 93];
    // input order shuffled: input i is at ring position pos[perm[i]]
    const perm = [5, 0, 9, 2, 11, 7, 3, 10, 1, 6, 8, 4];
    const order = farthestInsertionTrip(ringTable(perm.map((p) => pos[p]), 100));
    assert.ok(isPermutation(order, perm.length));
    const ringSteps = order.map((i) => perm[i]);
    const k = ringSteps.indexOf(0);
    const rotated = [...ringSteps.slice(k), ...ringSteps.slice(0, k)];
    const up = rotated.every((v, i) => v === i);
    const down = rotated.every((v, i) => v === (perm.length - i) % perm.length);
    assert.ok(up || down, `ring order ${rotated.join(',')}`);
  });

  it('farthest insertion stays close to the optimum on random tables', () => {
    const rnd = lcg(11);
    const n = 8;
    const pts = Array.from({ length: n }, () => [rnd() * 1000, rnd() * 1000]);
    const t = pts.map((a) => pts.map((b) => Math.hypot(a[0] - b[0], a[1] - b[1])));
    const order = farthestInsertionTrip(t);
    assert.ok(isPermutation(order, n));
    // farthest insertion is at most twice optimal on metric tables (in practice within a few per cent)
    assert.ok(tourCost(t, order, true) <= 1.25 * optimum(t), `${tourCost(t, order, true)} vs ${optimum(t)}`);
  });

  it('a roundtrip starts at the first location; with a fixed end only, at the last', () => {
    const t = lineTable([4, 0, 9, 2, 6]);
    const free = tripOrder(t, { roundtrip: true, fixedStart: false, fixedEnd: false });
    assert.equal(free[0], 0);
    assert.equal(tourCost(t, free, true), 18);
    const end = tripOrder(t, { roundtrip: true, fixedStart: false, fixedEnd: true });
    assert.equal(end[0], 4);
    assert.equal(tourCost(t, end, true), 18);
  });

  it('source=first and destination=last give the cheapest open path between them', () => {
    // first at the left end, last at the right end: the only cheapest path goes left to right
    const xs = [0, 4, 1, 3, 2, 5];
    for (const n of [6, 12]) {
      const pos = n === 6 ? xs : [0, 10, 3, 7, 1, 9, 2, 8, 4, 6, 5, 11];
      const order = tripOrder(lineTable(pos), { roundtrip: false, fixedStart: true, fixedEnd: true });
      assert.equal(order[0], 0);
      assert.equal(order[n - 1], n - 1);
      assert.deepEqual(order.map((i) => pos[i]), [...pos].sort((a, b) => a - b), `n=${n}`);
    }
  });

  it('two locations with a fixed start and end go from the first to the last', () => {
    assert.deepEqual(tripOrder([[0, 5], [6, 0]], { roundtrip: false, fixedStart: true, fixedEnd: true }), [0, 1]);
  });
});
