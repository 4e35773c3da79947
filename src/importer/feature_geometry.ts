/**
 * Measures and derived points of world-coordinate geometries (see core/geometry.ts):
 * true lengths and areas on the ground (Web Mercator scale corrected at the
 * feature's latitude), centroids and points guaranteed inside polygons for labels.
 */
import type { Geometry, PolygonGeometry } from '../core/geometry.js';
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

/** Area-weighted centroid (polygons), length-weighted (lines), mean (points). */
export function centroid(g: Geometry): [number, number] {
  if (g.type === 'point') {
    let x = 0, y = 0;
    const n = g.coords.length / 2;
    for (let i = 0; i < g.coords.length; i += 2) { x += g.coords[i]; y += g.coords[i + 1]; }
    return [x / n, y / n];
  }
  if (g.type === 'line') {
    let x = 0, y = 0, w = 0;
    for (const c of g.lines) {
      for (let i = 2; i < c.length; i += 2) {
        const dx = c[i] - c[i - 2], dy = c[i + 1] - c[i - 1];
        const l = Math.sqrt(dx * dx + dy * dy);
        x += l * (c[i] + c[i - 2]) / 2; y += l * (c[i + 1] + c[i - 1]) / 2; w += l;
      }
    }
    if (w === 0) return [g.lines[0][0], g.lines[0][1]];
    return [x / w, y / w];
  }
  let cx = 0, cy = 0, aSum = 0;
  for (const poly of g.polygons) {
    for (let r = 0; r < poly.length; r++) {
      const ring = poly[r];
      // signed so that holes subtract regardless of their stored winding
      const sign = (r === 0 ? 1 : -1) * Math.sign(ringArea(ring) || 1);
      for (let i = 0; i + 3 < ring.length; i += 2) {
        const f = ring[i] * ring[i + 3] - ring[i + 2] * ring[i + 1];
        cx += sign * (ring[i] + ring[i + 2]) * f;
        cy += sign * (ring[i + 1] + ring[i + 3]) * f;
        aSum += sign * f;
      }
    }
  }
  if (aSum === 0) {
    const r = g.polygons[0][0];
    return [r[0], r[1]];
  }
  return [cx / (3 * aSum), cy / (3 * aSum)];
}

function pointInPolygon(x: number, y: number, poly: Float64Array[]): boolean {
  let inside = false;
  for (const ring of poly) {
    for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      const xi = ring[i], yi = ring[i + 1], xj = ring[j], yj = ring[j + 1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * A point inside the largest polygon: its centroid when inside, otherwise the middle
 * of the widest interior span on the horizontal line through the centroid.
 */
export function pointOnSurface(g: PolygonGeometry): [number, number] {
  let best = g.polygons[0], bestArea = -1;
  for (const p of g.polygons) {
    const a = Math.abs(ringArea(p[0]));
    if (a > bestArea) { bestArea = a; best = p; }
  }
  const [cx, cy] = centroid({ type: 'polygon', polygons: [best] });
  if (pointInPolygon(cx, cy, best)) return [cx, cy];
  const xs: number[] = [];
  for (const ring of best) {
    for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
      const yi = ring[i + 1], yj = ring[j + 1];
      if ((yi > cy) !== (yj > cy)) xs.push(ring[i] + ((ring[j] - ring[i]) * (cy - yi)) / (yj - yi));
    }
  }
  xs.sort((a, b) => a - b);
  let bx = cx, width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > width) { width = xs[i + 1] - xs[i]; bx = (xs[i] + xs[i + 1]) / 2; }
  }
  return [bx, cy];
}
