/**
 * Merges polygons of one tile layer that have identical attributes and share
 * edges (adjacent landuse parcels at low zoom become one area), exactly, on the
 * integer tile grid — no buffering, so nothing moves:
 * 1. every ring becomes directed edges with normalized winding (outer clockwise on
 *    screen, holes the other way, so the polygon interior is always on the same side);
 * 2. axis-aligned edges are split at every vertex lying inside them, so partly
 *    overlapping collinear edges (tile and buffer edges, clipping bridges) line up;
 * 3. an edge present in both directions is an inner border: both copies cancel;
 * 4. the remaining edges are walked into rings, a ring being cut off whenever the
 *    walk revisits a vertex, so every ring is simple;
 * 5. rings with positive area are outers, negative ones holes, each hole going to
 *    the smallest outer containing it; pieces under `minArea` are dropped.
 * Shared borders must have the same vertices to cancel: two parcels simplified
 * differently along a diagonal border stay separate there (they still render as
 * before, only unmerged).
 */
import { slabInt32 } from './slab_alloc.js';
import type { TileGeometry } from './feature_tiler.js';
import { attrKey, type TileAttrs } from './attr_key.js';
import { flatRingArea, simplify } from './simplify.js';

export interface PolygonMergeOptions {
  /** Drop merged outers and holes with a smaller area, in square pixels of a 256 px tile. Default 0. */
  minArea?: number;
  /**
   * Douglas–Peucker tolerance for the merged rings, in pixels of a 256 px tile.
   * Default 0 (only collinear vertices go). Shared borders cancel only where both
   * sides kept the same vertices, so a layer that is merged is best tiled with
   * tolerance 0 and simplified here, after merging.
   */
  tolerance?: number;
  /** Tile extent of the coordinates. Default 4096. */
  extent?: number;
}

export interface MergeablePolygonFeature {
  geometry: TileGeometry;
  attrs: TileAttrs;
  id?: number;
}

export interface MergedPolygons {
  /** Rings in order outer, its holes, next outer, …; outers positive area, holes negative. */
  geometry: Int32Array[];
  ringsPerPolygon: number[];
}

const OFFSET = 2 ** 20;
/** Vertex ids stay below 2^26, so a directed edge (a, b) is one safe integer. */
const M = 2 ** 26;

/** Vertex ids (first appearance order) and the directed edges between them. */
export class EdgeSet {
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  /** Open addressing on (x, y): slot → vertex id + 1 (0: empty); no Map of number keys, nothing per vertex but its coordinates. */
  private slots: Int32Array;
  /** Directed edge a*M+b → net multiplicity (> 0). */
  readonly net = new Map<number, number>();

  /** `vertices`: about how many distinct vertices there will be (the table grows past it). */
  constructor(vertices = 16) {
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(Math.max(16, 2 * vertices))));
  }

  private static hash(x: number, y: number): number {
    return Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77);
  }

  vertex(x: number, y: number): number {
    const { slots, xs, ys } = this;
    const mask = slots.length - 1;
    let i = EdgeSet.hash(x, y) & mask;
    for (let s = slots[i]; s !== 0; s = slots[i]) {
      if (xs[s - 1] === x && ys[s - 1] === y) return s - 1;
      i = (i + 1) & mask;
    }
    const v = xs.length;
    xs.push(x);
    ys.push(y);
    slots[i] = v + 1;
    if (2 * xs.length > slots.length) this.grow();
    return v;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2), mask = slots.length - 1;
    for (let v = 0; v < this.xs.length; v++) {
      let i = EdgeSet.hash(this.xs[v], this.ys[v]) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = v + 1;
    }
    this.slots = slots;
  }

  add(a: number, b: number): void {
    if (a === b) return;
    const back = b * M + a;
    const c = this.net.get(back);
    if (c !== undefined) {
      if (c === 1) this.net.delete(back);
      else this.net.set(back, c - 1);
      return;
    }
    const k = a * M + b;
    this.net.set(k, (this.net.get(k) ?? 0) + 1);
  }
}

/** The vertices on each horizontal or vertical line: line `lineOf.get(c)` holds `values[start[l] … start[l + 1])`, sorted, unique. */
export interface LinesIndex {
  lineOf: Map<number, number>;
  start: Int32Array;
  values: Int32Array;
}

/**
 * Sorted unique values per line coordinate (`keys[i]`, `values[i]`: vertex i), from one numeric sort of the pairs packed
 * into numbers (tile coordinates stay within ±OFFSET): no array or set per line.
 */
export function linesIndex(keys: number[], values: number[]): LinesIndex {
  const packed = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) packed[i] = (keys[i] + OFFSET) * 2 ** 21 + (values[i] + OFFSET);
  packed.sort();
  const lineOf = new Map<number, number>();
  const start: number[] = [];
  const out = new Int32Array(packed.length);
  let n = 0, lastKey = NaN;
  for (let i = 0; i < packed.length; i++) {
    if (i > 0 && packed[i] === packed[i - 1]) continue;
    const key = Math.floor(packed[i] / 2 ** 21), value = packed[i] - key * 2 ** 21 - OFFSET;
    if (key !== lastKey) { lineOf.set(key - OFFSET, start.length); start.push(n); lastKey = key; }
    out[n++] = value;
  }
  start.push(n);
  return { lineOf, start: Int32Array.from(start), values: out.subarray(0, n) };
}

