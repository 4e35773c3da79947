/**
 * KeptWays against a plain model: ways added in any order, some several times (as
 * overlapping extracts give them), keep their first copy, in input order, with its
 * node ids, tag set, name and ref; lookups by id find them.
 */
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { KeptWays, searchSorted } from '../../../src/routing/kept_ways.js';

interface Way { id: number; refs: number[]; tagSet: number; name?: string; ref?: string }

function contents(k: KeptWays): Way[] {
  const out: Way[] = [];
  for (let w = 0; w < k.count; w++) {
    const refs = Array.from(k.refs.subarray(k.refStart[w], k.refStart[w + 1]));
    const name = k.string(k.name(w)) || undefined;
    const ref = k.string(k.ref(w)) || undefined;
    out.push({ id: 0, refs, tagSet: k.tagSet(w), name, ref });
  }
  return out;
}

describe('KeptWays', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps the first copy of each way in input order (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const k = new KeptWays();
      const firsts = new Map<number, Way>();
      for (let i = 0; i < 3000; i++) {
        const id = 1 + Math.floor(random() * 1000);
        const refs = Array.from({ length: 2 + Math.floor(random() * 6) }, () => Math.floor(random() * 1e9));
        const way: Way = { id, refs, tagSet: Math.floor(random() * 20), name: random() < 0.5 ? `street ${id % 37}` : undefined, ref: random() < 0.2 ? `D ${i}` : undefined };
        k.add(way);
        if (!firsts.has(id)) firsts.set(id, way);
      }
      k.seal();
      const expected = [...firsts.values()];
      assert.equal(k.count, expected.length);
      assert.deepEqual(contents(k), expected.map((w) => ({ ...w, id: 0 })));
      assert.equal(k.refStart[k.count], k.refCount);
      for (const [id, w] of firsts) assert.equal(k.indexOf(id), expected.indexOf(w));
      assert.equal(k.indexOf(5000), -1);
    });
  }

  it('indexes ways given in increasing id order without sorting them again', () => {
    const k = new KeptWays();
    for (let id = 10; id < 20; id++) k.add({ id, refs: [id, id + 1], tagSet: 0 });
    k.seal();
    assert.equal(k.count, 10);
    assert.equal(k.indexOf(13), 3);
  });

  it('searchSorted finds every element and nothing else', () => {
    const a = Float64Array.from([1, 4, 9, 16, 25]);
    a.forEach((v, i) => assert.equal(searchSorted(a, v), i));
    for (const v of [0, 2, 26]) assert.equal(searchSorted(a, v), -1);
  });
});
