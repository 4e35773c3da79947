/**
 * A coast drawn the wrong way round (water on the left) turns land into sea, and its
 * rings and pieces are as valid as right ones: no join, crossing or order check sees
 * it. What does see it is the rest of the data: OSM maps land far more densely than
 * sea (roads, buildings, places against buoys and the odd platform). A sea polygon
 * that holds more nodes per area than the land around it is land drawn as sea: it
 * is left out and reported. Coastline nodes, on the line between both, are not
 * counted. Nodes are sampled with a fixed stride (at most SAMPLE of them), which
 * keeps the check to a fraction of a second on a country.
 *
 * It decides only where there is data to decide with: a polygon holding fewer than
 * MIN_NODES sampled nodes is kept as built (a file of coastline alone is never judged).
 */
import { latToY, lonToX } from '../../core/tile_math.js';
import type { LonLatPoints } from './data_outline.js';
import { boxHas, ringBox, signedArea, type RingBox } from './ring_tree.js';
import type { SeaExtent } from './sea_extent.js';

const SAMPLE = 200_000;
const MIN_NODES = 30;

export interface NodeSample extends LonLatPoints {
  idAt(i: number): number;
}

export interface OrientationInput {
  /** Sea polygons, outer ring then holes. */
  polygons: readonly Float64Array[][];
  extent: SeaExtent;
  nodes: NodeSample;
  /** Node ids of the coastline, sorted. */
  coastNodeIds: Float64Array;
}

/** For each polygon, whether it holds land's density of data (so is land drawn as sea). */
export function landDrawnAsSea(o: OrientationInput): boolean[] {
  const { polygons, extent, nodes } = o;
  const flags = polygons.map(() => false);
  if (polygons.length === 0) return flags;
  const index = polygons.map((p) => new PolygonIndex(p));
  const within = new PolygonIndex([extent.ring()]);
  const counts = new Float64Array(polygons.length);
  let land = 0;
  const stride = Math.max(1, Math.floor(nodes.size / SAMPLE));
  for (let i = 0; i < nodes.size; i += stride) {
    if (has(o.coastNodeIds, nodes.idAt(i))) continue;
    const x = lonToX(nodes.lon(i)), y = latToY(nodes.lat(i));
    if (!within.contains(x, y)) continue;
    const k = index.findIndex((p) => p.contains(x, y));
    if (k >= 0) counts[k]++;
    else land++;
  }
  const areas = index.map((p) => p.area);
  const landArea = signedArea(extent.ring()) - areas.reduce((a, b) => a + b, 0);
  if (!(landArea > 0)) return flags;
  const landDensity = land / landArea;
  polygons.forEach((_, k) => { flags[k] = counts[k] >= MIN_NODES && counts[k] / areas[k] > landDensity; });
  return flags;
}

function has(sorted: Float64Array, v: number): boolean {
  let lo = 0, hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === v) return true;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Even-odd point-in-polygon over every ring of a polygon, with the edges bucketed in horizontal bands. */
class PolygonIndex {
  readonly area: number;
  private readonly box: RingBox;
  private readonly rings: readonly Float64Array[];
  /** Per band, pairs (ring, offset of the edge's first point). */
  private readonly bands: Int32Array[];
  private readonly bandHeight: number;

  constructor(rings: readonly Float64Array[]) {
    this.rings = rings;
    this.box = ringBox(rings[0]);
    this.area = Math.abs(signedArea(rings[0])) - rings.slice(1).reduce((s, h) => s + Math.abs(signedArea(h)), 0);
    let edges = 0;
    for (const r of rings) edges += r.length / 2 - 1;
    const count = Math.max(1, Math.min(4096, Math.ceil(edges / 8)));
    this.bandHeight = (this.box.maxY - this.box.minY) / count || 1;
    const lists: number[][] = Array.from({ length: count }, () => []);
    rings.forEach((r, ri) => {
      for (let e = 0; e + 3 < r.length; e += 2) {
        const b0 = this.band(Math.min(r[e + 1], r[e + 3]), count), b1 = this.band(Math.max(r[e + 1], r[e + 3]), count);
        for (let b = b0; b <= b1; b++) lists[b].push(ri, e);
      }
    });
    this.bands = lists.map((l) => Int32Array.from(l));
  }

  private band(y: number, count = this.bands.length): number {
    return Math.min(count - 1, Math.max(0, Math.floor((y - this.box.minY) / this.bandHeight)));
  }

  contains(x: number, y: number): boolean {
    if (!boxHas(this.box, x, y)) return false;
    let inside = false;
    const list = this.bands[this.band(y)];
    for (let k = 0; k < list.length; k += 2) {
      const r = this.rings[list[k]], e = list[k + 1];
      const yi = r[e + 1], yj = r[e + 3];
      if ((yi > y) !== (yj > y) && x < ((r[e + 2] - r[e]) * (y - yi)) / (yj - yi) + r[e]) inside = !inside;
    }
    return inside;
  }
}
