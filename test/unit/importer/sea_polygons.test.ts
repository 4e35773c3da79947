/**
 * SeaBuilder on generated coastlines (world coordinates, y south): islands on a
 * grid with a mainland coast crossing the extent, seas inside land with islands
 * in them; every sampled point is sea exactly when it lies outside the land.
 */
import assert from 'node:assert/strict';
import { DataErrors } from '../../../src/core/data_errors.js';
import { SeaBuilder } from '../../../src/importer/coastline/sea_polygons.js';
import { PolygonExtent, RectExtent } from '../../../src/importer/coastline/sea_extent.js';
import type { CoastChain } from '../../../src/importer/coastline/coastline_chains.js';
import { pointInRing } from '../../../src/importer/coastline/ring_tree.js';
import { seededRandom } from '../../../src/core/seeded_random.js';

const RECT = [0, 0, 1, 1] as const;

/** A square ring, counter-clockwise on the map (land inside) unless `sea`. */
function square(cx: number, cy: number, h: number, sea = false): Float64Array {
  // on the map (y south) counter-clockwise: east along the south edge, then north, then west
  const pts = [cx - h, cy + h, cx + h, cy + h, cx + h, cy - h, cx - h, cy - h, cx - h, cy + h];
  if (!sea) return new Float64Array(pts);
  const rev: number[] = [];
  for (let i = pts.length - 2; i >= 0; i -= 2) rev.push(pts[i], pts[i + 1]);
  return new Float64Array(rev);
}

function isSea(polys: Float64Array[][], x: number, y: number): boolean {
  return polys.some((p) => pointInRing(x, y, p[0]) && !p.slice(1).some((h) => pointInRing(x, y, h)));
}

