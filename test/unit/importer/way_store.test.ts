import assert from 'node:assert/strict';
import { WayStore } from '../../../src/importer/way_store.js';

const refs = (...ids: number[]) => new Float64Array(ids);

describe('importer/WayStore', () => {
  it('finds ways by id in sorted input', () => {
    const w = new WayStore();
    w.add(10, refs(1, 2), { highway: 'primary' });
    w.add(20, refs(3, 4, 5), null);
    w.seal();
    assert.equal(w.indexOf(20), 1);
    assert.deepEqual([...w.refsAt(w.indexOf(20))], [3, 4, 5]);
    assert.equal(w.indexOf(15), -1);
    assert.deepEqual(w.tagsAt(0), { highway: 'primary' });
  });

  it('keeps the first copy of a way read twice (overlapping extracts) and marks the other', () => {
    const w = new WayStore();
    w.add(10, refs(1, 2), { a: '1' });
    w.add(30, refs(5, 6), null);
    w.add(10, refs(1, 2), { a: '1' });
    w.add(20, refs(3, 4), null);
    w.seal();
    assert.equal(w.duplicateCount, 1);
    assert.equal(w.indexOf(10), 0);
    assert.equal(w.isPrimary(0), true);
    assert.equal(w.isPrimary(2), false);
    assert.equal(w.indexOf(20), 3);
  });

  it('stores ways across chunk boundaries without mixing their refs', () => {
    const w = new WayStore();
    const n = 3000;
    for (let i = 0; i < n; i++) w.add(i, new Float64Array(600).fill(i), null);
    w.seal();
    for (const i of [0, 1747, 1748, n - 1]) {
      const r = w.refsAt(w.indexOf(i));
      assert.equal(r.length, 600);
      assert.ok(r.every((v) => v === i));
    }
  });

  it('gives back refs of any size and order exactly (ids past 2^32, decreasing, repeated, closed rings)', () => {
    const w = new WayStore();
    const added: Float64Array[] = [];
    let seed = 5;
    const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (let i = 0; i < 20_000; i++) {
      const n = 1 + Math.floor(rand() * 40);
      const refs = new Float64Array(n);
      for (let k = 0; k < n; k++) refs[k] = Math.floor(rand() * (i % 3 === 0 ? 2 ** 45 : 2 ** 20)) + 1;
      if (i % 5 === 0) refs[n - 1] = refs[0];
      added.push(refs);
      w.add(i + 1, refs, null);
    }
    w.seal();
    for (let i = 0; i < added.length; i++) assert.deepEqual(w.refsAt(i), added[i], `way ${i + 1}`);
  });

  it('gives back the tags of every wanted way as they were added (table strings, inline names, unicode, empty lists)', () => {
    const w = new WayStore();
    const added: ({ [k: string]: string } | null)[] = [];
    for (let i = 0; i < 100_000; i++) {
      const tags = i % 7 === 0 ? null
        : i % 11 === 0 ? {}
          : { highway: i % 2 ? 'residential' : 'primary', name: `Straße ${i} — 東京 ${'x'.repeat(i % 300)}`, [`k${i % 90_000}`]: `v${i}` };
      added.push(tags);
      w.add(i + 1, refs(i, i + 1), tags);
    }
    w.seal();
    for (let i = 0; i < added.length; i++) assert.deepEqual(w.tagsAt(i), added[i], `way ${i + 1}`);
  });
});
