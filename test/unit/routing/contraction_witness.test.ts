/**
 * The contraction's witness searches end once every node they are for is settled:
 * on random road-like graphs the hierarchy is array for array the one searching on to
 * the weight and settle limits gives, with fewer nodes settled.
 */
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { contractGraph, type ContractInput, type ContractedGraph } from '../../../src/routing/contraction.js';

/** A grid of `side` × `side` nodes with random weights, some one-way arcs and some long-range arcs. */
function randomGraph(seed: number, side: number): ContractInput {
  const random = seededRandom(seed);
  const n = side * side;
  const arcs: Array<[number, number, number]> = [];
  const link = (a: number, b: number): void => {
    const w = 1 + Math.floor(random() * 100);
    const r = random();
    if (r < 0.85) arcs.push([a, b, w]);
    if (r > 0.15) arcs.push([b, a, w]);
  };
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = y * side + x;
      if (x + 1 < side && random() < 0.9) link(v, v + 1);
      if (y + 1 < side && random() < 0.9) link(v, v + side);
      if (random() < 0.05) link(v, Math.floor(random() * n));
    }
  }
  const kept = arcs.filter(([a, b]) => a !== b).sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
  const firstOut = new Int32Array(n + 1);
  const head: number[] = [], weight: number[] = [], geo: number[] = [];
  let last = -1, lastHead = -1;
  for (const [a, b, w] of kept) {
    if (a === last && b === lastHead) continue; // parallels: the lightest, first after the sort
    last = a; lastHead = b;
    firstOut[a + 1]++;
    head.push(b); weight.push(w); geo.push(head.length - 1);
  }
  for (let v = 0; v < n; v++) firstOut[v + 1] += firstOut[v];
  return { nodeCount: n, firstOut, arcHead: Int32Array.from(head), arcWeight: Int32Array.from(weight), arcGeo: Int32Array.from(geo) };
}

function contract(g: ContractInput, stopAtTargets: boolean): { ch: ContractedGraph; settled: number } {
  const stats = { witnessSettled: 0 };
  const ch = contractGraph(g, { geoLength: (geo) => 10 + (geo % 7), stopAtTargets, stats });
  return { ch, settled: stats.witnessSettled };
}

describe('contraction witness searches', () => {
  for (const seed of [1, 2, 3]) {
    it(`stop at their targets: same hierarchy, fewer nodes settled (seed ${seed})`, () => {
      const g = randomGraph(seed, 40);
      const early = contract(g, true);
      const full = contract(g, false);
      for (const k of Object.keys(full.ch) as Array<keyof ContractedGraph>) {
        assert.deepEqual(early.ch[k], full.ch[k], `${k} differs`);
      }
      assert.ok(early.settled < full.settled * 0.95, `settled ${early.settled} with the stop, ${full.settled} without`);
    });
  }
});
