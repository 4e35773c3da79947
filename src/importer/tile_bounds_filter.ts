/**
 * Which tiles an import writes: those intersecting its bounds (a bbox, or a clip
 * outline read from GeoJSON). Planetiler's --bounds/--polygon work the same way,
 * at tile granularity.
 */
import fs from 'node:fs';
import { TuilerieError } from '../core/errors.js';
import type { Bounds } from '../core/tile_math.js';
import { latToY, lonToX } from '../core/tile_math.js';
import type { PolygonGeometry } from '../core/geometry.js';
import { geoJsonToGeometry } from './natural_earth_reader.js';
import type { TileFilter } from './output_features.js';

export function readClipOutline(file: string): { polygon: PolygonGeometry; bounds: Bounds } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TuilerieError('BAD_INPUT', `--clip ${file}: not a readable GeoJSON file (${(e as Error).message})`);
  }
  return parseClipOutline(text, file);
}

/** The outline in GeoJSON text (`file` names it in messages). */
export function parseClipOutline(text: string, file: string): { polygon: PolygonGeometry; bounds: Bounds } {
  let doc: { type?: string; features?: { geometry: { type: string; coordinates: unknown } }[]; geometry?: { type: string; coordinates: unknown }; coordinates?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TuilerieError('BAD_INPUT', `--clip ${file}: not a readable GeoJSON file (${(e as Error).message})`);
  }
  const geoms = doc.type === 'FeatureCollection' ? (doc.features ?? []).map((f) => f.geometry) : doc.type === 'Feature' ? [doc.geometry!] : [doc as { type: string; coordinates: unknown }];
  const polygons: Float64Array[][] = [];
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const g of geoms) {
    if (!g) continue;
    const geom = geoJsonToGeometry(g);
    if (geom?.type !== 'polygon') continue;
    polygons.push(...geom.polygons);
    const walk = (c: unknown): void => {
      if (Array.isArray(c) && typeof c[0] === 'number') {
        w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1]);
      } else if (Array.isArray(c)) c.forEach(walk);
    };
    walk(g.coordinates);
  }
  if (polygons.length === 0) throw new TuilerieError('BAD_INPUT', `--clip ${file}: no Polygon or MultiPolygon in it`);
  return { polygon: { type: 'polygon', polygons }, bounds: [w, s, e, n] };
}

function segmentsCross(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  const d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  const d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  return d1 * d2 <= 0 && d3 * d4 <= 0;
}

function pointInPolygons(x: number, y: number, polygons: Float64Array[][]): boolean {
  for (const poly of polygons) {
    let inside = false;
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
        const xi = ring[i], yi = ring[i + 1], xj = ring[j], yj = ring[j + 1];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}

/** True when the world rectangle intersects the polygons. */
export function rectIntersectsPolygons(x0: number, y0: number, x1: number, y1: number, polygons: Float64Array[][]): boolean {
  if (pointInPolygons((x0 + x1) / 2, (y0 + y1) / 2, polygons)) return true;
  for (const poly of polygons) {
    for (const ring of poly) {
      for (let i = 0; i + 3 < ring.length; i += 2) {
        const ax = ring[i], ay = ring[i + 1], bx = ring[i + 2], by = ring[i + 3];
        if (ax >= x0 && ax <= x1 && ay >= y0 && ay <= y1) return true;
        if (segmentsCross(ax, ay, bx, by, x0, y0, x1, y0) || segmentsCross(ax, ay, bx, by, x1, y0, x1, y1) ||
            segmentsCross(ax, ay, bx, by, x1, y1, x0, y1) || segmentsCross(ax, ay, bx, by, x0, y1, x0, y0)) return true;
      }
    }
  }
  return false;
}

export function makeTileFilter(bounds: Bounds, clip?: PolygonGeometry): TileFilter {
  const bx0 = lonToX(bounds[0]), bx1 = lonToX(bounds[2]);
  const by0 = latToY(bounds[3]), by1 = latToY(bounds[1]);
  const memo = new Map<string, boolean>();
  return (z, x, y) => {
    const n = 2 ** z;
    const x0 = x / n, x1 = (x + 1) / n, y0 = y / n, y1 = (y + 1) / n;
    if (x1 < bx0 || x0 > bx1 || y1 < by0 || y0 > by1) return false;
    if (!clip) return true;
    const k = `${z}/${x}/${y}`;
    let r = memo.get(k);
    if (r === undefined) {
      r = rectIntersectsPolygons(x0, y0, x1, y1, clip.polygons);
      memo.set(k, r);
    }
    return r;
  };
}
