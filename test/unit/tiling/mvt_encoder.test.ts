import assert from 'node:assert/strict';
import { VectorTile, classifyRings } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { encodeMvt, type MvtFeature } from '../../../src/tiling/mvt_encoder.js';

function tileOf(features: MvtFeature[], name = 'l'): VectorTile {
  return new VectorTile(new PbfReader(encodeMvt([{ name, features }])));
}
function rings(t: VectorTile, layer = 'l', i = 0): number[][] {
  return t.layers[layer].feature(i).loadGeometry().map((r) => r.flatMap((p) => [p.x, p.y]));
}
/** Signed area by the spec's formula (positive = exterior). */
function area(r: number[]): number {
  let s = 0;
  for (let i = 0; i + 3 < r.length; i += 2) s += r[i] * r[i + 3] - r[i + 2] * r[i + 1];
  return s / 2;
}
const sq = (x0: number, y0: number, x1: number, y1: number, cw = true): Int32Array =>
  Int32Array.from(cw ? [x0, y0, x1, y0, x1, y1, x0, y1, x0, y0] : [x0, y0, x0, y1, x1, y1, x1, y0, x0, y0]);

/** Raw Value messages of the first layer: which protobuf field each value used. */
function valueFields(buf: Uint8Array): number[] {
  const fields: number[] = [];
  const pbf = new PbfReader(buf);
  pbf.readFields((tag, _r, p) => {
    if (tag !== 3) return;
    p.readMessage((ltag, _l, lp) => {
      if (ltag !== 4) return;
      lp.readMessage((vtag, _v, vp) => { fields.push(vtag); vp.skip(vp.type); }, {});
    }, {});
  }, {});
  return fields;
}

