/**
 * AdjacencyPool against plain per-list arrays (what the contraction used before):
 * random adds, removals, in-place updates and releases over many lists give the
 * same lists in the same order, through growth, moves and compactions.
 */
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { AdjacencyPool, ArcStore } from '../../../src/routing/adjacency_pool.js';

interface Model { node: number[]; weight: number[]; mid: number[]; dist: number[] }

function listOf(pool: AdjacencyPool, list: number): Model {
  const m: Model = { node: [], weight: [], mid: [], dist: [] };
  for (let i = pool.begin(list); i < pool.end(list); i++) {
    m.node.push(pool.node[i]);
    m.weight.push(pool.weight[i]);
    m.mid.push(pool.mid[i]);
    m.dist.push(pool.dist[i]);
  }
  return m;
}

describe('AdjacencyPool', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps the same lists as plain arrays through random operations (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const lists = 300;
      // a tiny initial pool forces many moves and compactions
      const pool = new AdjacencyPool(lists, 8);
      const model: Model[] = Array.from({ length: lists }, () => ({ node: [], weight: [], mid: [], dist: [] }));
      for (let step = 0; step < 40000; step++) {
        const l = Math.floor(random() * lists);
        const op = random();
        const n = Math.floor(random() * 50);
        if (op < 0.6) {
          const w = Math.floor(random() * 1e6);
          const d = random() * 1000;
          pool.add(l, n, w, step, d);
          model[l].node.push(n); model[l].weight.push(w); model[l].mid.push(step); model[l].dist.push(d);
        } else if (op < 0.85) {
          pool.removeNode(l, n);
          const m = model[l];
          const keep = m.node.map((x) => x !== n);
          for (const k of ['node', 'weight', 'mid', 'dist'] as const) m[k] = m[k].filter((_, i) => keep[i]);
        } else if (op < 0.97) {
          const i = pool.indexOf(l, n);
          const j = model[l].node.indexOf(n);
          assert.equal(i < 0, j < 0);
          if (i >= 0) {
            assert.equal(i - pool.begin(l), j);
            pool.weight[i] = step;
            model[l].weight[j] = step;
          }
        } else {
          pool.release(l);
          model[l] = { node: [], weight: [], mid: [], dist: [] };
        }
      }
      for (let l = 0; l < lists; l++) {
        assert.deepEqual(listOf(pool, l), model[l], `list ${l}`);
        assert.equal(pool.size(l), model[l].node.length);
      }
    });
  }

  it('does not keep abandoned blocks forever: the pool stays within a few times the live entries', () => {
    const pool = new AdjacencyPool(1000, 16);
    for (let round = 0; round < 20; round++) {
      for (let l = 0; l < 1000; l++) for (let k = 0; k < 8; k++) pool.add(l, k, k, k, k);
      for (let l = 0; l < 1000; l++) pool.release(l);
    }
    for (let l = 0; l < 1000; l++) for (let k = 0; k < 8; k++) pool.add(l, k, k, k, k);
    assert.ok(pool.node.length <= 8000 * 4, `pool of ${pool.node.length} slots for 8000 entries`);
  });
});

describe('ArcStore', () => {
  it('keeps every appended arc in order across growth', () => {
    const s = new ArcStore();
    for (let i = 0; i < 5000; i++) s.add(i, 2 * i, -i - 1, i / 3);
    assert.equal(s.length, 5000);
    for (const i of [0, 1023, 1024, 4999]) {
      assert.deepEqual([s.node[i], s.weight[i], s.mid[i], s.dist[i]], [i, 2 * i, -i - 1, i / 3]);
    }
  });
});
