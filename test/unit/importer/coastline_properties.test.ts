/**
 * Properties of the sea that hold for any input, on generated coasts (world
 * coordinates, y south): a random mainland coast (land south) across the extent,
 * random star-shaped islands, and random damage (an islet left open, an islet
 * crossing itself, an island or the whole coast drawn the wrong way round, a gap in
 * the coast). The rest of the data is a dense grid of nodes on land and a sparse one
 * at sea, as OSM maps them. Whatever the damage, every sampled point that comes out
 * as sea is water in the intended geometry; undamaged, every water point is sea; a
 * broken islet costs only the sea near it. Then the same through a polygon cut with
 * no extent given: inside the cut, sea exactly where the water is.
 */
import assert from 'node:assert/strict';
import { DataErrors } from '../../../src/core/data_errors.js';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { xToLon, yToLat } from '../../../src/core/tile_math.js';
import type { CoastChain } from '../../../src/importer/coastline/coastline_chains.js';
import { dataOutline } from '../../../src/importer/coastline/data_outline.js';
import { pointInRing, signedArea } from '../../../src/importer/coastline/ring_tree.js';
import { PolygonExtent, RectExtent, type SeaExtent } from '../../../src/importer/coastline/sea_extent.js';
import { SeaBuilder } from '../../../src/importer/coastline/sea_polygons.js';
import { landDrawnAsSea } from '../../../src/importer/coastline/sea_orientation.js';

type Rnd = () => number;

interface World {
  /** The mainland coast from east to west (land south of it), x from -0.1 to 1.1. */
  coast: Float64Array;
  /** Islands, counter-clockwise on the map (negative shoelace area here), closed. */
  islands: { ring: Float64Array; cx: number; cy: number; r: number }[];
}

function coastY(coast: Float64Array, x: number): number {
  for (let i = 0; i + 3 < coast.length; i += 2) {
    const x0 = coast[i], x1 = coast[i + 2];
    if (x <= x0 && x >= x1) return coast[i + 1] + ((x - x0) / (x1 - x0)) * (coast[i + 3] - coast[i + 1]);
  }
  return coast[1];
}

function makeWorld(rnd: Rnd): World {
  const pts: number[] = [];
  let y = 0.65 + rnd() * 0.2;
  for (let x = 1.1; x > -0.1; x -= 0.02 + rnd() * 0.05) {
    pts.push(x, y);
    y = Math.min(0.9, Math.max(0.6, y + (rnd() - 0.5) * 0.06));
  }
  pts.push(-0.1, y);
  const islands: World['islands'] = [];
  // one island at most per cell of a 6×4 grid over the sea, so they never meet
  for (let i = 0; i < 6; i++) {
    for (let j = 0; j < 4; j++) {
      if (rnd() < 0.4) continue;
      const cx = (i + 0.5) / 6, cy = 0.05 + (j + 0.5) * 0.12, r = 0.02 + rnd() * 0.03;
      const k = 6 + Math.floor(rnd() * 9);
      const ring: number[] = [];
      for (let v = 0; v < k; v++) {
        const a = ((v + rnd() * 0.5) * 2 * Math.PI) / k, d = r * (0.5 + rnd() * 0.5);
        ring.push(cx + d * Math.cos(a), cy - d * Math.sin(a));
      }
      ring.push(ring[0], ring[1]);
      islands.push({ ring: Float64Array.from(ring), cx, cy, r });
    }
  }
  return { coast: Float64Array.from(pts), islands };
}

function isLand(w: World, x: number, y: number): boolean {
  return y > coastY(w.coast, x) || w.islands.some((i) => pointInRing(x, y, i.ring));
}

function reverse(c: Float64Array): Float64Array {
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i += 2) { out[c.length - 2 - i] = c[i]; out[c.length - 1 - i] = c[i + 1]; }
  return out;
}

