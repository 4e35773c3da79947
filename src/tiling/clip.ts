/**
 * Clipping of flat [x0, y0, x1, y1, …] lines and rings to axis-aligned stripes and
 * rectangles, after geojson-vt: one axis at a time, both bounds of the stripe in
 * one pass. Lines split into several parts where they leave the stripe; rings are
 * clipped Sutherland–Hodgman style (stripe = two half-planes), which keeps one
 * output ring per input ring — so [outer, holes…] order survives — at the cost of
 * zero-width bridges along the stripe edge where a concave ring leaves and comes
 * back, which renders identically. Bounds are inclusive.
 * Output goes through one growing scratch buffer and is sliced once per part, so
 * no per-vertex allocation happens.
 */
import { copyFloat64 } from './slab_alloc.js';

export type Axis = 0 | 1;

/** [minX, minY, maxX, maxY] in the units of the coordinates. */
export type Rect = readonly [number, number, number, number];

let buf = new Float64Array(4096);
let len = 0;

function push(x: number, y: number): void {
  if (len + 2 > buf.length) {
    const grown = new Float64Array(buf.length * 2);
    grown.set(buf);
    buf = grown;
  }
  buf[len++] = x;
  buf[len++] = y;
}

/** Pushes the intersection of segment a→b with the line {axis = k}. */
function pushIntersection(ax: number, ay: number, bx: number, by: number, k: number, axis: Axis): void {
  if (axis === 0) {
    const t = (k - ax) / (bx - ax);
    push(k, ay + (by - ay) * t);
  } else {
    const t = (k - ay) / (by - ay);
    push(ax + (bx - ax) * t, k);
  }
}

/** Core of both clips: walks segments, pushing kept points; lines flush a part on exit. */
function clipAxis(src: ArrayLike<number>, k1: number, k2: number, axis: Axis, parts: Float64Array[] | null): void {
  len = 0;
  const n = src.length;
  for (let i = 0; i + 3 < n; i += 2) {
    const ax = src[i], ay = src[i + 1], bx = src[i + 2], by = src[i + 3];
    const a = axis === 0 ? ax : ay;
    const b = axis === 0 ? bx : by;
    let exited = false;
    if (a < k1) {
      if (b > k1) pushIntersection(ax, ay, bx, by, k1, axis);
    } else if (a > k2) {
      if (b < k2) pushIntersection(ax, ay, bx, by, k2, axis);
    } else {
      push(ax, ay);
    }
    if (b < k1 && a >= k1) {
      pushIntersection(ax, ay, bx, by, k1, axis);
      exited = true;
    }
    if (b > k2 && a <= k2) {
      pushIntersection(ax, ay, bx, by, k2, axis);
      exited = true;
    }
    if (parts !== null && exited) {
      if (len >= 4) parts.push(copyFloat64(buf, len));
      len = 0;
    }
  }
  if (n >= 2) {
    const lx = src[n - 2], ly = src[n - 1];
    const l = axis === 0 ? lx : ly;
    if (l >= k1 && l <= k2) push(lx, ly);
  }
  if (parts !== null && len >= 4) parts.push(copyFloat64(buf, len));
}

/** Clips a line to k1 ≤ coord[axis] ≤ k2, appending the pieces (≥ 2 points each) to `out`. */
export function clipLineAxis(line: ArrayLike<number>, k1: number, k2: number, axis: Axis, out: Float64Array[] = []): Float64Array[] {
  clipAxis(line, k1, k2, axis, out);
  return out;
}

/** Clips a closed ring to k1 ≤ coord[axis] ≤ k2; null when fewer than 4 points (3 distinct + closure) remain. */
export function clipRingAxis(ring: ArrayLike<number>, k1: number, k2: number, axis: Axis): Float64Array | null {
  clipAxis(ring, k1, k2, axis, null);
  if (len >= 2 && (buf[0] !== buf[len - 2] || buf[1] !== buf[len - 1])) push(buf[0], buf[1]);
  if (len < 8) return null;
  return copyFloat64(buf, len);
}

/** Clips a line to a rectangle: zero or more parts. */
export function clipLine(line: ArrayLike<number>, rect: Rect): Float64Array[] {
  const xs = clipLineAxis(line, rect[0], rect[2], 0);
  const out: Float64Array[] = [];
  for (const part of xs) clipLineAxis(part, rect[1], rect[3], 1, out);
  return out;
}

/** Clips a ring to a rectangle, or null if nothing with an area can remain. */
export function clipRing(ring: ArrayLike<number>, rect: Rect): Float64Array | null {
  const x = clipRingAxis(ring, rect[0], rect[2], 0);
  return x === null ? null : clipRingAxis(x, rect[1], rect[3], 1);
}

/**
 * Clips one polygon [outer, holes…] to a rectangle: null when the outer ring
 * vanishes; holes that vanish are dropped, the others keep their order.
 */
export function clipPolygon(rings: readonly ArrayLike<number>[], rect: Rect): Float64Array[] | null {
  if (rings.length === 0) return null;
  const outer = clipRing(rings[0], rect);
  if (outer === null) return null;
  const out = [outer];
  for (let i = 1; i < rings.length; i++) {
    const h = clipRing(rings[i], rect);
    if (h !== null) out.push(h);
  }
  return out;
}

/**
 * True when a ring lying inside `rect` covers it entirely: every vertex on the
 * rectangle's boundary and the enclosed area equal to the rectangle's. This is how
 * the tiler recognises a tile deep inside a big polygon without clipping further.
 */
export function ringCoversRect(ring: ArrayLike<number>, rect: Rect): boolean {
  const [x0, y0, x1, y1] = rect;
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i += 2) {
    const x = ring[i], y = ring[i + 1];
    if (x !== x0 && x !== x1 && y !== y0 && y !== y1) return false;
    if (i + 3 < ring.length) s += x * ring[i + 3] - ring[i + 2] * y;
  }
  const area = Math.abs(s / 2);
  const full = (x1 - x0) * (y1 - y0);
  return Math.abs(area - full) <= full * 1e-9;
}
