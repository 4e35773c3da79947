/**
 * AdjacencyPool against plain per-list arrays (what the contraction used before):
 * random adds, removals, in-place updates and releases over many lists give the
 * same lists in the same order, through growth, moves and compactions.
 */
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { AdjacencyPool, ArcStore } from '../../../src/routing/adjacency_pool.js';

interface Model { node: number[]; weight: number[]; mid: number[] }

function listOf(pool: AdjacencyPool, list: number): Model {
  const m: Model = { node: [], weight: [], mid: [] };
  for (let i = pool.begin(list); i < pool.end(list); i++) {
    m.node.push(pool.node[i]);
    m.weight.push(pool.weight[i]);
    m.mid.push(pool.mid[i]);
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
      const model: Model[] = Array.from({ length: lists }, () => ({ node: [], weight: [], mid: [] }));
      for (let step = 0; step < 40000; step++) {
        const l = Math.floor(random() * lists);
        const op = random();
        const n = Math.floor(random() * 50);
        if (op < 0.6) {
          const w = Math.floor(random() * 1e6);
          pool.add(l, n, w, step);
          model[l].node.push(n); model[l].weight.push(w); model[l].mid.push(step);
        } else if (op < 0.85) {
          pool.removeNode(l, n);
          const m = model[l];
          const keep = m.node.map((x) => x !== n);
          for (const k of ['node', 'weight', 'mid'] as const) m[k] = m[k].filter((_, i) => keep[i]);
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
          model[l] = { node: [], weight: [], mid: [] };
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
      for (let l = 0; l < 1000; l++) for (let k = 0; k < 8; k++) pool.add(l, k, k, k);
      for (let l = 0; l < 1000; l++) pool.release(l);
    }
    for (let l = 0; l < 1000; l++) for (let k = 0; k < 8; k++) pool.add(l, k, k, k);
    assert.ok(pool.node.length <= 8000 * 4, `pool of ${pool.node.length} slots for 8000 entries`);
  });
});

describe('AdjacencyPool with capacities', () => {
  it('fills lists to their given sizes in place, then grows them like any list', () => {
    const random = seededRandom(4);
    const lists = 200;
    const caps = Int32Array.from({ length: lists }, () => Math.floor(random() * 6));
    const total = caps.reduce((a, b) => a + b, 0);
    const pool = new AdjacencyPool(lists, 10, caps);
    const model: Model[] = Array.from({ length: lists }, () => ({ node: [], weight: [], mid: [] }));
    const add = (l: number, k: number): void => {
      pool.add(l, k, 10 * k, k + 1000);
      model[l].node.push(k); model[l].weight.push(10 * k); model[l].mid.push(k + 1000);
    };
    // lists filled in an interleaved order, each to its capacity: nothing moves, the pool keeps its size
    for (let k = 0; k < 6; k++) for (let l = 0; l < lists; l++) if (k < caps[l]) add(l, k);
    assert.equal(pool.node.length, total + 10);
    for (let l = 0; l < lists; l++) assert.deepEqual(listOf(pool, l), model[l], `list ${l}`);
    // then shortcuts: lists outgrow their blocks, move and the pool compacts
    for (let step = 0; step < 3000; step++) add(Math.floor(random() * lists), 100 + step);
    for (let l = 0; l < lists; l++) assert.deepEqual(listOf(pool, l), model[l], `list ${l}`);
  });
});

describe('AdjacencyPool memory', () => {
  it('keeps no distance: 12 bytes a slot (head, weight, middle), 12 a list', () => {
    const pool = new AdjacencyPool(100, 1000);
    assert.equal(pool.bytes, 1000 * 12 + 100 * 12);
    assert.equal('dist' in pool, false);
  });
});

describe('ArcStore', () => {
  it('keeps every appended arc in order across chunks', () => {
    const s = new ArcStore();
    const count = 150000;
    for (let i = 0; i < count; i++) s.add(i, 2 * i, -i - 1);
    assert.equal(s.length, count);
    for (const i of [0, 1023, 65535, 65536, 131072, count - 1]) {
      assert.deepEqual(s.get(i), [i, 2 * i, -i - 1]);
      assert.equal(s.node(i), i);
      assert.equal(s.mid(i), -i - 1);
    }
  });

  it('regroups arcs by node (CSR) as appended, whatever the chunk boundaries', () => {
    const random = seededRandom(7);
    const n = 500;
    const s = new ArcStore();
    const start = new Int32Array(n);
    const len = new Int32Array(n);
    const model: Array<Array<[number, number, number, number]>> = Array.from({ length: n }, () => []);
    const dists: number[] = [];
    // nodes appended in a random order, each its arcs at once, as the contraction does
    const order = Array.from({ length: n }, (_, v) => v).sort(() => random() - 0.5);
    for (const v of order) {
      start[v] = s.length;
      len[v] = Math.floor(random() * 600);
      for (let k = 0; k < len[v]; k++) {
        const arc: [number, number, number, number] = [Math.floor(random() * n), Math.floor(random() * 1e6), k - 5, random() * 1e4];
        s.add(arc[0], arc[1], arc[2]);
        dists.push(arc[3]);
        model[v].push([arc[0], arc[1], arc[2], Math.fround(arc[3])]);
      }
    }
    assert.ok(s.length > 1 << 17, 'several chunks');
    const csr = s.toCsr(start, len, Float64Array.from(dists));
    assert.equal(csr.first[n], csr.node.length);
    for (let v = 0; v < n; v++) {
      const got: Array<[number, number, number, number]> = [];
      for (let i = csr.first[v]; i < csr.first[v + 1]; i++) got.push([csr.node[i], csr.weight[i], csr.mid[i], csr.dist[i]]);
      assert.deepEqual(got, model[v], `node ${v}`);
    }
    assert.equal(s.length, 0, 'the store is emptied');
  });
});