type Damage = 'open_islet' | 'crossing_islet' | 'reversed_island' | 'coast_gap' | 'reversed_coast';
const DAMAGES: Damage[] = ['open_islet', 'crossing_islet', 'reversed_island', 'coast_gap', 'reversed_coast'];

/** The chains as mapped, with the damage done; `islet` is the damaged island, if any. */
function chainsOf(w: World, damage: Damage | undefined, rnd: Rnd): { chains: CoastChain[]; islet?: World['islands'][number] } {
  const chains: CoastChain[] = [];
  let coast = w.coast;
  if (damage === 'reversed_coast') coast = reverse(coast);
  if (damage === 'coast_gap') {
    const n = coast.length / 2, a = 2 + Math.floor(rnd() * (n - 6));
    chains.push({ coords: coast.slice(0, 2 * a), closed: false, broken: false }, { coords: coast.slice(2 * (a + 2)), closed: false, broken: false });
  } else {
    chains.push({ coords: coast, closed: false, broken: false });
  }
  const target = w.islands.length > 0 && damage && damage !== 'coast_gap' && damage !== 'reversed_coast'
    ? w.islands[Math.floor(rnd() * w.islands.length)] : undefined;
  for (const island of w.islands) {
    let ring = island.ring;
    if (island === target && damage === 'open_islet') {
      chains.push({ coords: ring.slice(0, ring.length - 2), closed: false, broken: false });
      continue;
    }
    if (island === target && damage === 'crossing_islet') {
      ring = ring.slice();
      // swap two consecutive vertices: the ring crosses itself
      [ring[2], ring[3], ring[4], ring[5]] = [ring[4], ring[5], ring[2], ring[3]];
    }
    if (island === target && damage === 'reversed_island') ring = reverse(ring);
    chains.push({ coords: ring, closed: true, broken: false });
  }
  return { chains, islet: target };
}

/** Untagged data: a 0.02 grid on land, a 0.1 grid at sea (lon/lat of the world coordinates). */
function dataNodes(w: World, keep: (x: number, y: number) => boolean = () => true): { size: number; lon(i: number): number; lat(i: number): number; idAt(i: number): number; xy: number[] } {
  const xy: number[] = [];
  for (let x = 0.01; x < 1; x += 0.02) {
    for (let y = 0.01; y < 1; y += 0.02) {
      const sea = Math.abs(x * 10 - Math.round(x * 10)) < 0.11 && Math.abs(y * 10 - Math.round(y * 10)) < 0.11;
      if ((sea || isLand(w, x, y)) && keep(x, y)) xy.push(x, y);
    }
  }
  return { size: xy.length / 2, lon: (i) => xToLon(xy[2 * i]), lat: (i) => yToLat(xy[2 * i + 1]), idAt: (i) => -1 - i, xy };
}

function seaOf(w: World, chains: CoastChain[], extent: SeaExtent, nodes: ReturnType<typeof dataNodes>, cutEnds?: { maxDistance: number }): Float64Array[][] {
  const sea = new SeaBuilder(extent, { closeDistance: 1e-9, errors: new DataErrors(), cutEnds }).build(chains);
  const flags = landDrawnAsSea({ polygons: sea.polygons, extent, nodes, coastNodeIds: new Float64Array(0) });
  return sea.polygons.filter((_, i) => !flags[i]);
}

function isSea(polys: Float64Array[][], x: number, y: number): boolean {
  return polys.some((p) => pointInRing(x, y, p[0]) && !p.slice(1).some((h) => pointInRing(x, y, h)));
}

