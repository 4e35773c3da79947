/**
 * One point for an area, guaranteed inside it:
 * - `pointOnSurface`: as PostGIS ST_PointOnSurface (GEOS InteriorPointArea), the middle of the widest interior
 *   section of a horizontal scan line placed between vertex heights; what OpenMapTiles uses for housenumber and poi.
 * - `labelPoint`: the pole of inaccessibility (Mapbox polylabel), the interior point farthest from the outline,
 *   where a label is wanted (lakes, parks, islands, countries).
 *
 * Why local coordinates: world coordinates are in [0,1], so a 10 m building is a ~1e-7 wide ring at ~0.5; products
 * of absolute coordinates (shoelace sums) lose everything to cancellation. Here every ring is translated to an
 * integer point of the tile grid near the polygon and measured in units of that grid (1/4096 of a tile at
 * `gridZoom`), where a building is tens of units across and its coordinates are exact.
 *
 * Why the grid: the tiler rounds points to that grid; a point inside the exact polygon can round to one outside
 * (a 5 m building is ~10 units wide at z14). Both functions return a grid point when one lies inside the polygon,
 * preferring one at least `MARGIN` units from the outline (so it is still inside the polygon once the polygon's own
 * vertices are rounded and simplified in the tile); only an area that holds no grid point keeps its exact point.
 */
import type { PolygonGeometry } from '../core/geometry.js';

/** Integer tile coordinates per tile (as the tiler and MVT encoder). */
const EXTENT = 4096;
/** Grid units a point should keep from the outline: the tile polygon's vertices move by rounding and simplification. */
const MARGIN = 2;
/** Scan lines tried when the first point rounds outside or too close to the outline. */
const MAX_ROWS = 256;

type Ring = Float64Array;
/** One polygon (outer ring, then holes) in local grid units. */
type LocalPolygon = Ring[];

interface Frame {
  scale: number;
  ox: number;
  oy: number;
}

function frameOf(g: PolygonGeometry, gridZoom: number): Frame {
  const scale = 2 ** gridZoom * EXTENT;
  const r = g.polygons[0][0];
  // an integer origin keeps grid points integer in local units
  return { scale, ox: Math.floor(r[0] * scale), oy: Math.floor(r[1] * scale) };
}

function toLocal(poly: Float64Array[], f: Frame): LocalPolygon {
  return poly.map((ring) => {
    const out = new Float64Array(ring.length);
    for (let i = 0; i < ring.length; i += 2) {
      out[i] = ring[i] * f.scale - f.ox;
      out[i + 1] = ring[i + 1] * f.scale - f.oy;
    }
    return out;
  });
}

function toWorld(p: [number, number], f: Frame): [number, number] {
  return [(p[0] + f.ox) / f.scale, (p[1] + f.oy) / f.scale];
}

/** Signed area (local units, exact enough: rings are near the origin). */
function localRingArea(r: Ring): number {
  let s = 0;
  for (let i = 0; i + 3 < r.length; i += 2) s += r[i] * r[i + 3] - r[i + 2] * r[i + 1];
  return s / 2;
}

function polygonArea(p: LocalPolygon): number {
  let a = Math.abs(localRingArea(p[0]));
  for (let h = 1; h < p.length; h++) a -= Math.abs(localRingArea(p[h]));
  return a;
}

