/** Convex hull of a point set in world coordinates (the data's outline, the patch over a broken islet). */
import { signedArea } from './ring_tree.js';

/** Andrew's monotone chain over flat [x, y, …]: closed ring, positive shoelace area (clockwise on the map). */
export function convexHull(xy: Float64Array): Float64Array {
  const m = xy.length / 2;
  const idx = Int32Array.from({ length: m }, (_, i) => i).sort((a, b) => xy[2 * a] - xy[2 * b] || xy[2 * a + 1] - xy[2 * b + 1]);
  const cross = (o: number, a: number, b: number): number =>
    (xy[2 * a] - xy[2 * o]) * (xy[2 * b + 1] - xy[2 * o + 1]) - (xy[2 * a + 1] - xy[2 * o + 1]) * (xy[2 * b] - xy[2 * o]);
  const lower: number[] = [], upper: number[] = [];
  for (const i of idx) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], i) <= 0) lower.pop();
    lower.push(i);
  }
  for (let k = idx.length - 1; k >= 0; k--) {
    const i = idx[k];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], i) <= 0) upper.pop();
    upper.push(i);
  }
  const chain = [...lower.slice(0, -1), ...upper.slice(0, -1)];
  if (chain.length < 3) return new Float64Array(0);
  const out = new Float64Array(2 * chain.length + 2);
  chain.forEach((i, k) => { out[2 * k] = xy[2 * i]; out[2 * k + 1] = xy[2 * i + 1]; });
  out[2 * chain.length] = out[0];
  out[2 * chain.length + 1] = out[1];
  if (signedArea(out) < 0) {
    // reverse in place, keeping the closing point
    for (let a = 0, b = chain.length - 1; a < b; a++, b--) {
      for (const d of [0, 1]) { const t = out[2 * a + d]; out[2 * a + d] = out[2 * b + d]; out[2 * b + d] = t; }
    }
    out[2 * chain.length] = out[0];
    out[2 * chain.length + 1] = out[1];
  }
  return out;
}
