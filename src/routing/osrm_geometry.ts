/**
 * Geometry as OSRM clients ask for it: encoded polyline (precision 5 or 6) or
 * GeoJSON, full or simplified (Douglas–Peucker, ~5 m tolerance).
 */
import { polyline } from './polyline.js';
import { metresPerDegree } from './geo_math.js';

export type GeometryFormat = 'polyline' | 'polyline6' | 'geojson';

export function encodeGeometry(coords: Array<[number, number]>, format: GeometryFormat): string | { type: 'LineString'; coordinates: Array<[number, number]> } {
  if (format === 'geojson') return { type: 'LineString', coordinates: coords.map(([x, y]) => [round6(x), round6(y)]) };
  return polyline.encode(coords, format === 'polyline6' ? 6 : 5);
}

export function simplify(coords: Array<[number, number]>, toleranceMetres = 5): Array<[number, number]> {
  if (coords.length <= 2) return coords;
  const { x: mx, y: my } = metresPerDegree(coords[0][1]);
  const keep = new Uint8Array(coords.length);
  keep[0] = keep[coords.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, coords.length - 1]];
  const tol2 = toleranceMetres * toleranceMetres;
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const ax = coords[a][0] * mx, ay = coords[a][1] * my;
    const dx = coords[b][0] * mx - ax, dy = coords[b][1] * my - ay;
    const l2 = dx * dx + dy * dy;
    let worst = -1;
    let worstD = tol2;
    for (let i = a + 1; i < b; i++) {
      const px = coords[i][0] * mx - ax, py = coords[i][1] * my - ay;
      let t = l2 > 0 ? (px * dx + py * dy) / l2 : 0;
      t = Math.max(0, Math.min(1, t));
      const ex = px - t * dx, ey = py - t * dy;
      const d = ex * ex + ey * ey;
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return coords.filter((_, i) => keep[i]);
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