describe('encodeMvt', () => {
  it('writes a counter-clockwise exterior ring as clockwise (positive area)', () => {
    const t = tileOf([{ type: 3, geometry: [sq(0, 0, 10, 10, false)], properties: {} }]);
    assert.ok(area(rings(t)[0]) > 0);
  });

  it('writes a clockwise hole as counter-clockwise (negative area)', () => {
    const t = tileOf([{ type: 3, geometry: [sq(0, 0, 10, 10), sq(2, 2, 4, 4, true)], properties: {} }]);
    const r = rings(t);
    assert.ok(area(r[0]) > 0 && area(r[1]) < 0);
  });

  it('keeps an island inside a lake as a second polygon', () => {
    const geometry = [sq(0, 0, 100, 100, false), sq(10, 10, 90, 90, false), sq(40, 40, 60, 60, true)];
    const t = tileOf([{ type: 3, geometry, properties: {} }]);
    const polys = classifyRings(t.layers.l.feature(0).loadGeometry());
    assert.deepEqual(polys.map((p) => p.length), [2, 1]);
  });

  it('recognises a hole that touches its exterior ring (as clipping makes)', () => {
    const hole = Int32Array.from([0, 2, 4, 2, 4, 4, 0, 4, 0, 2]);
    const t = tileOf([{ type: 3, geometry: [sq(0, 0, 10, 10), hole], properties: {} }]);
    const r = rings(t);
    assert.ok(area(r[0]) > 0 && area(r[1]) < 0);
  });

  it('follows ringsPerPolygon when given', () => {
    // Two disjoint squares: by nesting both are outers; the caller says the second is a hole.
    const geometry = [sq(0, 0, 10, 10), sq(20, 20, 30, 30)];
    const t = tileOf([{ type: 3, geometry, ringsPerPolygon: [2], properties: {} }]);
    const r = rings(t);
    assert.ok(area(r[0]) > 0 && area(r[1]) < 0);
  });

  it('encodes multi-linestrings as separate parts', () => {
    const geometry = [Int32Array.from([0, 0, 5, 5, 10, 0]), Int32Array.from([20, 20, 30, 30])];
    assert.deepEqual(rings(tileOf([{ type: 2, geometry, properties: {} }])), [[0, 0, 5, 5, 10, 0], [20, 20, 30, 30]]);
  });

  it('encodes multi-points from several parts', () => {
    const geometry = [Int32Array.from([1, 2]), Int32Array.from([3, 4, 5, 6])];
    assert.deepEqual(rings(tileOf([{ type: 1, geometry, properties: {} }])), [[1, 2], [3, 4], [5, 6]]);
  });

  it('drops consecutive duplicate vertices of lines', () => {
    const geometry = [Int32Array.from([0, 0, 0, 0, 5, 5, 5, 5, 9, 1])];
    assert.deepEqual(rings(tileOf([{ type: 2, geometry, properties: {} }])), [[0, 0, 5, 5, 9, 1]]);
  });

  it('drops a feature whose line collapses to one point', () => {
    const t = tileOf([
      { type: 2, geometry: [Int32Array.from([3, 3, 3, 3])], properties: {} },
      { type: 1, geometry: [Int32Array.from([1, 1])], properties: {} },
    ]);
    assert.equal(t.layers.l.length, 1);
  });

  it('omits layers without features', () => {
    const buf = encodeMvt([{ name: 'empty', features: [] }, { name: 'full', features: [{ type: 1, geometry: [Int32Array.from([1, 1])], properties: {} }] }]);
    assert.deepEqual(Object.keys(new VectorTile(new PbfReader(buf)).layers), ['full']);
  });

  it('omits layers whose features are all degenerate', () => {
    const buf = encodeMvt([{ name: 'deg', features: [{ type: 3, geometry: [Int32Array.from([0, 0, 5, 5, 0, 0])], properties: {} }] }]);
    assert.equal(buf.length, 0);
  });

  it('round-trips integer ids', () => {
    const t = tileOf([{ id: 12345678901, type: 1, geometry: [Int32Array.from([1, 1])], properties: {} }]);
    assert.equal(t.layers.l.feature(0).id, 12345678901);
  });

  it('leaves out negative ids', () => {
    const t = tileOf([{ id: -5, type: 1, geometry: [Int32Array.from([1, 1])], properties: {} }]);
    assert.equal(t.layers.l.feature(0).id, undefined);
  });

  it('round-trips property values of every type', () => {
    const properties = { s: 'Strasbourg', u: 42, n: -7, f: 1.5, d: 0.1, b: true, big: 2 ** 40 };
    const t = tileOf([{ type: 1, geometry: [Int32Array.from([1, 1])], properties }]);
    assert.deepEqual({ ...t.layers.l.feature(0).properties }, properties);
  });

  it('types values as string, uint, sint, float, double, bool', () => {
    const buf = encodeMvt([{ name: 'l', features: [{ type: 1, geometry: [Int32Array.from([1, 1])], properties: { s: 'a', u: 3, n: -3, f: 0.5, d: 0.1, b: false } }] }]);
    assert.deepEqual(valueFields(buf), [1, 5, 6, 2, 3, 7]);
  });

  it('stores each distinct key and value once per layer', () => {
    const features: MvtFeature[] = [1, 2, 3].map((i) => ({ type: 1, geometry: [Int32Array.from([i, i])], properties: { class: 'park', rank: 1 } }));
    const buf = encodeMvt([{ name: 'l', features }]);
    assert.equal(valueFields(buf).length, 2);
  });

  it('keeps 1 and "1" and true as distinct values', () => {
    const features: MvtFeature[] = [1, '1', true].map((v, i) => ({ type: 1, geometry: [Int32Array.from([i, i])], properties: { v } }));
    const t = tileOf(features);
    assert.deepEqual([0, 1, 2].map((i) => t.layers.l.feature(i).properties.v), [1, '1', true]);
  });

  it('skips null and undefined properties', () => {
    const t = tileOf([{ type: 1, geometry: [Int32Array.from([1, 1])], properties: { a: null, b: undefined, c: 'x' } }]);
    assert.deepEqual({ ...t.layers.l.feature(0).properties }, { c: 'x' });
  });

  it('writes the layer extent', () => {
    const buf = encodeMvt([{ name: 'l', extent: 512, features: [{ type: 1, geometry: [Int32Array.from([1, 1])], properties: {} }] }]);
    assert.equal(new VectorTile(new PbfReader(buf)).layers.l.extent, 512);
  });

  it('encodes negative coordinates in the buffer', () => {
    const t = tileOf([{ type: 2, geometry: [Int32Array.from([-64, -64, 4160, 4160])], properties: {} }]);
    assert.deepEqual(rings(t), [[-64, -64, 4160, 4160]]);
  });
});
