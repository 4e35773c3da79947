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

describe('importer/WayStore against an in-memory model', () => {
  // a small deterministic generator: the failing seed is in the message
  const rng = (seed: number) => (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  interface Way { id: number; refs: Float64Array; tags: Record<string, string> | null }
  const model = (rand: () => number, n: number, sorted: boolean): Way[] => {
    const ways: Way[] = [];
    let id = 1 + Math.floor(rand() * 2 ** 33);
    for (let i = 0; i < n; i++) {
      // sorted: increasing ids with gaps from 1 to 2^40; otherwise also decreasing ones and repeats
      id = sorted || rand() < 0.7 ? id + 1 + Math.floor(rand() ** 8 * 2 ** 40) : rand() < 0.5 ? ways[Math.floor(rand() * ways.length)]?.id ?? id : Math.floor(rand() * 2 ** 34) + 1;
      const len = rand() < 0.05 ? 0 : 1 + Math.floor(rand() ** 3 * 300);
      const refs = new Float64Array(len);
      for (let k = 0; k < len; k++) refs[k] = Math.floor(rand() * 2 ** (rand() < 0.5 ? 20 : 44)) + 1;
      const tags = rand() < 0.3 ? null : rand() < 0.1 ? {} : { highway: 'residential', name: `w${i}`, [`k${i % 97}`]: 'x'.repeat(Math.floor(rand() * 40)) };
      ways.push({ id, refs, tags });
    }
    return ways;
  };
  const build = (ways: Way[]): WayStore => {
    const w = new WayStore();
    for (const x of ways) w.add(x.id, x.refs, x.tags);
    w.seal();
    return w;
  };

  for (const sorted of [true, false]) {
    it(`gives back id, refs and tags of every way in any order of access (${sorted ? 'sorted' : 'unsorted, with repeats'} input)`, () => {
      for (const seed of [1, 2, 3]) {
        const rand = rng(seed);
        const ways = model(rand, 3000 + Math.floor(rand() * 200), sorted);
        const w = build(ways);
        assert.equal(w.size, ways.length);
        const check = (i: number): void => {
          assert.equal(w.idAt(i), ways[i].id, `seed ${seed} way ${i} id`);
          assert.deepEqual(w.refsAt(i), ways[i].refs, `seed ${seed} way ${i} refs`);
          assert.deepEqual(w.tagsAt(i), ways[i].tags, `seed ${seed} way ${i} tags`);
        };
        for (let i = 0; i < ways.length; i++) check(i); // in order
        for (let i = ways.length - 1; i >= 0; i -= 3) check(i); // backwards
        for (let k = 0; k < 5000; k++) check(Math.floor(rand() * ways.length)); // at random
        for (let i = 0; i < ways.length; i += 1 + Math.floor(rand() * 40)) check(i); // forward with gaps, across spans
      }
    });

    it(`finds each id's first copy and marks later copies (${sorted ? 'sorted' : 'unsorted, with repeats'} input)`, () => {
      for (const seed of [4, 5]) {
        const rand = rng(seed);
        const ways = model(rand, 2500, sorted);
        const w = build(ways);
        const first = new Map<number, number>();
        ways.forEach((x, i) => { if (!first.has(x.id)) first.set(x.id, i); });
        for (let i = 0; i < ways.length; i++) {
          assert.equal(w.indexOf(ways[i].id), first.get(ways[i].id), `seed ${seed} id ${ways[i].id}`);
          assert.equal(w.isPrimary(i), first.get(ways[i].id) === i, `seed ${seed} way ${i}`);
        }
        assert.equal(w.duplicateCount, ways.length - first.size);
        for (let k = 0; k < 2000; k++) {
          const id = Math.floor(rand() * 2 ** 41);
          if (!first.has(id)) assert.equal(w.indexOf(id), -1, `seed ${seed} absent id ${id}`);
        }
        assert.equal(w.indexOf(0), -1);
        assert.equal(w.indexOf(2 ** 52), -1);
      }
    });
  }

  it('lends its ways to another thread: a view from toShared() gives the same ids and refs, no tags', () => {
    const ways = model(rng(7), 2000, false);
    const w = build(ways);
    const view = WayStore.fromShared(structuredClone(w.toShared()));
    for (let i = ways.length - 1; i >= 0; i--) {
      assert.equal(view.idAt(i), ways[i].id);
      assert.deepEqual(view.refsAt(i), ways[i].refs);
      assert.equal(view.tagsAt(i), null);
      assert.equal(view.isPrimary(i), w.isPrimary(i));
    }
    assert.equal(view.indexOf(ways[1234].id), w.indexOf(ways[1234].id));
  });

  it('takes a few bytes a way besides its refs and tags, not 28', () => {
    const w = new WayStore();
    const n = 2_000_000;
    for (let i = 0; i < n; i++) w.add(1000 + 3 * i, refs(5 * i, 5 * i + 1), null);
    w.seal();
    // a header of 3 bytes and 2 refs of 1–4 bytes a way, in 8 MiB chunks; the old layout took 28 bytes a way on top
    assert.ok(w.bytesUsed() < n * 12, `${w.bytesUsed()} bytes for ${n} ways`);
  });
});