describe('SeaBuilder', () => {
  it('holds thousands of islands as holes of the sea, and sea only outside them', () => {
    // mainland below y = 0.8, walking west along it keeps land (south) on the left
    const chains: CoastChain[] = [{ coords: new Float64Array([1.1, 0.8, 0.5, 0.81, -0.1, 0.8]), closed: false, broken: false }];
    const islands: [number, number, number][] = [];
    const n = 70; // 4900 islands
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const cx = (i + 0.5) / n, cy = ((j + 0.5) / n) * 0.7, h = 0.3 / n;
        islands.push([cx, cy, h]);
        chains.push({ coords: square(cx, cy, h), closed: true, broken: false });
      }
    }
    const errors = new DataErrors();
    const sea = new SeaBuilder(new RectExtent(RECT), { closeDistance: 1e-9, errors }).build(chains);
    assert.deepEqual(errors.toJSON(), {});
    assert.equal(sea.polygons.length, 1);
    assert.equal(sea.polygons[0].length, 1 + islands.length);
    const rnd = seededRandom(7);
    for (let k = 0; k < 2000; k++) {
      const x = rnd(), y = rnd();
      const onIsland = islands.some(([cx, cy, h]) => Math.abs(x - cx) < h && Math.abs(y - cy) < h);
      const land = onIsland || y > 0.81;
      if (Math.abs(y - 0.8) < 0.011) continue; // the coast is not a straight line there
      assert.equal(isSea(sea.polygons, x, y), !land, `${x},${y}`);
    }
  });

  it('makes a sea inside land (clockwise ring) with an island in it, and no sea around them', () => {
    const chains: CoastChain[] = [
      { coords: square(0.5, 0.5, 0.3, true), closed: true, broken: false },
      { coords: square(0.5, 0.5, 0.1), closed: true, broken: false },
    ];
    const sea = new SeaBuilder(new RectExtent(RECT), { closeDistance: 1e-9, errors: new DataErrors() }).build(chains);
    assert.equal(isSea(sea.polygons, 0.5, 0.5), false);
    assert.equal(isSea(sea.polygons, 0.3, 0.5), true);
    assert.equal(isSea(sea.polygons, 0.1, 0.1), false);
  });

  it('withholds all sea when pieces crossing the extent do not alternate in and out', () => {
    // two coasts both with land to the south: the northern one must be drawn the other way
    const chains: CoastChain[] = [
      { coords: new Float64Array([1.1, 0.8, -0.1, 0.8]), closed: false, broken: false },
      { coords: new Float64Array([1.1, 0.2, -0.1, 0.2]), closed: false, broken: false },
    ];
    const errors = new DataErrors();
    const sea = new SeaBuilder(new RectExtent(RECT), { closeDistance: 1e-9, errors }).build(chains);
    assert.equal(sea.polygons.length, 0);
    assert.equal(sea.stats.seaWithheld, true);
    assert.equal(errors.get('coastline_direction'), 1);
  });

  it('joins two open ends closer than the close distance', () => {
    const chains: CoastChain[] = [
      { coords: new Float64Array([1.1, 0.8, 0.5, 0.8]), closed: false, broken: false },
      { coords: new Float64Array([0.5 - 1e-10, 0.8, -0.1, 0.8]), closed: false, broken: false },
    ];
    const errors = new DataErrors();
    const sea = new SeaBuilder(new RectExtent(RECT), { closeDistance: 1e-9, errors }).build(chains);
    assert.equal(errors.get('coastline_gap_closed'), 1);
    assert.equal(isSea(sea.polygons, 0.5, 0.5), true);
    assert.equal(isSea(sea.polygons, 0.5, 0.9), false);
  });

  it('closes coastline along a polygon outline (a cut extract): sea only inside it, never in the rest of its box', () => {
    // a diamond; the coast runs west across it (land south) and ends just outside it, inside its box
    const diamond = new Float64Array([0.5, 0, 1, 0.5, 0.5, 1, 0, 0.5, 0.5, 0]);
    const chains: CoastChain[] = [
      { coords: new Float64Array([0.97, 0.55, 0.5, 0.62, 0.03, 0.55]), closed: false, broken: false },
      { coords: square(0.5, 0.3, 0.05), closed: true, broken: false },
    ];
    const errors = new DataErrors();
    const sea = new SeaBuilder(new PolygonExtent(diamond), { closeDistance: 1e-9, errors }).build(chains);
    assert.deepEqual(errors.toJSON(), {});
    const inDiamond = (x: number, y: number): boolean => Math.abs(x - 0.5) + Math.abs(y - 0.5) < 0.5;
    const rnd = seededRandom(11);
    for (let k = 0; k < 3000; k++) {
      const x = rnd(), y = rnd();
      if (Math.abs(y - 0.585) < 0.04 || Math.abs(Math.abs(x - 0.5) + Math.abs(y - 0.5) - 0.5) < 1e-6) continue;
      const island = Math.abs(x - 0.5) < 0.05 && Math.abs(y - 0.3) < 0.05;
      const expected = inDiamond(x, y) && y < 0.55 && !island;
      assert.equal(isSea(sea.polygons, x, y), expected, `${x},${y}`);
    }
  });

  it('withholds the sea bounded by a coast that ends inside a polygon outline', () => {
    const diamond = new Float64Array([0.5, 0, 1, 0.5, 0.5, 1, 0, 0.5, 0.5, 0]);
    const chains: CoastChain[] = [{ coords: new Float64Array([0.8, 0.55, 0.5, 0.62, 0.3, 0.6]), closed: false, broken: false }];
    const errors = new DataErrors();
    const sea = new SeaBuilder(new PolygonExtent(diamond), { closeDistance: 1e-9, errors }).build(chains);
    assert.equal(sea.polygons.length, 0);
    assert.equal(errors.get('coastline_open'), 1);
  });

  describe('broken islands', () => {
    const MAIN = new Float64Array([1.1, 0.8, 0.5, 0.81, -0.1, 0.8]);
    /** A 12-sided islet, counter-clockwise on the map, open when `drop` > 0 (its last `drop` segments missing). */
    function islet(cx: number, cy: number, r: number, drop = 0): Float64Array {
      const pts: number[] = [];
      for (let k = 0; k <= 12 - drop; k++) pts.push(cx + r * Math.cos((k * Math.PI) / 6), cy - r * Math.sin((k * Math.PI) / 6));
      return new Float64Array(pts);
    }

    it('keeps the sea around an unclosed islet and leaves only the islet without sea', () => {
      const chains: CoastChain[] = [
        { coords: MAIN, closed: false, broken: false },
        { coords: islet(0.3, 0.3, 0.05, 1), closed: false, broken: false },
        { coords: islet(0.7, 0.3, 0.05), closed: true, broken: false },
      ];
      const errors = new DataErrors();
      const sea = new SeaBuilder(new RectExtent(RECT), { closeDistance: 1e-9, errors }).build(chains);
      assert.equal(errors.get('coastline_open'), 1);
      assert.equal(errors.get('coastline_broken_islet'), 1);
      assert.equal(sea.stats.seaLeftOut, 0);
      assert.equal(isSea(sea.polygons, 0.5, 0.5), true);
      for (const [x, y] of [[0.3, 0.3], [0.345, 0.3], [0.34, 0.28], [0.7, 0.3]]) assert.equal(isSea(sea.polygons, x, y), false, `${x},${y}`);
      assert.equal(isSea(sea.polygons, 0.5, 0.9), false);
    });

    it('keeps the sea around a self-crossing islet and leaves its hull without sea', () => {
      const bowTie = new Float64Array([0.25, 0.25, 0.35, 0.35, 0.35, 0.25, 0.25, 0.35, 0.25, 0.25]);
      const chains: CoastChain[] = [{ coords: MAIN, closed: false, broken: false }, { coords: bowTie, closed: true, broken: false }];
      const errors = new DataErrors();
      const sea = new SeaBuilder(new RectExtent(RECT), { closeDistance: 1e-9, errors }).build(chains);
      assert.equal(errors.get('coastline_self_intersection'), 1);
      assert.equal(isSea(sea.polygons, 0.5, 0.5), true);
      for (const [x, y] of [[0.27, 0.3], [0.33, 0.3], [0.3, 0.26]]) assert.equal(isSea(sea.polygons, x, y), false, `${x},${y}`);
    });

    it('leaves the sea out when the open piece is no islet (half of it missing)', () => {
      const chains: CoastChain[] = [{ coords: MAIN, closed: false, broken: false }, { coords: islet(0.3, 0.3, 0.05, 6), closed: false, broken: false }];
      const errors = new DataErrors();
      const sea = new SeaBuilder(new RectExtent(RECT), { closeDistance: 1e-9, errors }).build(chains);
      assert.equal(sea.polygons.length, 0);
      assert.equal(errors.get('coastline_sea_left_out'), 1);
    });

    it('leaves the sea out when the patch of an islet would touch another island', () => {
      const chains: CoastChain[] = [
        { coords: MAIN, closed: false, broken: false },
        { coords: islet(0.3, 0.3, 0.05, 1), closed: false, broken: false },
        { coords: square(0.36, 0.3, 0.02), closed: true, broken: false },
      ];
      const sea = new SeaBuilder(new RectExtent(RECT), { closeDistance: 1e-9, errors: new DataErrors() }).build(chains);
      assert.equal(sea.polygons.length, 0);
    });
  });
});
