import assert from 'node:assert/strict';
import { mergePolygons, dissolveRings, EdgeSet, linesIndex } from '../../../src/tiling/polygon_merge.js';
import { seededRandom } from '../../../src/core/seeded_random.js';
import type { TileGeometry } from '../../../src/tiling/feature_tiler.js';
import { flatRingArea } from '../../../src/tiling/simplify.js';
import { tileGeometry } from '../../../src/tiling/feature_tiler.js';

/** A clockwise-on-screen (MVT outer) square. */
const sq = (x0: number, y0: number, x1: number, y1: number): Int32Array => Int32Array.of(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
const poly = (...rings: Int32Array[]): TileGeometry => ({ type: 3, geometry: rings, ringsPerPolygon: [rings.length] });
const corners = (r: Int32Array): Set<string> => {
  // Vertices where the direction changes (collinear points are not corners).
  const s = new Set<string>();
  const n = r.length / 2 - 1;
  for (let i = 0; i < n; i++) {
    const p = (i + n - 1) % n, q = (i + 1) % n;
    const cross = (r[2 * i] - r[2 * p]) * (r[2 * q + 1] - r[2 * i + 1]) - (r[2 * i + 1] - r[2 * p + 1]) * (r[2 * q] - r[2 * i]);
    if (cross !== 0) s.add(`${r[2 * i]},${r[2 * i + 1]}`);
  }
  return s;
};

describe('tiling/polygon_merge', () => {
  it('numbers vertices in order of first appearance, the same vertex the same id, past its initial size (property)', () => {
    const r = seededRandom(23);
    for (let t = 0; t < 50; t++) {
      const es = new EdgeSet(Math.floor(r() * 20));
      const want = new Map<string, number>();
      for (let i = 0; i < 3000; i++) {
        const span = r() < 0.5 ? 30 : 2 ** 20;
        const x = Math.floor((r() - 0.5) * span), y = Math.floor((r() - 0.5) * span);
        const k = `${x},${y}`;
        if (!want.has(k)) want.set(k, want.size);
        assert.equal(es.vertex(x, y), want.get(k));
      }
      assert.equal(es.xs.length, want.size);
      for (const [k, v] of want) assert.equal(`${es.xs[v]},${es.ys[v]}`, k);
    }
  });

  it('indexes the vertices on each line as sorted unique values, coordinates across the buffer and negative (property)', () => {
    const r = seededRandom(17);
    for (let t = 0; t < 100; t++) {
      const n = Math.floor(r() * 400);
      const coord = (): number => (r() < 0.3 ? [0, -1, 4096, -(2 ** 20) + 1, 2 ** 20 - 1][Math.floor(r() * 5)] : Math.floor((r() - 0.5) * (r() < 0.5 ? 40 : 2 ** 14)));
      const keys = Array.from({ length: n }, coord), values = Array.from({ length: n }, coord);
      const want = new Map<number, number[]>();
      keys.forEach((k, i) => want.set(k, [...(want.get(k) ?? []), values[i]]));
      const got = linesIndex(keys, values);
      assert.equal(got.lineOf.size, want.size);
      for (const [k, vs] of want) {
        const l = got.lineOf.get(k)!;
        assert.deepEqual([...got.values.subarray(got.start[l], got.start[l + 1])], [...new Set(vs)].sort((a, b) => a - b), `line ${k}`);
      }
    }
  });

  it('merges two adjacent squares into one square', () => {
    const out = mergePolygons([
      { attrs: { class: 'forest' }, geometry: poly(sq(0, 0, 100, 100)) },
      { attrs: { class: 'forest' }, geometry: poly(sq(100, 0, 200, 100)) },
    ]);
    assert.equal(out.length, 1);
    assert.equal(out[0].geometry.geometry.length, 1);
    const r = out[0].geometry.geometry[0];
    assert.equal(flatRingArea(r), 200 * 100);
    assert.deepEqual(corners(r), new Set(['0,0', '200,0', '200,100', '0,100']));
  });

  it('merges adjacent parcels after they went through the tiler', () => {
    // Two quadrilaterals sharing a slanted border, in world coordinates, tiled at z10.
    const z = 10, u = (v: number): number => v / 2 ** z;
    const a = Float64Array.from([500.1, 300.1, 500.43, 300.1, 500.37, 300.6, 500.1, 300.6, 500.1, 300.1].map(u));
    const b = Float64Array.from([500.43, 300.1, 500.8, 300.1, 500.8, 300.6, 500.37, 300.6, 500.43, 300.1].map(u));
    const feats: { attrs: { class: string }; geometry: TileGeometry }[] = [];
    for (const ring of [a, b]) {
      tileGeometry({ type: 'polygon', polygons: [[ring]] }, { minzoom: z, maxzoom: z }, (_z, x, y, g) => {
        assert.deepEqual([x, y], [500, 300]);
        feats.push({ attrs: { class: 'farmland' }, geometry: g });
      });
    }
    const out = mergePolygons(feats);
    assert.equal(out.length, 1);
    assert.equal(out[0].geometry.geometry.length, 1);
    const total = feats.reduce((s, f) => s + flatRingArea(f.geometry.geometry[0]), 0);
    assert.equal(flatRingArea(out[0].geometry.geometry[0]), total);
  });

  it('merges squares sharing only part of an edge', () => {
    const { geometry } = dissolveRings([sq(0, 0, 100, 100), sq(100, 50, 200, 150)], [true, true]);
    assert.equal(geometry.length, 1);
    assert.equal(flatRingArea(geometry[0]), 2 * 100 * 100);
  });

  it('leaves no collinear vertex where the cancelled border met the outline', () => {
    const { geometry } = dissolveRings([sq(0, 0, 100, 100), sq(100, 0, 200, 100)], [true, true]);
    // 4 corners + closing point; the first vertex may be kept as is even if collinear.
    assert.ok(geometry[0].length <= 12, `${geometry[0]}`);
    assert.equal(flatRingArea(geometry[0]), 200 * 100);
  });

  it('simplifies merged rings with the given tolerance', () => {
    // Two parcels whose outer edge has a 1-unit bump each: gone at 0.1 px (1.6 units).
    const a = Int32Array.of(0, 0, 50, 1, 100, 0, 100, 100, 0, 100, 0, 0);
    const b = Int32Array.of(100, 0, 150, 1, 200, 0, 200, 100, 100, 100, 100, 0);
    const out = mergePolygons(
      [
        { attrs: {}, geometry: poly(a) },
        { attrs: {}, geometry: poly(b) },
      ],
      { tolerance: 0.1 },
    );
    const r = out[0].geometry.geometry[0];
    assert.ok(r.length <= 12, `${r}`);
    assert.ok(Math.abs(flatRingArea(r) - 200 * 100) <= 200);
  });

  it('merges squares sharing only part of an edge (simplified)', () => {
    const { geometry } = dissolveRings([sq(0, 0, 100, 100), sq(100, 50, 200, 150)], [true, true], { sqTolerance: 0 });
    assert.equal(geometry.length, 1);
    assert.equal(flatRingArea(geometry[0]), 2 * 100 * 100);
  });

  it('keeps polygons with different attributes apart', () => {
    const out = mergePolygons([
      { attrs: { class: 'forest' }, geometry: poly(sq(0, 0, 100, 100)) },
      { attrs: { class: 'farmland' }, geometry: poly(sq(100, 0, 200, 100)) },
    ]);
    assert.equal(out.length, 2);
  });

  it('makes a hole where four squares surround an empty cell', () => {
    const cells = [sq(0, 0, 100, 100), sq(100, 0, 200, 100), sq(200, 0, 300, 100), sq(0, 100, 100, 200), sq(200, 100, 300, 200), sq(0, 200, 100, 300), sq(100, 200, 200, 300), sq(200, 200, 300, 300)];
    const { geometry, ringsPerPolygon } = dissolveRings(cells, cells.map(() => true));
    assert.deepEqual(ringsPerPolygon, [2]);
    assert.equal(flatRingArea(geometry[0]), 300 * 300);
    assert.equal(flatRingArea(geometry[1]), -100 * 100);
  });

  it('keeps an existing hole and normalizes winding', () => {
    // Outer given counter-clockwise, hole given clockwise: both wrong for MVT.
    const outer = Int32Array.of(0, 0, 0, 100, 100, 100, 100, 0, 0, 0);
    const hole = sq(40, 40, 60, 60);
    const out = mergePolygons([{ attrs: {}, geometry: poly(outer, hole) }]);
    const g = out[0].geometry;
    assert.deepEqual(g.ringsPerPolygon, [2]);
    assert.equal(flatRingArea(g.geometry[0]), 10000);
    assert.equal(flatRingArea(g.geometry[1]), -400);
  });

  it('leaves disjoint polygons as separate outers of one feature', () => {
    const out = mergePolygons([
      { attrs: {}, geometry: poly(sq(0, 0, 10, 10)) },
      { attrs: {}, geometry: poly(sq(50, 50, 70, 70)) },
    ]);
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].geometry.ringsPerPolygon, [1, 1]);
  });

  it('splits two squares touching at a corner into two simple rings', () => {
    const { geometry } = dissolveRings([sq(0, 0, 10, 10), sq(10, 10, 20, 20)], [true, true]);
    assert.equal(geometry.length, 2);
    for (const r of geometry) assert.equal(flatRingArea(r), 100);
  });

  it('drops merged pieces smaller than the minimum area', () => {
    const out = mergePolygons(
      [
        { attrs: {}, geometry: poly(sq(0, 0, 1000, 1000)) },
        { attrs: {}, geometry: poly(sq(2000, 2000, 2010, 2010)) },
      ],
      { minArea: 4 }, // 4 px² = 1024 units²: the 100-unit² square goes
    );
    assert.deepEqual(out[0].geometry.ringsPerPolygon, [1]);
    assert.equal(flatRingArea(out[0].geometry.geometry[0]), 1e6);
  });

  it('removes the zero-width bridge of a clipped concave polygon', () => {
    // A U shape clipped at y=0..50 leaves two prongs joined along the edge y=50.
    const ring = Int32Array.of(0, 0, 30, 0, 30, 50, 70, 50, 70, 0, 100, 0, 100, 50, 0, 50, 0, 0);
    // Edges 30,50→70,50 and 100,50→0,50 overlap in opposite directions between x=30 and 70.
    const { geometry } = dissolveRings([ring], [true]);
    assert.equal(geometry.length, 2);
    assert.deepEqual(geometry.map((r) => flatRingArea(r)).sort((a, b) => a - b), [1500, 1500]);
  });
});