describe('sea from generated coasts (properties)', () => {
  it('puts sea only on water, whatever the damage; all water is sea when nothing is damaged; a broken islet costs only its own place', () => {
    const rnd = seededRandom(2026);
    let seaPoints = 0;
    for (let run = 0; run < 60; run++) {
      const w = makeWorld(rnd);
      const damage = run % 6 === 0 ? undefined : DAMAGES[(run - 1 - Math.floor(run / 6)) % DAMAGES.length];
      const { chains, islet } = chainsOf(w, damage, rnd);
      const polys = seaOf(w, chains, new RectExtent([0, 0, 1, 1]), dataNodes(w));
      for (let k = 0; k < 400; k++) {
        const x = rnd(), y = rnd();
        if (Math.abs(y - coastY(w.coast, x)) < 1e-9) continue;
        const land = isLand(w, x, y), sea = isSea(polys, x, y);
        if (sea) seaPoints++;
        assert.ok(!(sea && land), `run ${run} (${damage ?? 'no damage'}): sea on land at ${x},${y}`);
        const farFromIslet = !islet || Math.hypot(x - islet.cx, y - islet.cy) > 3 * islet.r;
        if (!land && (damage === undefined || ((damage === 'open_islet' || damage === 'crossing_islet' || damage === 'reversed_island') && farFromIslet))) {
          assert.ok(sea, `run ${run} (${damage ?? 'no damage'}): water at ${x},${y} is not sea`);
        }
      }
    }
    assert.ok(seaPoints > 5000, `${seaPoints} sea points`);
  });

  it('closes the sea of a polygon-cut extract along the data\'s outline: inside the cut, sea exactly on water', () => {
    const rnd = seededRandom(77);
    let waterPoints = 0;
    for (let run = 0; run < 30; run++) {
      const w = makeWorld(rnd);
      // a convex cut: a random polygon around the middle, reaching well into the sea and the land
      const k = 5 + Math.floor(rnd() * 6);
      const cut: number[] = [];
      for (let v = 0; v < k; v++) {
        const a = (v * 2 * Math.PI) / k + rnd() * 0.3, d = 0.3 + rnd() * 0.15;
        cut.push(0.5 + d * Math.cos(a), 0.6 + d * Math.sin(a));
      }
      cut.push(cut[0], cut[1]);
      const ring = Float64Array.from(cut);
      const inCut = (x: number, y: number): boolean => pointInRing(x, y, ring);
      const nodes = dataNodes(w, inCut);
      // osmium's complete_ways: every way with a node inside is kept whole; a way is 3 coast vertices here
      const chains: CoastChain[] = [];
      const c = w.coast, n = c.length / 2;
      let first = -1, last = -1;
      for (let v = 0; v < n; v++) if (inCut(c[2 * v], c[2 * v + 1])) { if (first < 0) first = v; last = v; }
      if (first < 0) continue;
      const a = Math.max(0, first - 2), b = Math.min(n - 1, last + 2);
      chains.push({ coords: c.slice(2 * a, 2 * b + 2), closed: false, broken: false });
      for (const i of w.islands) if (Array.from({ length: i.ring.length / 2 }, (_, v) => inCut(i.ring[2 * v], i.ring[2 * v + 1])).some(Boolean)) chains.push({ coords: i.ring, closed: true, broken: false });
      const all = [...nodes.xy, ...chains.flatMap((ch) => [...ch.coords])];
      const outline = dataOutline({ size: all.length / 2, lon: (i) => xToLon(all[2 * i]), lat: (i) => yToLat(all[2 * i + 1]) })!;
      const extent = new PolygonExtent(outline);
      // the rule the import uses (sea_stage.ts): ends within 15% of the outline's size
      const polys = seaOf(w, chains, extent, nodes, { maxDistance: 0.15 * Math.sqrt(signedArea(outline)) });
      let checked = 0, water = 0;
      for (let p = 0; p < 400; p++) {
        const x = rnd(), y = rnd();
        // the data's outline runs up to a sea grid step inside the cut
        if (!inCut(x, y) || extent.nearest(x, y).distance < 0.12 || Math.abs(y - coastY(w.coast, x)) < 1e-9) continue;
        checked++;
        if (!isLand(w, x, y)) water++;
        assert.equal(isSea(polys, x, y), !isLand(w, x, y), `run ${run}: at ${x},${y}`);
      }
      assert.ok(checked > 0);
      waterPoints += water;
    }
    assert.ok(waterPoints > 500, `${waterPoints} water points checked`);
  });
});
