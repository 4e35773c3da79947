/**
 * The tiler's recursive halving must give each tile what clipping the whole
 * geometry straight to that tile gives: checked on random shapes against clip.ts
 * applied tile by tile (the slow, obvious way).
 */
import assert from 'node:assert/strict';
import { VectorTile, classifyRings } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { Geometry } from '../../../src/core/geometry.js';
import { tileGeometry, type TileGeometry } from '../../../src/tiling/feature_tiler.js';
import { clipLine, clipPolygon } from '../../../src/tiling/clip.js';
import { flatRingArea } from '../../../src/tiling/simplify.js';
import { encodeMvt } from '../../../src/tiling/mvt_encoder.js';
import { seededRandom as rng } from '../../../src/core/seeded_random.js';


/** A star-shaped ring around (cx, cy) in tile units at zoom z, as world coordinates; clockwise when cw. */
function starRing(z: number, cx: number, cy: number, r0: number, r1: number, n: number, seed: number, cw = true): Float64Array {
  const r = rng(seed);
  const c = new Float64Array(2 * (n + 1));
  for (let i = 0; i < n; i++) {
    const a = ((cw ? 1 : -1) * 2 * Math.PI * i) / n;
    const rad = r0 + (r1 - r0) * r();
    c[2 * i] = (cx + rad * Math.cos(a)) / 2 ** z;
    c[2 * i + 1] = (cy + rad * Math.sin(a)) / 2 ** z;
  }
  c[2 * n] = c[0];
  c[2 * n + 1] = c[1];
  return c;
}

const EXACT = { tolerance: 0, maxzoomTolerance: 0, minPixelSize: 0 };
const E = 4096;

function collect(geom: Geometry, z: number, buffer: number): Map<string, TileGeometry> {
  const m = new Map<string, TileGeometry>();
  tileGeometry(geom, { minzoom: z, maxzoom: z, buffer, ...EXACT }, (zz, x, y, g) => {
    assert.ok(!m.has(`${x}/${y}`), `tile ${zz}/${x}/${y} emitted twice`);
    m.set(`${x}/${y}`, g);
  });
  return m;
}

function scaled(c: Float64Array, z: number): Float64Array {
  return c.map((v) => v * 2 ** z * E);
}

describe('tiling/feature_tiler equivalence with per-tile clipping', () => {
  for (const seed of [1, 2, 3]) {
    it(`gives every tile the area of the polygon clipped to it (seed ${seed})`, () => {
      const z = 9, buffer = 8, b = (buffer * E) / 256;
      const outer = starRing(z, 100.5, 200.5, 1.5, 4.5, 400, seed);
      const hole = starRing(z, 100.5, 200.5, 0.2, 0.9, 50, seed + 10, false);
      const got = collect({ type: 'polygon', polygons: [[outer, hole]] }, z, buffer);
      const rings = [scaled(outer, z), scaled(hole, z)];
      let compared = 0;
      for (let ty = 194; ty <= 207; ty++) {
        for (let tx = 94; tx <= 107; tx++) {
          const clipped = clipPolygon(rings, [tx * E - b, ty * E - b, (tx + 1) * E + b, (ty + 1) * E + b]);
          // Reference rounded like the tiler rounds (global grid), so only clipping differences remain.
          const want = clipped === null ? 0 : clipped.reduce((s, r, i) => s + (i === 0 ? 1 : -1) * Math.abs(flatRingArea(r.map(Math.round))), 0);
          const g = got.get(`${tx}/${ty}`);
          const have = g === undefined ? 0 : g.geometry.reduce((s, r) => s + flatRingArea(r), 0);
          assert.ok(Math.abs(have - want) <= 1e-6 * want + 2, `tile ${tx}/${ty}: ${have} vs ${want}`);
          if (want > 0) compared++;
        }
      }
      assert.ok(compared > 20);
    });
  }

  it('gives every tile the length of the line clipped to it', () => {
    const z = 10, buffer = 4, b = (buffer * E) / 256;
    const r = rng(7);
    const n = 3000;
    const line = new Float64Array(2 * n);
    let x = 300.2, y = 400.7;
    for (let i = 0; i < n; i++) {
      line[2 * i] = x / 2 ** z;
      line[2 * i + 1] = y / 2 ** z;
      x += (r() - 0.3) * 0.02;
      y += (r() - 0.5) * 0.02;
    }
    const got = collect({ type: 'line', lines: [line] }, z, buffer);
    const s = scaled(line, z);
    const len = (parts: ArrayLike<number>[]): number =>
      parts.reduce((t, p) => {
        let l = 0;
        for (let i = 0; i + 3 < p.length; i += 2) l += Math.hypot(p[i + 2] - p[i], p[i + 3] - p[i + 1]);
        return t + l;
      }, 0);
    const txs = [...got.keys()].map((k) => k.split('/').map(Number));
    assert.ok(txs.length > 10);
    let total = 0;
    for (let ty = 395; ty <= 420; ty++) {
      for (let tx = 295; tx <= 350; tx++) {
        // Reference rounded like the tiler rounds (global grid), so only clipping differences remain.
        const want = len(clipLine(s, [tx * E - b, ty * E - b, (tx + 1) * E + b, (ty + 1) * E + b]).map((p) => p.map(Math.round)));
        const g = got.get(`${tx}/${ty}`);
        const have = g === undefined ? 0 : len(g.geometry);
        assert.ok(Math.abs(have - want) <= 1e-6 * want + 2, `tile ${tx}/${ty}: ${have} vs ${want}`);
        total += have;
      }
    }
    assert.ok(total > 0);
  });

  it('produces polygons the MVT encoder writes and a reader classifies back into the same rings', () => {
    const z = 8;
    const outer = starRing(z, 50.5, 60.5, 1.2, 2.8, 300, 5);
    const hole = starRing(z, 50.5, 60.5, 0.1, 0.4, 40, 6, false);
    const got = collect({ type: 'polygon', polygons: [[outer, hole]] }, z, 4);
    for (const [k, g] of got) {
      const bytes = encodeMvt([{ name: 'l', features: [{ type: g.type, geometry: g.geometry, ringsPerPolygon: g.ringsPerPolygon, properties: {} }] }]);
      const f = new VectorTile(new PbfReader(bytes)).layers.l.feature(0);
      const polys = classifyRings(f.loadGeometry());
      assert.deepEqual(polys.map((p) => p.length), g.ringsPerPolygon, `tile ${k}`);
    }
    assert.ok(got.size > 4);
  });
});
