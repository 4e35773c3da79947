/**
 * Sizes in world units (the unit square of Web Mercator) and the zooms at which
 * they reach a size in pixels: OpenMapTiles' "visible from zoom N if at least
 * M pixels" rules, computed the way planetiler does (in projected units).
 */
import type { Geometry } from '../core/geometry.js';
import { ringArea } from '../core/geometry.js';

export function worldArea(g: Geometry): number {
  if (g.type !== 'polygon') return 0;
  let a = 0;
  for (const poly of g.polygons) {
    a += Math.abs(ringArea(poly[0]));
    for (let i = 1; i < poly.length; i++) a -= Math.abs(ringArea(poly[i]));
  }
  return Math.max(0, a);
}

export function worldLength(g: Geometry): number {
  const parts = g.type === 'line' ? g.lines : g.type === 'polygon' ? g.polygons.map((p) => p[0]) : [];
  let len = 0;
  for (const l of parts) {
    for (let i = 2; i + 1 < l.length; i += 2) len += Math.hypot(l[i] - l[i - 2], l[i + 1] - l[i - 1]);
  }
  return len;
}

/** Lowest zoom at which a polygon of this world area covers `px` × `px` pixels (never below `floor`). */
export function minZoomForArea(area: number, px: number, floor: number): number {
  if (area <= 0) return 99;
  const z = Math.ceil(Math.log2(px / (Math.sqrt(area) * 256)) - 1e-9);
  return Math.max(floor, z);
}

/** Square metres on the ground to world area at latitude 0 (planetiler's convention for area thresholds). */
export function squareMetresToWorldArea(m2: number): number {
  const side = Math.sqrt(m2) / 40075016.68557849;
  return side * side;
}