/** First index in sorted `a[lo … hi)` with a[i] > v (hi: none). */
function upperBound(a: Int32Array, v: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** DP on a merged ring (as integers), or null when it collapses. */
function simplifyRing(coords: Int32Array, sqTol: number): Int32Array | null {
  const s = simplify(coords, sqTol, { ring: true });
  if (s === null) return null;
  if (s.length === coords.length) return coords;
  const out = slabInt32(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s[i];
  return out;
}

/** 1 inside, 0 on the boundary, -1 outside (even–odd rule). */
function pointInRing(x: number, y: number, r: Int32Array): number {
  let inside = false;
  for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
    const xi = r[i], yi = r[i + 1], xj = r[j], yj = r[j + 1];
    const cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
    if (cross === 0 && x >= Math.min(xi, xj) && x <= Math.max(xi, xj) && y >= Math.min(yi, yj) && y <= Math.max(yi, yj)) return 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}

interface Ring {
  coords: Int32Array;
  area: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function ringOf(coords: Int32Array): Ring {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < coords.length; i += 2) {
    minX = Math.min(minX, coords[i]);
    maxX = Math.max(maxX, coords[i]);
    minY = Math.min(minY, coords[i + 1]);
    maxY = Math.max(maxY, coords[i + 1]);
  }
  return { coords, area: flatRingArea(coords), minX, minY, maxX, maxY };
}

/**
 * Dissolves the given rings into merged polygons (see the module comment).
 * `outer[i]` says whether ring i is an outer ring; winding of the input does not matter.
 * `minArea` is in squared tile units; the merged rings are simplified with
 * `sqTolerance` (squared tile units; 0 still removes the collinear vertices the
 * cancelled borders leave).
 */
export function dissolveRings(
  rings: readonly Int32Array[],
  outer: readonly boolean[],
  options: { minArea?: number; sqTolerance?: number } = {},
): MergedPolygons {
  const minArea = options.minArea ?? 0;
  const sqTol = options.sqTolerance ?? 0;
  let coords = 0;
  for (const c of rings) coords += c.length;
  const es = new EdgeSet(coords >> 1);
  const ringVerts: number[][] = [];
  for (let r = 0; r < rings.length; r++) {
    const c = rings[r];
    const a = flatRingArea(c);
    if (a === 0) {
      ringVerts.push([]);
      continue;
    }
    const verts: number[] = [];
    for (let i = 0; i + 1 < c.length; i += 2) verts.push(es.vertex(c[i], c[i + 1]));
    if (verts[0] !== verts[verts.length - 1]) verts.push(verts[0]);
    if (outer[r] !== a > 0) verts.reverse();
    ringVerts.push(verts);
  }
  // Vertices on each horizontal (by y) and vertical (by x) line, to split collinear overlaps.
  const byY = linesIndex(es.ys, es.xs);
  const byX = linesIndex(es.xs, es.ys);
  const { xs, ys } = es;
  for (const verts of ringVerts) {
    for (let i = 0; i + 1 < verts.length; i++) {
      const a = verts[i], b = verts[i + 1];
      const horizontal = ys[a] === ys[b], vertical = xs[a] === xs[b];
      if (!horizontal && !vertical) {
        es.add(a, b);
        continue;
      }
      const index = horizontal ? byY : byX;
      const l = index.lineOf.get(horizontal ? ys[a] : xs[a])!;
      const line = index.values, lineEnd = index.start[l + 1];
      const va = horizontal ? xs[a] : ys[a], vb = horizontal ? xs[b] : ys[b];
      const lo = Math.min(va, vb), hi = Math.max(va, vb);
      const start = upperBound(line, lo, index.start[l], lineEnd);
      let end = start;
      while (end < lineEnd && line[end] < hi) end++;
      if (end === start) {
        es.add(a, b);
        continue;
      }
      const mids: number[] = [];
      for (let k = start; k < end; k++) mids.push(horizontal ? es.vertex(line[k], ys[a]) : es.vertex(xs[a], line[k]));
      if (va > vb) mids.reverse();
      let prev = a;
      for (const m of mids) {
        es.add(prev, m);
        prev = m;
      }
      es.add(prev, b);
    }
  }

  // Walk the remaining edges (CSR adjacency) into simple rings.
  const V = xs.length;
  const outCount = new Int32Array(V + 1);
  for (const [k, c] of es.net) outCount[Math.floor(k / M)] += c;
  const outStart = new Int32Array(V + 1);
  for (let v = 0; v < V; v++) outStart[v + 1] = outStart[v] + outCount[v];
  const fill = outStart.slice(0, V);
  const targets = new Int32Array(outStart[V]);
  for (const [k, c] of es.net) {
    const a = Math.floor(k / M), b = k - a * M;
    for (let i = 0; i < c; i++) targets[fill[a]++] = b;
  }
  const next = outStart.slice(0, V);
  const pos = new Int32Array(V).fill(-1);
  const found: Ring[] = [];
  for (let v0 = 0; v0 < V; v0++) {
    while (next[v0] < outStart[v0 + 1]) {
      const path = [v0];
      pos[v0] = 0;
      let cur = v0;
      for (;;) {
        if (next[cur] === outStart[cur + 1]) break; // unbalanced: cannot close (not reached with valid rings)
        const w = targets[next[cur]++];
        if (pos[w] < 0) {
          pos[w] = path.length;
          path.push(w);
          cur = w;
          continue;
        }
        const p = pos[w];
        const coords = slabInt32(2 * (path.length - p + 1));
        for (let i = p, k = 0; i <= path.length; i++, k += 2) {
          const v = i < path.length ? path[i] : w;
          coords[k] = xs[v];
          coords[k + 1] = ys[v];
        }
        const simple = simplifyRing(coords, sqTol);
        if (simple !== null) found.push(ringOf(simple));
        for (let i = p + 1; i < path.length; i++) pos[path[i]] = -1;
        path.length = p + 1;
        cur = w;
        if (path.length === 1 && next[w] === outStart[w + 1]) break;
      }
      for (const v of path) pos[v] = -1;
    }
  }

  const outers = found.filter((r) => r.area > 0 && r.area >= minArea).sort((a, b) => b.area - a.area);
  const holesOf: Ring[][] = outers.map(() => []);
  for (const h of found) {
    if (h.area >= 0 || -h.area < minArea) continue;
    let best = -1;
    for (let o = 0; o < outers.length; o++) {
      const r = outers[o];
      if (h.minX < r.minX || h.maxX > r.maxX || h.minY < r.minY || h.maxY > r.maxY) continue;
      let side = 0;
      for (let i = 0; i + 1 < h.coords.length && side === 0; i += 2) side = pointInRing(h.coords[i], h.coords[i + 1], r.coords);
      // Outers are sorted by decreasing area: the last containing one is the smallest.
      if (side >= 0) best = o;
    }
    if (best >= 0) holesOf[best].push(h);
  }
  const geometry: Int32Array[] = [];
  const ringsPerPolygon: number[] = [];
  outers.forEach((o, i) => {
    geometry.push(o.coords);
    for (const h of holesOf[i]) geometry.push(h.coords);
    ringsPerPolygon.push(1 + holesOf[i].length);
  });
  return { geometry, ringsPerPolygon };
}

/** Which rings of a feature are outers: from ringsPerPolygon when given, else by sign (MVT winding). */
function outerFlags(g: TileGeometry): boolean[] {
  if (g.ringsPerPolygon !== undefined) {
    const flags: boolean[] = [];
    for (const n of g.ringsPerPolygon) for (let i = 0; i < n; i++) flags.push(i === 0);
    if (flags.length === g.geometry.length) return flags;
  }
  return g.geometry.map((r) => flatRingArea(r) > 0);
}

/**
 * Merges the polygon features (type 3) of one layer with identical attributes:
 * one feature per attribute set, holding the dissolved polygons; its other fields
 * come from the group's first feature, without `id` when several were merged.
 * Points and lines pass through unchanged; order of first appearance is kept.
 */
export function mergePolygons<T extends MergeablePolygonFeature>(features: readonly T[], options: PolygonMergeOptions = {}): T[] {
  const unit = (options.extent ?? 4096) / 256;
  const minArea = (options.minArea ?? 0) * unit * unit;
  const sqTol = ((options.tolerance ?? 0) * unit) ** 2;
  const groups = new Map<string, T[]>();
  const order: (T | string)[] = [];
  for (const f of features) {
    if (f.geometry.type !== 3) {
      order.push(f);
      continue;
    }
    const key = attrKey(f.attrs);
    let g = groups.get(key);
    if (g === undefined) {
      groups.set(key, (g = []));
      order.push(key);
    }
    g.push(f);
  }
  const result: T[] = [];
  for (const item of order) {
    if (typeof item !== 'string') {
      result.push(item);
      continue;
    }
    const group = groups.get(item)!;
    const rings = group.flatMap((f) => f.geometry.geometry);
    const outer = group.flatMap((f) => outerFlags(f.geometry));
    const merged = dissolveRings(rings, outer, { minArea, sqTolerance: sqTol });
    if (merged.geometry.length === 0) continue;
    const f: T = { ...group[0], geometry: { type: 3, geometry: merged.geometry, ringsPerPolygon: merged.ringsPerPolygon } };
    if (group.length > 1) delete f.id;
    result.push(f);
  }
  return result;
}
