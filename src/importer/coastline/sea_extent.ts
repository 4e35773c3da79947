/**
 * The outline the sea is built within, and closed along: a rectangle (--bbox, or
 * the nodes' extent) or a polygon ring (the outer ring of --clip, so coastline
 * that leaves a polygon-cut extract is closed along the cut). Positions along the
 * outline (`t`) run clockwise on the map (world coordinates, y south), the way
 * that keeps the inside on the right, as the sea is on the right of a coastline.
 */
import { clipLine, type Rect } from '../../tiling/clip.js';
import { pointInRing, signedArea } from './ring_tree.js';

export interface ExtentPiece {
  coords: Float64Array;
  /** Position along the outline where the piece enters (its first point) or leaves (its last point); undefined: an end inside. */
  startT?: number;
  endT?: number;
}

export interface SeaExtent {
  readonly bounds: Rect;
  readonly perimeter: number;
  /** Parts of a line inside the outline. */
  clip(line: Float64Array): ExtentPiece[];
  contains(x: number, y: number): boolean;
  /** Outline vertices met walking clockwise from t1 to t2 (t2 may be below t1: the walk wraps). */
  walk(t1: number, t2: number): number[];
  /** The outline as a closed ring, clockwise (positive area). */
  ring(): Float64Array;
  /** The outline's point nearest (x, y), its position and distance. */
  nearest(x: number, y: number): OutlinePoint;
}

export interface OutlinePoint { t: number; x: number; y: number; distance: number }

export class RectExtent implements SeaExtent {
  readonly perimeter: number;
  private readonly W: number;
  private readonly H: number;

  constructor(readonly bounds: Rect) {
    this.W = bounds[2] - bounds[0];
    this.H = bounds[3] - bounds[1];
    this.perimeter = 2 * (this.W + this.H);
  }

  contains(x: number, y: number): boolean {
    const [x0, y0, x1, y1] = this.bounds;
    return x >= x0 && x <= x1 && y >= y0 && y <= y1;
  }

  private onEdge(x: number, y: number): boolean {
    const [x0, y0, x1, y1] = this.bounds;
    return x <= x0 || x >= x1 || y <= y0 || y >= y1;
  }

  /** Position of a point of the boundary, from the north-west corner. */
  private position(x: number, y: number): number {
    const [x0, y0, x1, y1] = this.bounds;
    const W = this.W, H = this.H;
    const d = [Math.abs(y - y0), Math.abs(x - x1), Math.abs(y - y1), Math.abs(x - x0)];
    const side = d.indexOf(Math.min(...d));
    if (side === 0) return Math.min(W, Math.max(0, x - x0));
    if (side === 1) return W + Math.min(H, Math.max(0, y - y0));
    if (side === 2) return W + H + Math.min(W, Math.max(0, x1 - x));
    return 2 * W + H + Math.min(H, Math.max(0, y1 - y));
  }

  clip(line: Float64Array): ExtentPiece[] {
    return clipLine(line, this.bounds).map((c) => {
      const n = c.length;
      return {
        coords: c,
        startT: this.onEdge(c[0], c[1]) ? this.position(c[0], c[1]) : undefined,
        endT: this.onEdge(c[n - 2], c[n - 1]) ? this.position(c[n - 2], c[n - 1]) : undefined,
      };
    });
  }

  walk(t1: number, t2: number): number[] {
    const [x0, y0, x1, y1] = this.bounds;
    const corners = [[this.W, x1, y0], [this.W + this.H, x1, y1], [2 * this.W + this.H, x0, y1], [this.perimeter, x0, y0]];
    return walkVertices(corners, this.perimeter, t1, t2);
  }

  ring(): Float64Array {
    const [x0, y0, x1, y1] = this.bounds;
    return new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1, x0, y0]);
  }

  nearest(x: number, y: number): OutlinePoint {
    const r = this.ring();
    return nearestOnRing(r, (k, u) => this.position(r[2 * k] + u * (r[2 * k + 2] - r[2 * k]), r[2 * k + 1] + u * (r[2 * k + 3] - r[2 * k + 1])), x, y);
  }
}

/** The point of a closed ring nearest (x, y); `position(k, u)` gives the outline position of edge k at fraction u. */
function nearestOnRing(r: Float64Array, position: (k: number, u: number) => number, x: number, y: number): OutlinePoint {
  let best: OutlinePoint = { t: 0, x: r[0], y: r[1], distance: Infinity };
  for (let k = 0; 2 * k + 3 < r.length; k++) {
    const ax = r[2 * k], ay = r[2 * k + 1], dx = r[2 * k + 2] - ax, dy = r[2 * k + 3] - ay;
    const len2 = dx * dx + dy * dy;
    const u = len2 > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2)) : 0;
    const px = ax + u * dx, py = ay + u * dy;
    const d = Math.hypot(x - px, y - py);
    if (d < best.distance) best = { t: position(k, u), x: px, y: py, distance: d };
  }
  return best;
}

/** [t, x, y] vertices (t in (0, perimeter]) passed going from t1 to t2 clockwise. */
function walkVertices(vertices: number[][], perimeter: number, t1: number, t2: number): number[] {
  const end = t2 >= t1 ? t2 : t2 + perimeter;
  const out: number[] = [];
  for (let lap = 0; lap < 2; lap++) {
    for (const [t, x, y] of vertices) {
      const tt = t + lap * perimeter;
      if (tt > t1 && tt < end) out.push(x, y);
    }
  }
  return out;
}

