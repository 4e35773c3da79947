/**
 * On which side of each member way the area of a relation lies, for the relations
 * the profile asks about (OpenMapTiles' adm0_l/adm0_r: the countries left and right
 * of a border). The relation is assembled as an area; points just left and right
 * of a few segments of each member way are tested against it, and the majority
 * decides. Relations cut by the extract (unclosed rings) give no side; their
 * errors are not counted here (the relation's own feature counts them).
 */
import { DataErrors } from '../core/data_errors.js';
import type { PolygonGeometry } from '../core/geometry.js';
import type { OsmRelation } from '../osm/types.js';
import type { WayMemberships } from './way_memberships.js';
import type { OsmCollection } from './osm_collector.js';
import { EmptyGeometry, relationFeature, WayGeometryBuilder } from './source_features.js';

/** Points tested per way (as planetiler-openmaptiles). */
const SAMPLES = 10;

/**
 * Even-odd point-in-polygon over all rings, with the edges bucketed in horizontal bands so a test reads only the
 * edges of its band (a country outline has 10^5 vertices and each border way asks 2 × SAMPLES times).
 */
export class BandedArea {
  private readonly minY: number;
  private readonly bandHeight: number;
  private readonly bands: Float64Array[];
  private readonly count: number;

  constructor(g: PolygonGeometry) {
    let minY = Infinity, maxY = -Infinity, edges = 0;
    for (const poly of g.polygons) {
      for (const r of poly) {
        edges += r.length / 2 - 1;
        for (let i = 1; i < r.length; i += 2) { minY = Math.min(minY, r[i]); maxY = Math.max(maxY, r[i]); }
      }
    }
    const count = Math.max(1, Math.min(4096, Math.ceil(edges / 8)));
    this.count = count;
    this.minY = minY;
    this.bandHeight = (maxY - minY) / count || 1;
    const lists: number[][] = Array.from({ length: count }, () => []);
    for (const poly of g.polygons) {
      for (const r of poly) {
        for (let i = 0; i + 3 < r.length; i += 2) {
          const a = this.band(Math.min(r[i + 1], r[i + 3])), b = this.band(Math.max(r[i + 1], r[i + 3]));
          for (let k = a; k <= b; k++) lists[k].push(r[i], r[i + 1], r[i + 2], r[i + 3]);
        }
      }
    }
    this.bands = lists.map((l) => Float64Array.from(l));
  }

  private band(y: number): number {
    return Math.min(this.count - 1, Math.max(0, Math.floor((y - this.minY) / this.bandHeight)));
  }

  contains(x: number, y: number): boolean {
    const k = Math.floor((y - this.minY) / this.bandHeight);
    if (k < 0 || k >= this.bands.length) return false;
    const e = this.bands[k];
    let inside = false;
    for (let i = 0; i < e.length; i += 4) {
      const x1 = e[i], y1 = e[i + 1], x2 = e[i + 2], y2 = e[i + 3];
      if ((y1 > y) !== (y2 > y) && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) inside = !inside;
    }
    return inside;
  }
}

/** 'left' or 'right': where the area lies seen along the way (world coordinates, y south), or undefined. */
export function sideOfArea(area: BandedArea, way: Float64Array): 'left' | 'right' | undefined {
  const segments = way.length / 2 - 1;
  if (segments < 1) return undefined;
  let left = 0, right = 0;
  const n = Math.min(SAMPLES, segments);
  for (let k = 0; k < n; k++) {
    const s = Math.floor(((k + 0.5) * segments) / n);
    const ax = way[2 * s], ay = way[2 * s + 1], bx = way[2 * s + 2], by = way[2 * s + 3];
    const len = Math.hypot(bx - ax, by - ay);
    if (len === 0) continue;
    // about 0.4 m, never more than a quarter of the segment
    const eps = Math.min(1e-8, len / 4);
    const mx = (ax + bx) / 2, my = (ay + by) / 2;
    // left of the direction of travel on the map (y grows southwards)
    const nx = ((by - ay) / len) * eps, ny = (-(bx - ax) / len) * eps;
    const l = area.contains(mx + nx, my + ny), r = area.contains(mx - nx, my - ny);
    if (l && !r) left++;
    else if (r && !l) right++;
  }
  if (left === right) return undefined;
  return left > right ? 'left' : 'right';
}

/** Sets `side` on the memberships (by way id) of the relations `wanted` picks. */
export function addRelationSides(
  memberships: WayMemberships,
  osm: OsmCollection,
  wanted: (rel: OsmRelation) => boolean,
): void {
  const scratch = new DataErrors();
  const builder = new WayGeometryBuilder(osm, scratch);
  for (let i = 0; i < osm.relations.length; i++) {
    const rel = osm.relations.at(i);
    if (!wanted(rel)) continue;
    const f = relationFeature(rel, osm, builder, scratch);
    let area: BandedArea;
    try {
      const g = f?.geometry();
      if (!g || g.type !== 'polygon') continue;
      area = new BandedArea(g);
    } catch (e) {
      if (e instanceof EmptyGeometry) continue;
      throw e;
    }
    for (const m of rel.members) {
      if (m.type !== 'way') continue;
      const wi = osm.ways.indexOf(m.ref);
      if (wi < 0 || !memberships.has(m.ref, i)) continue;
      const side = sideOfArea(area, builder.coords(wi));
      if (side) memberships.setSide(m.ref, i, side);
    }
  }
}
