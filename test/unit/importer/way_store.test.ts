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

  it('releases tags once processed', () => {
    const w = new WayStore();
    w.add(1, refs(1, 2), { building: 'yes' });
    w.seal();
    w.releaseTags(0);
    assert.equal(w.tagsAt(0), null);
  });
});