export class PolygonExtent implements SeaExtent {
  readonly bounds: Rect;
  readonly perimeter: number;
  private readonly r: Float64Array;
  /** Position of vertex k (cumulative length). */
  private readonly cum: Float64Array;
  private readonly minY: number;
  private readonly bandHeight: number;
  /** Edge indexes per horizontal band. */
  private readonly bands: Int32Array[];

  constructor(outline: Float64Array) {
    let r = outline;
    if (signedArea(r) < 0) {
      const rev = new Float64Array(r.length);
      for (let i = 0; i < r.length; i += 2) { rev[r.length - 2 - i] = r[i]; rev[r.length - 1 - i] = r[i + 1]; }
      r = rev;
    }
    this.r = r;
    const n = r.length / 2 - 1;
    this.cum = new Float64Array(n + 1);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let k = 0; k < n; k++) {
      this.cum[k + 1] = this.cum[k] + Math.hypot(r[2 * k + 2] - r[2 * k], r[2 * k + 3] - r[2 * k + 1]);
      minX = Math.min(minX, r[2 * k]); maxX = Math.max(maxX, r[2 * k]); minY = Math.min(minY, r[2 * k + 1]); maxY = Math.max(maxY, r[2 * k + 1]);
    }
    this.perimeter = this.cum[n];
    this.bounds = [minX, minY, maxX, maxY];
    const count = Math.max(1, Math.min(4096, Math.ceil(n / 4)));
    this.minY = minY;
    this.bandHeight = (maxY - minY) / count || 1;
    const lists: number[][] = Array.from({ length: count }, () => []);
    const band = (y: number): number => Math.min(count - 1, Math.max(0, Math.floor((y - minY) / this.bandHeight)));
    for (let k = 0; k < n; k++) {
      for (let b = band(Math.min(r[2 * k + 1], r[2 * k + 3])); b <= band(Math.max(r[2 * k + 1], r[2 * k + 3])); b++) lists[b].push(k);
    }
    this.bands = lists.map((l) => Int32Array.from(l));
  }

  contains(x: number, y: number): boolean {
    const [x0, y0, x1, y1] = this.bounds;
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 && pointInRing(x, y, this.r);
  }

  /** Crossings of segment a→b with the outline: [s along the segment, t along the outline]. */
  private crossings(ax: number, ay: number, bx: number, by: number): [number, number][] {
    const out: [number, number][] = [];
    const r = this.r;
    const b0 = Math.max(0, Math.floor((Math.min(ay, by) - this.minY) / this.bandHeight));
    const b1 = Math.min(this.bands.length - 1, Math.floor((Math.max(ay, by) - this.minY) / this.bandHeight));
    const seen = new Set<number>();
    for (let b = b0; b <= b1; b++) {
      for (const k of this.bands[b]) {
        if (seen.has(k)) continue;
        seen.add(k);
        const cx = r[2 * k], cy = r[2 * k + 1], dx = r[2 * k + 2], dy = r[2 * k + 3];
        const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
        if (den === 0) continue;
        const s = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
        const u = ((cx - ax) * (by - ay) - (cy - ay) * (bx - ax)) / den;
        if (s < 0 || s > 1 || u < 0 || u >= 1) continue;
        out.push([s, this.cum[k] + u * (this.cum[k + 1] - this.cum[k])]);
      }
    }
    return out.sort((p, q) => p[0] - q[0]);
  }

  clip(line: Float64Array): ExtentPiece[] {
    // the line with its crossing points inserted, each point tagged with its outline position when on the outline
    const xs: number[] = [], ts: (number | undefined)[] = [];
    for (let i = 0; i + 3 < line.length; i += 2) {
      const ax = line[i], ay = line[i + 1], bx = line[i + 2], by = line[i + 3];
      if (i === 0) { xs.push(ax, ay); ts.push(undefined); }
      for (const [s, t] of this.crossings(ax, ay, bx, by)) {
        xs.push(ax + s * (bx - ax), ay + s * (by - ay));
        ts.push(t);
      }
      xs.push(bx, by);
      ts.push(undefined);
    }
    const pieces: ExtentPiece[] = [];
    let cur: number[] | null = null;
    let startT: number | undefined;
    const m = ts.length;
    for (let k = 0; k + 1 < m; k++) {
      const inside = this.contains((xs[2 * k] + xs[2 * k + 2]) / 2, (xs[2 * k + 1] + xs[2 * k + 3]) / 2);
      if (inside) {
        if (!cur) { cur = [xs[2 * k], xs[2 * k + 1]]; startT = ts[k]; }
        cur.push(xs[2 * k + 2], xs[2 * k + 3]);
      }
      if (cur && (!inside || k + 2 === m)) {
        const endT = inside ? ts[k + 1] : ts[k];
        pieces.push({ coords: Float64Array.from(cur), startT, endT });
        cur = null;
      }
    }
    return pieces;
  }

  walk(t1: number, t2: number): number[] {
    const n = this.cum.length - 1;
    const vertices: number[][] = [];
    for (let k = 1; k <= n; k++) vertices.push([this.cum[k], this.r[2 * k], this.r[2 * k + 1]]);
    return walkVertices(vertices, this.perimeter, t1, t2);
  }

  ring(): Float64Array {
    return this.r;
  }

  nearest(x: number, y: number): OutlinePoint {
    return nearestOnRing(this.r, (k, u) => (this.cum[k] + u * (this.cum[k + 1] - this.cum[k])) % this.perimeter, x, y);
  }
}
