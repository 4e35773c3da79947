/**
 * Natural Earth GeoJSON files (10m/50m/110m) as SourceFeatures for the low zooms.
 * The profile says which tables (file base names) it reads; files not present are
 * skipped. Coordinates are converted to world coordinates here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Geometry } from '../core/geometry.js';
import { TuilerieError } from '../core/errors.js';
import { latToY, lonToX } from '../core/tile_math.js';
import type { SourceFeature } from '../schema/profile.js';
import { areaSquareMetres, lengthMetres } from './feature_geometry.js';

type Position = number[];
interface GeoJsonGeometry { type: string; coordinates: unknown }
interface GeoJsonFeature { properties: Record<string, unknown> | null; geometry: GeoJsonGeometry | null }

function flat(coords: Position[]): Float64Array {
  const out = new Float64Array(coords.length * 2);
  for (let i = 0; i < coords.length; i++) {
    out[2 * i] = lonToX(coords[i][0]);
    out[2 * i + 1] = latToY(coords[i][1]);
  }
  return out;
}

export function geoJsonToGeometry(g: GeoJsonGeometry): Geometry | null {
  const c = g.coordinates as never;
  switch (g.type) {
    case 'Point': return { type: 'point', coords: flat([c]) };
    case 'MultiPoint': return { type: 'point', coords: flat(c) };
    case 'LineString': return { type: 'line', lines: [flat(c)] };
    case 'MultiLineString': return { type: 'line', lines: (c as Position[][]).map(flat) };
    case 'Polygon': return { type: 'polygon', polygons: [(c as Position[][]).map(flat)] };
    case 'MultiPolygon': return { type: 'polygon', polygons: (c as Position[][][]).map((p) => p.map(flat)) };
    default: return null;
  }
}

function stringTags(props: Record<string, unknown> | null): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!props) return tags;
  for (const [k, v] of Object.entries(props)) if (v !== null && v !== undefined) tags[k] = String(v);
  return tags;
}

/** Finds `<table>.geojson` anywhere below dir (10m/, 50m/, 110m/). */
export function findNaturalEarthFiles(dir: string, tables: readonly string[]): Map<string, string> {
  if (!fs.existsSync(dir)) throw new TuilerieError('IO_ERROR', `Natural Earth directory ${dir} does not exist`);
  const found = new Map<string, string>();
  const wanted = new Set(tables);
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.geojson')) {
        const t = e.name.slice(0, -'.geojson'.length);
        if (wanted.has(t)) found.set(t, p);
      }
    }
  };
  walk(dir);
  return found;
}

export function* readNaturalEarthTable(table: string, file: string): Generator<SourceFeature> {
  let doc: { features?: GeoJsonFeature[] };
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TuilerieError('BAD_INPUT', `${file} is not valid GeoJSON: ${(e as Error).message}`);
  }
  let id = 0;
  for (const f of doc.features ?? []) {
    if (!f.geometry) continue;
    const geom = geoJsonToGeometry(f.geometry);
    if (!geom) continue;
    id++;
    let area: number | undefined, length: number | undefined;
    yield {
      source: 'naturalearth',
      table,
      id,
      tags: stringTags(f.properties),
      isPoint: geom.type === 'point',
      canBeLine: geom.type === 'line',
      canBePolygon: geom.type === 'polygon',
      relations: [],
      geometry: () => geom,
      areaM2: () => (area ??= areaSquareMetres(geom)),
      lengthM: () => (length ??= lengthMetres(geom)),
    };
  }
}
