/**
 * Measures and derived points of world-coordinate geometries (see core/geometry.ts):
 * true lengths and areas on the ground (Web Mercator scale corrected at the
 * feature's latitude) and centroids.
 */
import type { Geometry } from '../core/geometry.js';
import { ringArea } from '../core/geometry.js';
import { EARTH_CIRCUMFERENCE, yToLat } from '../core/tile_math.js';

function scaleAt(y: number): number {
  return EARTH_CIRCUMFERENCE * Math.cos((yToLat(y) * Math.PI) / 180);
}

export function lengthMetres(g: Geometry): number {
  let sum = 0;
  const parts = g.type === 'line' ? g.lines : g.type === 'polygon' ? g.polygons.flat() : [];
  for (const c of parts) {
    let len = 0, ySum = 0;
    for (let i = 2; i < c.length; i += 2) {
      const dx = c[i] - c[i - 2], dy = c[i + 1] - c[i - 1];
      len += Math.sqrt(dx * dx + dy * dy);
      ySum += c[i + 1];
    }
    if (c.length > 2) sum += len * scaleAt(ySum / (c.length / 2 - 1));
  }
  return sum;
}

export function areaSquareMetres(g: Geometry): number {
  if (g.type !== 'polygon') return 0;
  let sum = 0;
  for (const poly of g.polygons) {
    let a = Math.abs(ringArea(poly[0]));
    for (let h = 1; h < poly.length; h++) a -= Math.abs(ringArea(poly[h]));
    const s = scaleAt(centroidY(poly[0]));
    sum += Math.max(0, a) * s * s;
  }
  return sum;
}

function centroidY(ring: Float64Array): number {
  let y = 0;
  const n = ring.length / 2;
  for (let i = 1; i < ring.length; i += 2) y += ring[i];
  return y / n;
}

/**
 * Area-weighted centroid (polygons), length-weighted (lines), mean (points). Sums are taken relative to the
 * first coordinate: on absolute world coordinates the shoelace terms of a small building cancel catastrophically.
 * Not necessarily inside a polygon: see area_points.ts for points on areas.
 */
export function centroid(g: Geometry): [number, number] {
  if (g.type === 'point') {
    const c = g.coords, x0 = c[0], y0 = c[1];
    let x = 0, y = 0;
    const n = c.length / 2;
    for (let i = 0; i < c.length; i += 2) { x += c[i] - x0; y += c[i + 1] - y0; }
    return [x0 + x / n, y0 + y / n];
  }
  if (g.type === 'line') {
    const x0 = g.lines[0][0], y0 = g.lines[0][1];
    let x = 0, y = 0, w = 0;
    for (const c of g.lines) {
      for (let i = 2; i < c.length; i += 2) {
        const dx = c[i] - c[i - 2], dy = c[i + 1] - c[i - 1];
        const l = Math.sqrt(dx * dx + dy * dy);
        x += l * ((c[i] + c[i - 2]) / 2 - x0); y += l * ((c[i + 1] + c[i - 1]) / 2 - y0); w += l;
      }
    }
    if (w === 0) return [x0, y0];
    return [x0 + x / w, y0 + y / w];
  }
  const x0 = g.polygons[0][0][0], y0 = g.polygons[0][0][1];
  let cx = 0, cy = 0, aSum = 0;
  for (const poly of g.polygons) {
    for (let r = 0; r < poly.length; r++) {
      const ring = poly[r];
      // signed so that holes subtract regardless of their stored winding
      const sign = (r === 0 ? 1 : -1) * Math.sign(ringArea(ring) || 1);
      for (let i = 0; i + 3 < ring.length; i += 2) {
        const ax = ring[i] - x0, ay = ring[i + 1] - y0, bx = ring[i + 2] - x0, by = ring[i + 3] - y0;
        const f = ax * by - bx * ay;
        cx += sign * (ax + bx) * f;
        cy += sign * (ay + by) * f;
        aSum += sign * f;
      }
    }
  }
  if (aSum === 0) return [x0, y0];
  return [x0 + cx / (3 * aSum), y0 + cy / (3 * aSum)];
}
