/**
 * What the profile remembers from Natural Earth to rank OSM features, as
 * planetiler-openmaptiles joins OSM cities to Natural Earth populated places
 * (a close match with the same name gets a low-zoom rank) and tells countries
 * apart by their outlines (road networks by country). It only helps when the
 * importer feeds Natural Earth before OSM; without it, OSM-only rules apply.
 */
import type { PolygonGeometry } from '../core/geometry.js';
import { bboxOfCoords, type WorldBBox } from '../core/geometry.js';

interface NeCity { x: number; y: number; scalerank: number }
interface NeCountry { iso: string; bbox: WorldBBox; geometry: PolygonGeometry }

/** Planetiler's join distance: 50 km at the equator, in world units. */
const CITY_JOIN_DISTANCE = 50_000 / 40075016.68557849;

export function normalizePlaceName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

export class NaturalEarthIndex {
  private readonly cities = new Map<string, NeCity[]>();
  private readonly countries: NeCountry[] = [];

  addCity(names: readonly string[], x: number, y: number, scalerank: number): void {
    const seen = new Set<string>();
    for (const n of names) {
      const key = normalizePlaceName(n);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      const list = this.cities.get(key) ?? [];
      list.push({ x, y, scalerank });
      this.cities.set(key, list);
    }
  }

  /** Scalerank of the nearest Natural Earth place within 50 km that has one of these names. */
  cityScalerank(names: readonly string[], x: number, y: number): number | undefined {
    let best: NeCity | undefined;
    let bestD = CITY_JOIN_DISTANCE;
    for (const n of names) {
      for (const c of this.cities.get(normalizePlaceName(n)) ?? []) {
        const d = Math.hypot(c.x - x, c.y - y);
        if (d <= bestD) {
          bestD = d;
          best = c;
        }
      }
    }
    return best?.scalerank;
  }

  addCountry(iso: string, geometry: PolygonGeometry): void {
    const bbox: WorldBBox = [Infinity, Infinity, -Infinity, -Infinity];
    for (const p of geometry.polygons) bboxOfCoords(p[0], bbox);
    this.countries.push({ iso, bbox, geometry });
  }

  get hasCountries(): boolean {
    return this.countries.length > 0;
  }

  /** ISO 3166-1 alpha-2 code of the country containing the point, if known. */
  countryAt(x: number, y: number): string | undefined {
    for (const c of this.countries) {
      if (x < c.bbox[0] || x > c.bbox[2] || y < c.bbox[1] || y > c.bbox[3]) continue;
      for (const poly of c.geometry.polygons) {
        if (!inRing(poly[0], x, y)) continue;
        let inHole = false;
        for (let i = 1; i < poly.length && !inHole; i++) inHole = inRing(poly[i], x, y);
        if (!inHole) return c.iso;
      }
    }
    return undefined;
  }
}

function inRing(ring: Float64Array, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
    const xi = ring[i], yi = ring[i + 1], xj = ring[j], yj = ring[j + 1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
