/**
 * Cuts one feature's world geometry into per-tile integer geometry, zoom by zoom.
 *
 * API
 * ```ts
 * import { FeatureTiler, tileGeometry } from './feature_tiler.js';
 * // all zooms at once:
 * tileGeometry(geom, { minzoom: 4, maxzoom: 14, buffer: 4 }, (z, x, y, g) => { ... });
 * // or one zoom at a time (precomputation is shared between calls):
 * const t = new FeatureTiler(geom, { minzoom: 4, maxzoom: 14, buffer: 4 });
 * for (let z = 4; z <= 14; z++) t.tileZoom(z, emit);
 * ```
 * `geom` is a core/geometry.ts Geometry (world coordinates in [0,1], y down).
 * `emit(z, x, y, g)` receives `g: TileGeometry` = `{ type: 1|2|3, geometry: Int32Array[],
 * ringsPerPolygon? }` in tile coordinates (0..extent, y down, the buffer beyond),
 * directly usable as the geometry of an MvtFeature:
 * - points (type 1): one part holding every point of the feature that falls in the
 *   tile or its buffer;
 * - lines (type 2): one part per clipped piece, ≥ 2 distinct points;
 * - polygons (type 3): closed rings in order outer, its holes, next outer, …, outers
 *   with positive area by the MVT formula (clockwise on screen), holes negative, and
 *   `ringsPerPolygon` giving the ring count of each polygon.
 * Nothing is emitted for a tile where the feature leaves nothing valid. Output arrays
 * may be views on shared slabs (see slab_alloc.ts): `slice()` one before sending
 * it to a worker.
 *
 * Options: minzoom/maxzoom; buffer in pixels of a 256 px tile (default 4);
 * extent (default 4096); tolerance in 256-px pixels below maxzoom (default 0.1) and
 * maxzoomTolerance at maxzoom (default 0.0625, as planetiler); minPixelSize: below
 * maxzoom, line parts shorter and polygons (and holes) with area under its square
 * are dropped (default 1 for polygons, 0 for lines, as in schema/profile.ts).
 *
 * Why it is shaped this way: simplification importance is computed once per
 * feature (see simplify.ts), so each zoom costs one filtering pass; tiles are then
 * found by recursive halving of the covered tile range (x or y, whichever is
 * wider), clipping only to the half and recursing only into halves that keep
 * geometry, with the range tightened to what remains — a river over 1000 tiles
 * costs O(vertices · log tiles), not O(vertices · tiles). A polygon piece that has
 * become exactly its range's rectangle fills every tile of the range with a square
 * without further clipping (big forests and lakes at high zoom).
 */
import { copyInt32, slabInt32 } from './slab_alloc.js';
import { bboxOfCoords, type Geometry } from '../core/geometry.js';
import { TuilerieError } from '../core/errors.js';
import { computeImportance, filterByImportance, flatRingArea } from './simplify.js';
import { clipLineAxis, clipRingAxis, ringCoversRect, type Axis, type Rect } from './clip.js';

export interface TileGeometry {
  type: 1 | 2 | 3;
  geometry: Int32Array[];
  /** Polygons: ring count (outer + holes) of each polygon, in order. */
  ringsPerPolygon?: number[];
}

export type TileEmitter = (z: number, x: number, y: number, geometry: TileGeometry) => void;

export interface FeatureTilerOptions {
  minzoom: number;
  maxzoom: number;
  /** Pixels of a 256 px tile kept around each tile. Default 4. */
  buffer?: number;
  /** Default 4096. */
  extent?: number;
  /** Simplification tolerance below maxzoom, in 256-px pixels. Default 0.1. */
  tolerance?: number;
  /** Simplification tolerance at maxzoom, in 256-px pixels. Default 0.0625. */
  maxzoomTolerance?: number;
  /** Below maxzoom: drop line parts shorter than this, polygons/holes smaller than its square (256-px pixels). */
  minPixelSize?: number;
}

