/**
 * Coastline test data and the reference to compare with: the Natural Earth 50m land
 * outline turned into `natural=coastline` ways, osmcoastline's water polygons of an
 * OSM file, and the ocean area of our tiles, all in world coordinates (x east,
 * y south, 0..1).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { clipPolygon, type Rect } from '../../src/tiling/clip.js';
import { readLayer } from './import_fixture.js';
import type { XmlNode, XmlWay } from './osm_xml.js';
import { NATURAL_EARTH_DIR } from './paths.js';

const HALF = 20037508.342789244;

export type LonLatRing = number[][];

/** Natural Earth 50m land rings (outer and holes) whose box meets `box`, as lon/lat lists without the closing point. */
export function landRings(box: number[]): LonLatRing[] {
  const data = JSON.parse(fs.readFileSync(path.join(NATURAL_EARTH_DIR, '50m', 'ne_50m_land.geojson'), 'utf8')) as {
    features: { geometry: { type: string; coordinates: unknown } }[];
  };
  const rings: LonLatRing[] = [];
  for (const f of data.features) {
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as LonLatRing[][];
    for (const p of polys) {
      const xs = p[0].map((c) => c[0]), ys = p[0].map((c) => c[1]);
      if (Math.max(...xs) < box[0] || Math.min(...xs) > box[2] || Math.max(...ys) < box[1] || Math.min(...ys) > box[3]) continue;
      for (const r of p) rings.push(r.slice(0, -1));
    }
  }
  return rings;
}

/**
 * Coastline ways of the rings: land on the left (Natural Earth outer rings run clockwise, holes counter-clockwise,
 * so every ring is reversed), `nodesPerWay` nodes a way, ways sharing their end nodes; `boxes` is each way's lon/lat box.
 */
export function coastlineWays(rings: LonLatRing[], nodesPerWay: number, firstId = 1): { nodes: XmlNode[]; ways: XmlWay[]; boxes: number[][] } {
  const nodes: XmlNode[] = [];
  const ways: XmlWay[] = [];
  const boxes: number[][] = [];
  let nodeId = firstId, wayId = firstId;
  for (const ring of rings) {
    const pts = [...ring].reverse().filter((c, i, a) => i === 0 || c[0] !== a[i - 1][0] || c[1] !== a[i - 1][1]);
    if (pts.length < 3) continue;
    const ids = pts.map(([lon, lat]) => { nodes.push({ id: nodeId, lon, lat }); return nodeId++; });
    ids.push(ids[0]);
    const coords = [...pts, pts[0]];
    for (let s = 0; s < ids.length - 1; s += nodesPerWay - 1) {
      const e = Math.min(ids.length, s + nodesPerWay);
      ways.push({ id: wayId++, refs: ids.slice(s, e), tags: { natural: 'coastline' } });
      const part = coords.slice(s, e);
      boxes.push([Math.min(...part.map((c) => c[0])), Math.min(...part.map((c) => c[1])), Math.max(...part.map((c) => c[0])), Math.max(...part.map((c) => c[1]))]);
    }
  }
  return { nodes, ways, boxes };
}

export function signedArea(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i + 3 < r.length; i += 2) s += r[i] * r[i + 3] - r[i + 2] * r[i + 1];
  return s / 2;
}

function polygonArea(rings: Float64Array[]): number {
  return Math.abs(signedArea(rings[0])) - rings.slice(1).reduce((s, h) => s + Math.abs(signedArea(h)), 0);
}

function inRing(x: number, y: number, r: ArrayLike<number>): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
    if ((r[i + 1] > y) !== (r[j + 1] > y) && x < ((r[j] - r[i]) * (y - r[i + 1])) / (r[j + 1] - r[i + 1]) + r[i]) inside = !inside;
  }
  return inside;
}

/** osmcoastline's water polygons of an OSM file ([outer, holes…] each), with their boxes. */
export class OracleWater {
  private readonly polys: { rings: Float64Array[]; box: number[] }[] = [];

  constructor(dir: string, osmFile: string) {
    const db = path.join(dir, 'coast.db');
    try {
      execFileSync('osmcoastline', ['-o', db, '-p', 'water', '-s', '3857', '-f', '-i', osmFile], { stdio: 'pipe' });
    } catch (e) {
      // exit status 1: warnings only (osmcoastline's documented codes)
      if ((e as { status?: number }).status !== 1) throw e;
    }
    const json = path.join(dir, 'water.geojson');
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', json, db, 'water_polygons'], { stdio: 'pipe' });
    const fc = JSON.parse(fs.readFileSync(json, 'utf8')) as { features: { geometry: { type: string; coordinates: unknown } }[] };
    for (const f of fc.features) {
      const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
      for (const p of polys) {
        const rings = p.map((r) => Float64Array.from(r.flatMap(([x, y]) => [(x + HALF) / (2 * HALF), (HALF - y) / (2 * HALF)])));
        const r = rings[0];
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (let i = 0; i < r.length; i += 2) {
          minX = Math.min(minX, r[i]); maxX = Math.max(maxX, r[i]); minY = Math.min(minY, r[i + 1]); maxY = Math.max(maxY, r[i + 1]);
        }
        this.polys.push({ rings, box: [minX, minY, maxX, maxY] });
      }
    }
  }

  /** Water area inside the rectangle. */
  area(rect: Rect): number {
    let a = 0;
    for (const o of this.polys) {
      if (o.box[2] < rect[0] || o.box[0] > rect[2] || o.box[3] < rect[1] || o.box[1] > rect[3]) continue;
      const c = clipPolygon(o.rings, rect);
      if (c) a += polygonArea(c);
    }
    return a;
  }

  isWater(x: number, y: number): boolean {
    return this.polys.some((o) => x >= o.box[0] && x <= o.box[2] && y >= o.box[1] && y <= o.box[3] &&
      inRing(x, y, o.rings[0]) && !o.rings.slice(1).some((h) => inRing(x, y, h)));
  }
}

/** Our ocean in the rectangle, from tile z/x/y of an MBTiles file (MVT: outer rings positive, holes negative). */
export function tileOceanArea(mbtiles: string, tile: [number, number, number], rect: Rect): number {
  const [z, x, y] = tile;
  const n = 2 ** z;
  let a = 0;
  for (const f of readLayer(mbtiles, z, x, y, 'water')) {
    if (f.properties.class !== 'ocean') continue;
    for (const ring of f.geometry) {
      const world = Float64Array.from(ring.flatMap((p) => [(x + p.x / f.extent) / n, (y + p.y / f.extent) / n]));
      const c = clipPolygon([world], rect);
      if (c) a += signedArea(c[0]);
    }
  }
  return a;
}