/** Even-odd test over the outer ring and holes; points on the outline count as outside. */
function inside(x: number, y: number, p: LocalPolygon): boolean {
  let odd = false;
  for (const r of p) {
    for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
      const xi = r[i], yi = r[i + 1], xj = r[j], yj = r[j + 1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

/** Distance from (x, y) to the nearest edge of any ring. */
function outlineDistance(x: number, y: number, p: LocalPolygon): number {
  let best = Infinity;
  for (const r of p) {
    for (let i = 0; i + 3 < r.length; i += 2) {
      const ax = r[i], ay = r[i + 1];
      let dx = r[i + 2] - ax, dy = r[i + 3] - ay;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      dx = ax + t * dx - x;
      dy = ay + t * dy - y;
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
  }
  return Math.sqrt(best);
}

/** Positive inside, negative outside, 0 on the outline. */
function signedDistance(x: number, y: number, p: LocalPolygon): number {
  const d = outlineDistance(x, y, p);
  return inside(x, y, p) ? d : -d;
}

/** Sorted x where the horizontal line at y crosses the rings (half-open rule: a vertex on the line counts once). */
function crossings(y: number, p: LocalPolygon): number[] {
  const xs: number[] = [];
  for (const r of p) {
    for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
      const yi = r[i + 1], yj = r[j + 1];
      if ((yi > y) !== (yj > y)) xs.push(r[i] + ((r[j] - r[i]) * (y - yi)) / (yj - yi));
    }
  }
  return xs.sort((a, b) => a - b);
}

function bbox(r: Ring): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] < x0) x0 = r[i];
    if (r[i] > x1) x1 = r[i];
    if (r[i + 1] < y0) y0 = r[i + 1];
    if (r[i + 1] > y1) y1 = r[i + 1];
  }
  return [x0, y0, x1, y1];
}

/** GEOS' scan line: halfway between the vertex heights nearest above and below the middle of the envelope. */
function scanLineY(p: LocalPolygon): number {
  const [, y0, , y1] = bbox(p[0]);
  const centre = (y0 + y1) / 2;
  let lo = y0, hi = y1;
  for (const r of p) {
    for (let i = 1; i < r.length; i += 2) {
      const y = r[i];
      if (y <= centre) { if (y > lo) lo = y; } else if (y < hi) hi = y;
    }
  }
  return (lo + hi) / 2;
}

/** Middle of the widest interior section of the scan line, and its width (0 when the polygon has no interior there). */
function widestSection(p: LocalPolygon): { x: number; y: number; width: number } {
  const y = scanLineY(p);
  const xs = crossings(y, p);
  let best = { x: p[0][0], y, width: 0 };
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const w = xs[i + 1] - xs[i];
    if (w > best.width) best = { x: (xs[i] + xs[i + 1]) / 2, y, width: w };
  }
  return best;
}

/** Mean of the outer ring's vertices: the answer for a ring without interior (all points on a line). */
function vertexMean(p: LocalPolygon): [number, number] {
  const r = p[0];
  const n = Math.max(1, r.length / 2 - 1);
  let x = 0, y = 0;
  for (let i = 0; i + 3 < r.length; i += 2) { x += r[i]; y += r[i + 1]; }
  return r.length >= 4 ? [x / n, y / n] : [r[0], r[1]];
}

/**
 * A grid point inside `p` near (px, py): the point rounded when it keeps MARGIN from the outline, else the middle
 * of an interior section of the grid rows nearest py; the one farthest from the outline when none keeps MARGIN;
 * (px, py) itself when no grid point is inside.
 */
function snapInside(px: number, py: number, p: LocalPolygon): [number, number] {
  const rx = Math.round(px), ry = Math.round(py);
  let best: [number, number] = [px, py];
  let bestD = signedDistance(rx, ry, p);
  if (bestD >= MARGIN) return [rx, ry];
  if (bestD > 0) best = [rx, ry];
  const [, y0, , y1] = bbox(p[0]);
  const top = Math.floor(y0) + 1, bottom = Math.ceil(y1) - 1;
  for (let k = 0, tried = 0; tried < MAX_ROWS; k++) {
    const rows = k === 0 ? [ry] : [ry - k, ry + k];
    if (rows.every((y) => y < top || y > bottom)) break;
    for (const y of rows) {
      if (y < top || y > bottom) continue;
      tried++;
      const xs = crossings(y, p);
      for (let i = 0; i + 1 < xs.length; i += 2) {
        const a = xs[i], b = xs[i + 1];
        const x = Math.min(Math.max(Math.round((a + b) / 2), Math.floor(a) + 1), Math.ceil(b) - 1);
        if (!(x > a && x < b)) continue;
        const d = signedDistance(x, y, p);
        if (d > bestD) { bestD = d; best = [x, y]; }
      }
    }
    if (bestD >= MARGIN) break;
  }
  return best;
}

