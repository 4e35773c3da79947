/**
 * Douglas–Peucker simplification on flat [x0, y0, x1, y1, …] arrays.
 *
 * The work is split in two so a feature tiled over many zooms pays for the
 * recursion once: `computeImportance` runs DP down to the smallest tolerance that
 * will ever be asked for and records, per vertex, the squared distance at which it
 * was selected (clamped by its parent's, so the values are monotone along the
 * recursion tree); `filterByImportance` then yields, for any larger tolerance,
 * exactly the vertex set plain DP would keep at that tolerance, in one linear pass.
 * Like geojson-vt, the distance is to the segment (not the infinite line), and a
 * ring is simplified with its first (= last) vertex fixed, so closure is kept.
 */
import { copyFloat64, slabFloat64 } from './slab_alloc.js';

let stack = new Int32Array(256);
let scratch = new Float64Array(1024);

function ensureScratch(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
export function sqSegDist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  let x = ax, y = ay;
  let dx = bx - ax, dy = by - ay;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = bx;
      y = by;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}

/**
 * Per-vertex DP importance (squared distance, in the units of `coords`). End points
 * get Infinity; vertices that would only matter below `minSqTolerance` get 0.
 * Iterative (explicit stack), so a 1M-vertex line cannot overflow the call stack.
 */
export function computeImportance(coords: ArrayLike<number>, minSqTolerance: number, out?: Float64Array): Float64Array {
  const n = coords.length >> 1;
  const imp = out !== undefined && out.length >= n ? out : slabFloat64(n);
  imp.fill(0, 0, n);
  if (n === 0) return imp;
  imp[0] = Infinity;
  imp[n - 1] = Infinity;
  if (n < 3) return imp;
  let sp = 0;
  stack[sp++] = 0;
  stack[sp++] = n - 1;
  while (sp > 0) {
    const last = stack[--sp];
    const first = stack[--sp];
    const ax = coords[2 * first], ay = coords[2 * first + 1];
    const bx = coords[2 * last], by = coords[2 * last + 1];
    let maxD = minSqTolerance;
    let idx = -1;
    for (let i = first + 1; i < last; i++) {
      const d = sqSegDist(coords[2 * i], coords[2 * i + 1], ax, ay, bx, by);
      if (d > maxD) {
        maxD = d;
        idx = i;
      }
    }
    if (idx < 0) continue;
    // Both ends are ancestors in the recursion; the more recent one has the smaller value.
    const cap = imp[first] < imp[last] ? imp[first] : imp[last];
    imp[idx] = maxD < cap ? maxD : cap;
    if (sp + 4 > stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    if (idx - first > 1) {
      stack[sp++] = first;
      stack[sp++] = idx;
    }
    if (last - idx > 1) {
      stack[sp++] = idx;
      stack[sp++] = last;
    }
  }
  return imp;
}

/**
 * The vertices whose importance exceeds `sqTolerance`, each coordinate multiplied
 * by `scale` (so one pass both simplifies and projects to a zoom's grid).
 */
export function filterByImportance(
  coords: ArrayLike<number>,
  importance: Float64Array,
  sqTolerance: number,
  scale = 1,
): Float64Array {
  const n = coords.length >> 1;
  const buf = ensureScratch(coords.length);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (importance[i] > sqTolerance) {
      buf[k++] = coords[2 * i] * scale;
      buf[k++] = coords[2 * i + 1] * scale;
    }
  }
  return copyFloat64(buf, k);
}

/** Shoelace area of a flat closed ring (signed, positive = clockwise on screen with y down). */
export function flatRingArea(ring: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i + 3 < ring.length; i += 2) s += ring[i] * ring[i + 3] - ring[i + 2] * ring[i + 1];
  return s / 2;
}

export interface SimplifyOptions {
  /** The input is a closed ring: keep it closed; return null if it collapses. */
  ring?: boolean;
}

/**
 * Douglas–Peucker with a squared tolerance (same units as `coords`, squared).
 * A ring that collapses (fewer than 4 vertices, or area not above the squared
 * tolerance) yields null; a line always keeps its two end points.
 */
export function simplify(coords: ArrayLike<number>, sqTolerance: number, options: SimplifyOptions = {}): Float64Array | null {
  const imp = computeImportance(coords, sqTolerance);
  const out = filterByImportance(coords, imp, sqTolerance);
  if (options.ring === true && (out.length < 8 || Math.abs(flatRingArea(out)) <= sqTolerance)) return null;
  return out;
}