/** A line part or a polygon ([outer, holes…]) with the bbox of its first ring, in zoom grid units. */
interface Piece {
  rings: Float64Array[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

interface Source {
  rings: Float64Array[];
  importance: Float64Array[];
  /** Line: length; polygon: |area| of each ring; world units. */
  size: number[];
}

let qbuf = new Int32Array(1024);

function pieceOf(rings: Float64Array[]): Piece {
  const c = rings[0];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < c.length; i += 2) {
    const x = c[i], y = c[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { rings, minX, minY, maxX, maxY };
}

function lineLength(c: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 3 < c.length; i += 2) s += Math.hypot(c[i + 2] - c[i], c[i + 3] - c[i + 1]);
  return s;
}

/**
 * Rounds a part to integers relative to the tile origin, dropping repeated points.
 * Rounding happens on global grid coordinates so neighbouring tiles agree exactly.
 */
function quantize(c: Float64Array, ox: number, oy: number): Int32Array {
  if (qbuf.length < c.length) qbuf = new Int32Array(Math.max(c.length, qbuf.length * 2));
  let k = 0;
  let px = NaN, py = NaN;
  for (let i = 0; i < c.length; i += 2) {
    const x = Math.round(c[i]) - ox, y = Math.round(c[i + 1]) - oy;
    if (x === px && y === py) continue;
    qbuf[k++] = x;
    qbuf[k++] = y;
    px = x;
    py = y;
  }
  return copyInt32(qbuf, k);
}

/** `quantize(filterByImportance(...))` fused: the single-tile fast path allocates only its output. */
function filterQuantize(c: Float64Array, imp: Float64Array, sqTol: number, scale: number, ox: number, oy: number): Int32Array {
  if (qbuf.length < c.length) qbuf = new Int32Array(Math.max(c.length, qbuf.length * 2));
  let k = 0;
  let px = NaN, py = NaN;
  for (let i = 0, j = 0; i < c.length; i += 2, j++) {
    if (!(imp[j] > sqTol)) continue;
    const x = Math.round(c[i] * scale) - ox, y = Math.round(c[i + 1] * scale) - oy;
    if (x === px && y === py) continue;
    qbuf[k++] = x;
    qbuf[k++] = y;
    px = x;
    py = y;
  }
  return copyInt32(qbuf, k);
}

/**
 * Gives a quantized ring MVT winding (outer: positive area, i.e. clockwise on
 * screen; hole: negative); false when it has no area left.
 */
function orientRing(q: Int32Array, outer: boolean): boolean {
  if (q.length < 8) return false;
  const a = flatRingArea(q);
  if (a === 0) return false;
  if (outer !== a > 0) reverseRing(q);
  return true;
}

function reverseRing(r: Int32Array): void {
  for (let i = 0, j = r.length - 2; i < j; i += 2, j -= 2) {
    const x = r[i], y = r[i + 1];
    r[i] = r[j];
    r[i + 1] = r[j + 1];
    r[j] = x;
    r[j + 1] = y;
  }
}

function noEmit(): void {}

function holeCoversRect(p: Piece, rect: Rect): boolean {
  for (let i = 1; i < p.rings.length; i++) if (ringCoversRect(p.rings[i], rect)) return true;
  return false;
}

export class FeatureTiler {
  private readonly kind: 'point' | 'line' | 'polygon';
  private readonly points: Float64Array | null = null;
  /** Lines: one source per part; polygons: one per polygon. */
  private readonly sources: Source[] = [];
  /** World bbox of the first rings / parts. */
  private readonly bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  private readonly minzoom: number;
  private readonly maxzoom: number;
  private readonly extent: number;
  private readonly bufferPx: number;
  private readonly tolerance: number;
  private readonly maxzoomTolerance: number;
  private readonly minPixelSize: number;
  // Per-zoom state of the running tileZoom call.
  private z = 0;
  private buf = 0;
  private emit: TileEmitter = noEmit;

  constructor(geom: Geometry, options: FeatureTilerOptions) {
    const { minzoom, maxzoom } = options;
    if (!(Number.isInteger(minzoom) && Number.isInteger(maxzoom) && minzoom >= 0 && minzoom <= maxzoom && maxzoom <= 24)) {
      throw new TuilerieError('BAD_REQUEST', `invalid zoom range ${minzoom}..${maxzoom}: need integers 0 ≤ minzoom ≤ maxzoom ≤ 24`);
    }
    this.minzoom = minzoom;
    this.maxzoom = maxzoom;
    this.extent = options.extent ?? 4096;
    this.bufferPx = options.buffer ?? 4;
    this.tolerance = options.tolerance ?? 0.1;
    this.maxzoomTolerance = options.maxzoomTolerance ?? 0.0625;
    this.kind = geom.type;
    this.minPixelSize = options.minPixelSize ?? (geom.type === 'polygon' ? 1 : 0);
    // Importance down to the smallest tolerance any zoom will use.
    const minTolWorld = Math.min(this.tolerance, this.maxzoomTolerance) / (256 * 2 ** maxzoom);
    const minSq = minTolWorld * minTolWorld;
    if (geom.type === 'point') {
      this.points = geom.coords;
    } else if (geom.type === 'line') {
      for (const l of geom.lines) {
        if (l.length < 4) continue;
        this.sources.push({ rings: [l], importance: [computeImportance(l, minSq)], size: [lineLength(l)] });
      }
    } else {
      for (const p of geom.polygons) {
        if (p.length === 0 || p[0].length < 8) continue;
        const importance: Float64Array[] = [];
        const size: number[] = [];
        for (const r of p) {
          importance.push(computeImportance(r, minSq));
          size.push(Math.abs(flatRingArea(r)));
        }
        this.sources.push({ rings: p, importance, size });
      }
    }
    for (const s of this.sources) bboxOfCoords(s.rings[0], this.bbox);
  }

  /** Every zoom from minzoom to maxzoom. */
  tileAll(emit: TileEmitter): void {
    for (let z = this.minzoom; z <= this.maxzoom; z++) this.tileZoom(z, emit);
  }

  /** One zoom: emits each tile of zoom z the feature leaves something in. */
  tileZoom(z: number, emit: TileEmitter): void {
    if (z < this.minzoom || z > this.maxzoom) return;
    this.z = z;
    this.buf = (this.bufferPx * this.extent) / 256;
    this.emit = emit;
    if (this.kind === 'point') {
      this.tilePoints();
      return;
    }
    const scale = 2 ** z * this.extent;
    const pxPerWorld = 256 * 2 ** z;
    const tolPx = z === this.maxzoom ? this.maxzoomTolerance : this.tolerance;
    const tolWorld = tolPx / pxPerWorld;
    const sqTol = tolWorld * tolWorld;
    const filterSmall = z < this.maxzoom && this.minPixelSize > 0;
    const minLen = this.minPixelSize / pxPerWorld;
    const minArea = minLen * minLen;
    // Size limits in world units: line length, ring area (rings at or under the squared tolerance collapse anyway).
    const minSize = this.kind === 'line' ? (filterSmall ? minLen : 0) : Math.max(filterSmall ? minArea : 0, sqTol * (1 + 1e-12));

    // Most features (streets, buildings) lie within one buffered tile at a zoom:
    // simplify, project and round in one pass, with no clipping.
    const e = this.extent, b = this.buf, bb = this.bbox;
    const tx = Math.floor((bb[0] * scale - b) / e), ty = Math.floor((bb[1] * scale - b) / e);
    const n = 2 ** z;
    const oneTile = tx === Math.floor((bb[2] * scale + b) / e) && ty === Math.floor((bb[3] * scale + b) / e);
    if (oneTile && tx >= 0 && ty >= 0 && tx < n && ty < n) {
      const parts: Int32Array[] = [];
      const ringsPerPolygon: number[] = [];
      for (const s of this.sources) {
        let count = 0;
        for (let i = 0; i < s.rings.length; i++) {
          if (s.size[i] < minSize) {
            if (i === 0) break;
            continue;
          }
          const q = filterQuantize(s.rings[i], s.importance[i], sqTol, scale, tx * e, ty * e);
          if (this.kind === 'line') {
            if (q.length >= 4) parts.push(q);
          } else if (orientRing(q, i === 0)) {
            parts.push(q);
            count++;
          } else if (i === 0) break;
        }
        if (count > 0) ringsPerPolygon.push(count);
      }
      if (parts.length === 0) return;
      this.emit(z, tx, ty, this.kind === 'line' ? { type: 2, geometry: parts } : { type: 3, geometry: parts, ringsPerPolygon });
      return;
    }

    const pieces: Piece[] = [];
    for (const s of this.sources) {
      const rings: Float64Array[] = [];
      for (let i = 0; i < s.rings.length; i++) {
        if (s.size[i] < minSize) {
          if (i === 0) break;
          continue;
        }
        const r = filterByImportance(s.rings[i], s.importance[i], sqTol, scale);
        if (r.length < (this.kind === 'line' ? 4 : 8)) {
          if (i === 0) break;
          continue;
        }
        rings.push(r);
      }
      if (rings.length > 0) pieces.push(pieceOf(rings));
    }
    if (pieces.length === 0) return;
    this.split(pieces, 0, 0, n - 1, n - 1);
  }

  private tilePoints(): void {
    const c = this.points;
    if (c === null || c.length < 2) return;
    const n = 2 ** this.z;
    const scale = n * this.extent;
    const e = this.extent, b = this.buf;
    if (c.length === 2) {
      // One point (most POIs and labels): no grouping needed.
      const X = Math.round(c[0] * scale), Y = Math.round(c[1] * scale);
      const tx0 = Math.max(0, Math.floor((X - b) / e)), tx1 = Math.min(n - 1, Math.floor((X + b) / e));
      const ty0 = Math.max(0, Math.floor((Y - b) / e)), ty1 = Math.min(n - 1, Math.floor((Y + b) / e));
      for (let ty = ty0; ty <= ty1; ty++) {
        for (let tx = tx0; tx <= tx1; tx++) {
          const g = slabInt32(2);
          g[0] = X - tx * e;
          g[1] = Y - ty * e;
          this.emit(this.z, tx, ty, { type: 1, geometry: [g] });
        }
      }
      return;
    }
    const byTile = new Map<number, number[]>();
    for (let i = 0; i + 1 < c.length; i += 2) {
      const X = Math.round(c[i] * scale), Y = Math.round(c[i + 1] * scale);
      const tx0 = Math.max(0, Math.floor((X - b) / e)), tx1 = Math.min(n - 1, Math.floor((X + b) / e));
      const ty0 = Math.max(0, Math.floor((Y - b) / e)), ty1 = Math.min(n - 1, Math.floor((Y + b) / e));
      for (let ty = ty0; ty <= ty1; ty++) {
        for (let tx = tx0; tx <= tx1; tx++) {
          const key = ty * n + tx;
          let list = byTile.get(key);
          if (list === undefined) byTile.set(key, (list = []));
          list.push(X - tx * e, Y - ty * e);
        }
      }
    }
    for (const [key, list] of byTile) {
      const g = slabInt32(list.length);
      for (let i = 0; i < list.length; i++) g[i] = list[i];
      this.emit(this.z, key % n, Math.floor(key / n), { type: 1, geometry: [g] });
    }
  }

  /** Tile range [tx0..tx1]×[ty0..ty1] whose buffered tiles all lie inside the pieces' rectangle. */
  private split(pieces: Piece[], tx0: number, ty0: number, tx1: number, ty1: number): void {
    const e = this.extent, b = this.buf;
    // Tighten the range to the tiles the remaining pieces can touch.
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const p of pieces) {
      if (p.minX < minX) minX = p.minX;
      if (p.minY < minY) minY = p.minY;
      if (p.maxX > maxX) maxX = p.maxX;
      if (p.maxY > maxY) maxY = p.maxY;
    }
    tx0 = Math.max(tx0, Math.floor((minX - b) / e));
    ty0 = Math.max(ty0, Math.floor((minY - b) / e));
    tx1 = Math.min(tx1, Math.floor((maxX + b) / e));
    ty1 = Math.min(ty1, Math.floor((maxY + b) / e));
    if (tx0 > tx1 || ty0 > ty1) return;

    if (this.kind === 'polygon') {
      const rect: Rect = [tx0 * e - b, ty0 * e - b, (tx1 + 1) * e + b, (ty1 + 1) * e + b];
      // Deep inside a big hole (a clearing in a forest multipolygon) nothing is left to draw.
      let kept = 0;
      for (const p of pieces) if (!holeCoversRect(p, rect)) pieces[kept++] = p;
      if (kept === 0) return;
      if (kept < pieces.length) pieces = pieces.slice(0, kept);
      if (pieces.length === 1 && pieces[0].rings.length === 1 && ringCoversRect(pieces[0].rings[0], rect)) {
        this.fillSquares(tx0, ty0, tx1, ty1);
        return;
      }
    }
    if (tx0 === tx1 && ty0 === ty1) {
      this.emitTile(pieces, tx0, ty0);
      return;
    }
    const axis: Axis = tx1 - tx0 >= ty1 - ty0 ? 0 : 1;
    const lo = axis === 0 ? tx0 : ty0;
    const hi = axis === 0 ? tx1 : ty1;
    const mid = (lo + hi + 1) >> 1;
    const left = this.clipPieces(pieces, lo * e - b, mid * e + b, axis);
    if (left.length > 0) {
      if (axis === 0) this.split(left, tx0, ty0, mid - 1, ty1);
      else this.split(left, tx0, ty0, tx1, mid - 1);
    }
    const right = this.clipPieces(pieces, mid * e - b, (hi + 1) * e + b, axis);
    if (right.length > 0) {
      if (axis === 0) this.split(right, mid, ty0, tx1, ty1);
      else this.split(right, tx0, mid, tx1, ty1);
    }
  }

  private clipPieces(pieces: Piece[], k1: number, k2: number, axis: Axis): Piece[] {
    const out: Piece[] = [];
    for (const p of pieces) {
      const min = axis === 0 ? p.minX : p.minY;
      const max = axis === 0 ? p.maxX : p.maxY;
      if (max < k1 || min > k2) continue;
      if (min >= k1 && max <= k2) {
        out.push(p);
        continue;
      }
      if (this.kind === 'line') {
        for (const part of clipLineAxis(p.rings[0], k1, k2, axis)) out.push(pieceOf([part]));
        continue;
      }
      const outer = clipRingAxis(p.rings[0], k1, k2, axis);
      if (outer === null) continue;
      const rings = [outer];
      for (let i = 1; i < p.rings.length; i++) {
        const h = p.rings[i];
        const r = clipRingAxis(h, k1, k2, axis);
        if (r !== null) rings.push(r);
      }
      out.push(pieceOf(rings));
    }
    return out;
  }

  private fillSquares(tx0: number, ty0: number, tx1: number, ty1: number): void {
    const e = this.extent, b = this.buf;
    for (let ty = ty0; ty <= ty1; ty++) {
      for (let tx = tx0; tx <= tx1; tx++) {
        const sq = slabInt32(10);
        sq[0] = sq[1] = sq[3] = sq[6] = sq[8] = sq[9] = -b;
        sq[2] = sq[4] = sq[5] = sq[7] = e + b;
        this.emit(this.z, tx, ty, { type: 3, geometry: [sq], ringsPerPolygon: [1] });
      }
    }
  }

  private emitTile(pieces: Piece[], tx: number, ty: number): void {
    const ox = tx * this.extent, oy = ty * this.extent;
    const parts: Int32Array[] = [];
    if (this.kind === 'line') {
      for (const p of pieces) {
        const q = quantize(p.rings[0], ox, oy);
        if (q.length >= 4) parts.push(q);
      }
      if (parts.length > 0) this.emit(this.z, tx, ty, { type: 2, geometry: parts });
      return;
    }
    const ringsPerPolygon: number[] = [];
    for (const p of pieces) {
      let count = 0;
      for (let i = 0; i < p.rings.length; i++) {
        const q = quantize(p.rings[i], ox, oy);
        if (!orientRing(q, i === 0)) {
          if (i === 0) break;
          continue;
        }
        parts.push(q);
        count++;
      }
      if (count > 0) ringsPerPolygon.push(count);
    }
    if (parts.length > 0) this.emit(this.z, tx, ty, { type: 3, geometry: parts, ringsPerPolygon });
  }
}

/** Tiles a geometry over options.minzoom..options.maxzoom, calling `emit` per tile. */
export function tileGeometry(geom: Geometry, options: FeatureTilerOptions, emit: TileEmitter): void {
  new FeatureTiler(geom, options).tileAll(emit);
}
