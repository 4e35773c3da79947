import assert from 'node:assert/strict';
import { mergeLines, mergeLineParts } from '../../../src/tiling/line_merge.js';
import { tileGeometry, type TileGeometry } from '../../../src/tiling/feature_tiler.js';

const line = (...c: number[]): TileGeometry => ({ type: 2, geometry: [Int32Array.from(c)] });
const arr = (a: Int32Array): number[] => Array.from(a);

describe('tiling/line_merge', () => {
  it('joins A-B and B-C into one line A-B-C', () => {
    const out = mergeLines([
      { attrs: { class: 'primary' }, geometry: line(0, 0, 100, 0) },
      { attrs: { class: 'primary' }, geometry: line(100, 0, 200, 50) },
    ]);
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].geometry.geometry.map(arr), [[0, 0, 100, 0, 200, 50]]);
  });

  it('joins parts drawn in opposite directions', () => {
    const parts = mergeLineParts([Int32Array.of(0, 0, 100, 0), Int32Array.of(200, 50, 100, 0)]);
    assert.equal(parts.length, 1);
    const p = arr(parts[0]);
    assert.ok(
      JSON.stringify(p) === JSON.stringify([0, 0, 100, 0, 200, 50]) || JSON.stringify(p) === JSON.stringify([200, 50, 100, 0, 0, 0]),
      `got ${p}`,
    );
  });

  it('extends a chain at both ends', () => {
    const parts = mergeLineParts([Int32Array.of(10, 0, 20, 0), Int32Array.of(0, 0, 10, 0), Int32Array.of(20, 0, 30, 0)]);
    assert.equal(parts.length, 1);
    assert.equal(parts[0].length, 8);
  });

  it('does not merge lines with different attributes', () => {
    const out = mergeLines([
      { attrs: { class: 'primary' }, geometry: line(0, 0, 100, 0) },
      { attrs: { class: 'secondary' }, geometry: line(100, 0, 200, 50) },
    ]);
    assert.equal(out.length, 2);
    assert.deepEqual(out.map((f) => f.attrs.class), ['primary', 'secondary']);
  });

  it('treats attributes in another key order as identical but "1" and 1 as different', () => {
    const same = mergeLines([
      { attrs: { a: 1, b: 'x' }, geometry: line(0, 0, 10, 0) },
      { attrs: { b: 'x', a: 1 }, geometry: line(10, 0, 20, 0) },
    ]);
    assert.equal(same.length, 1);
    const diff = mergeLines([
      { attrs: { a: 1 }, geometry: line(0, 0, 10, 0) },
      { attrs: { a: '1' }, geometry: line(10, 0, 20, 0) },
    ]);
    assert.equal(diff.length, 2);
  });

  it('follows the longest branch at a junction', () => {
    const parts = mergeLineParts([Int32Array.of(0, 0, 1000, 0), Int32Array.of(1000, 0, 2000, 0), Int32Array.of(1000, 0, 1000, 10)]);
    assert.equal(parts.length, 2);
    assert.deepEqual(arr(parts[0]), [0, 0, 1000, 0, 2000, 0]);
    assert.deepEqual(arr(parts[1]), [1000, 0, 1000, 10]);
  });

  it('drops merged lines shorter than the minimum length', () => {
    const out = mergeLines(
      [
        { attrs: {}, geometry: line(0, 0, 40, 0) },
        { attrs: {}, geometry: line(40, 0, 80, 0) },
        { attrs: {}, geometry: line(500, 500, 520, 500) },
      ],
      { minLength: 4 }, // 4 px = 64 units: the 80-unit chain stays, the 20-unit line goes
    );
    assert.deepEqual(out[0].geometry.geometry.map(arr), [[0, 0, 40, 0, 80, 0]]);
  });

  it('simplifies merged lines when a tolerance is given', () => {
    const out = mergeLines(
      [
        { attrs: {}, geometry: line(0, 0, 100, 1) },
        { attrs: {}, geometry: line(100, 1, 200, 0) },
      ],
      { tolerance: 0.1 }, // 1.6 units: the 1-unit bump at the join goes
    );
    assert.deepEqual(out[0].geometry.geometry.map(arr), [[0, 0, 200, 0]]);
  });

  it('merges consecutive OSM ways after they went through the tiler', () => {
    // Three ways of one road in tile 10/500/300, ending where the next starts.
    const z = 10, u = (v: number): number => v / 2 ** z;
    const ways = [[500.1, 300.2, 500.3, 300.25], [500.3, 300.25, 500.5, 300.4, 500.6, 300.4], [500.6, 300.4, 500.9, 300.7]];
    const feats: { attrs: { class: string }; geometry: TileGeometry }[] = [];
    for (const w of ways) {
      tileGeometry({ type: 'line', lines: [Float64Array.from(w, u)] }, { minzoom: z, maxzoom: z }, (_z, x, y, g) => {
        assert.deepEqual([x, y], [500, 300]);
        feats.push({ attrs: { class: 'primary' }, geometry: g });
      });
    }
    const out = mergeLines(feats);
    assert.equal(out.length, 1);
    assert.equal(out[0].geometry.geometry.length, 1);
    assert.equal(out[0].geometry.geometry[0].length, 2 * 5);
  });

  it('drops the id of merged features and passes other geometry types through', () => {
    const pt: TileGeometry = { type: 1, geometry: [Int32Array.of(5, 5)] };
    const out = mergeLines([
      { id: 1, attrs: {}, geometry: line(0, 0, 10, 0) },
      { id: 2, attrs: {}, geometry: pt },
      { id: 3, attrs: {}, geometry: line(10, 0, 20, 0) },
    ]);
    assert.equal(out.length, 2);
    assert.equal(out[0].id, undefined);
    assert.equal(out[1].id, 2);
  });
});