function largestPolygon(g: PolygonGeometry, f: Frame): LocalPolygon {
  let best: LocalPolygon = toLocal(g.polygons[0], f), bestArea = polygonArea(best);
  for (let i = 1; i < g.polygons.length; i++) {
    const p = toLocal(g.polygons[i], f);
    const a = polygonArea(p);
    if (a > bestArea) { best = p; bestArea = a; }
  }
  return best;
}

/**
 * ST_PointOnSurface: over all polygons, the middle of the widest interior section of each one's scan line,
 * moved onto the tile grid of `gridZoom` when a grid point is inside. World coordinates.
 */
export function pointOnSurface(g: PolygonGeometry, gridZoom = 14): [number, number] {
  const f = frameOf(g, gridZoom);
  let best: { p: LocalPolygon; x: number; y: number; width: number } | undefined;
  for (const poly of g.polygons) {
    if (poly.length === 0 || poly[0].length < 8) continue;
    const p = toLocal(poly, f);
    const s = widestSection(p);
    if (!best || s.width > best.width) best = { p, ...s };
  }
  if (!best) return toWorld(vertexMean(toLocal(g.polygons[0], f)), f);
  if (best.width === 0) return toWorld(vertexMean(best.p), f);
  return toWorld(snapInside(best.x, best.y, best.p), f);
}

/**
 * The pole of inaccessibility of the largest polygon (polylabel: best-first search over square cells), to
 * `precision` of its size, on the grid of `gridZoom` when a grid point is inside. World coordinates.
 */
export function labelPoint(g: PolygonGeometry, gridZoom = 14): [number, number] {
  const f = frameOf(g, gridZoom);
  const p = largestPolygon(g, f);
  if (p[0].length < 8 || polygonArea(p) <= 0) return pointOnSurface(g, gridZoom);
  const [x0, y0, x1, y1] = bbox(p[0]);
  const long = Math.max(x1 - x0, y1 - y0);
  // cells as wide as the short side, but few of them for a sliver (cells may be larger than the polygon)
  const size = Math.max(Math.min(x1 - x0, y1 - y0), long / 64);
  const precision = Math.max(0.5, long / 1000);
  const cell = (x: number, y: number, h: number): Cell => {
    const d = signedDistance(x, y, p);
    return { x, y, h, d, max: d + h * Math.SQRT2 };
  };
  const s = widestSection(p);
  let best = cell(s.x, s.y, 0);
  const queue = new CellQueue();
  const h0 = size / 2;
  for (let x = x0; x < x1; x += size) {
    for (let y = y0; y < y1; y += size) queue.push(cell(x + h0, y + h0, h0));
  }
  for (let c = queue.pop(); c; c = queue.pop()) {
    if (c.d > best.d) best = c;
    if (c.max - best.d <= precision) continue;
    const h = c.h / 2;
    queue.push(cell(c.x - h, c.y - h, h));
    queue.push(cell(c.x + h, c.y - h, h));
    queue.push(cell(c.x - h, c.y + h, h));
    queue.push(cell(c.x + h, c.y + h, h));
  }
  return toWorld(snapInside(best.x, best.y, p), f);
}

interface Cell {
  x: number;
  y: number;
  /** Half the cell's side. */
  h: number;
  /** Signed distance of the centre to the outline. */
  d: number;
  /** Best distance any point of the cell can have. */
  max: number;
}

/** Binary max-heap of cells on `max`. */
class CellQueue {
  private readonly items: Cell[] = [];

  push(c: Cell): void {
    const a = this.items;
    a.push(c);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent].max >= c.max) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = c;
  }

  pop(): Cell | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      let mv = last.max;
      if (l < a.length && a[l].max > mv) { m = l; mv = a[l].max; }
      if (r < a.length && a[r].max > mv) m = r;
      if (m === i) break;
      a[i] = a[m];
      i = m;
    }
    a[i] = last;
    return top;
  }
}
