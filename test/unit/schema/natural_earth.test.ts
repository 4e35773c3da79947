/** The profile on the real Natural Earth files of the shared data set. */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { NATURAL_EARTH_DIR } from '../../helpers/paths.js';
import { OpenMapTilesProfile } from '../../../src/schema/openmaptiles_profile.js';
import type { SourceFeature } from '../../../src/schema/profile.js';
import type { Geometry } from '../../../src/core/geometry.js';
import { latToY, lonToX } from '../../../src/core/tile_math.js';
import { areaSquareMetres } from '../../../src/importer/feature_geometry.js';
import { Collector, fakeLine } from './fake_source.js';

type Pos = [number, number];
interface GeoJsonFeature { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }

function ring(c: Pos[]): Float64Array {
  const a = new Float64Array(c.length * 2);
  c.forEach(([lon, lat], i) => { a[2 * i] = lonToX(lon); a[2 * i + 1] = latToY(lat); });
  return a;
}

function toGeometry(g: GeoJsonFeature['geometry']): Geometry {
  switch (g.type) {
    case 'Point': return { type: 'point', coords: ring([g.coordinates as Pos]) };
    case 'LineString': return { type: 'line', lines: [ring(g.coordinates as Pos[])] };
    case 'MultiLineString': return { type: 'line', lines: (g.coordinates as Pos[][]).map(ring) };
    case 'Polygon': return { type: 'polygon', polygons: [(g.coordinates as Pos[][]).map(ring)] };
    case 'MultiPolygon': return { type: 'polygon', polygons: (g.coordinates as Pos[][][]).map((p) => p.map(ring)) };
    default: throw new Error(`unexpected ${g.type}`);
  }
}

function neFile(table: string): string | undefined {
  for (const scale of ['10m', '50m', '110m']) {
    const f = path.join(NATURAL_EARTH_DIR, scale, `${table}.geojson`);
    if (fs.existsSync(f)) return f;
  }
  return undefined;
}

function* neFeatures(table: string, filter: (p: Record<string, unknown>) => boolean = () => true): Generator<SourceFeature> {
  const file = neFile(table);
  if (file === undefined) throw new Error(`missing ${table}`);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { features: GeoJsonFeature[] };
  let id = 0;
  for (const f of json.features) {
    if (f.geometry === null || !filter(f.properties)) continue;
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(f.properties)) if (v !== null && v !== undefined) tags[k] = String(v);
    const g = toGeometry(f.geometry);
    yield {
      source: 'naturalearth', table, id: ++id, tags, relations: [],
      isPoint: g.type === 'point', canBeLine: g.type === 'line', canBePolygon: g.type === 'polygon',
      geometry: () => g, areaM2: () => areaSquareMetres(g), lengthM: () => 0,
    };
  }
}

function feed(profile: OpenMapTilesProfile, table: string, filter?: (p: Record<string, unknown>) => boolean): Collector {
  const out = new Collector();
  for (const f of neFeatures(table, filter)) profile.processFeature(f, out);
  return out;
}

describe('Natural Earth in the profile', () => {
  it('declares only tables present in the Natural Earth directory', () => {
    const missing = new OpenMapTilesProfile().naturalEarthTables.filter((t) => neFile(t) === undefined);
    assert.deepEqual(missing, []);
  });

  it('turns 110m country boundary lines into admin_level 2 boundaries at z0', () => {
    const b = feed(new OpenMapTilesProfile(), 'ne_110m_admin_0_boundary_lines_land').layer('boundary');
    assert.ok(b.length > 100);
    assert.ok(b.every((f) => f.attrs.admin_level === 2 && f.minzoom === 0));
  });

  it('writes adm0_l and adm0_r on the 10m French-German border', () => {
    const b = feed(new OpenMapTilesProfile(), 'ne_10m_admin_0_boundary_lines_land',
      (p) => p.adm0_left === 'France' && p.adm0_right === 'Germany').layer('boundary');
    assert.ok(b.length > 0);
    assert.deepEqual([b[0].attrs.adm0_l, b[0].attrs.adm0_r, b[0].maxzoom], ['FRA', 'DEU', 4]);
  });

  it('labels France as a country with iso_a2 FR although Natural Earth writes -99', () => {
    const p = feed(new OpenMapTilesProfile(), 'ne_50m_admin_0_countries', (q) => q.ADMIN === 'France').layer('place');
    assert.equal(p.length, 1);
    assert.deepEqual([p[0].attrs.class, p[0].attrs.iso_a2, p[0].attrs.name], ['country', 'FR', 'France']);
  });

  it('keeps small island states (Anguilla, Barbados, Seychelles) out of z2, where Germany, Poland and the Netherlands show', () => {
    const names = ['Anguilla', 'Barbados', 'Seychelles', 'Germany', 'Poland', 'Netherlands'];
    const p = feed(new OpenMapTilesProfile(), 'ne_50m_admin_0_countries', (q) => names.includes(String(q.ADMIN))).layer('place');
    const minzoom = Object.fromEntries(p.map((f) => [f.attrs.name, f.minzoom]));
    assert.deepEqual(names.map((n) => minzoom[n] > 2), [true, true, true, false, false, false], JSON.stringify(minzoom));
  });

  it('orders countries of one rank by area, larger first (Germany before Belgium, Poland before Belarus)', () => {
    const names = ['Germany', 'Belgium', 'Poland', 'Belarus'];
    const p = feed(new OpenMapTilesProfile(), 'ne_50m_admin_0_countries', (q) => names.includes(String(q.ADMIN))).layer('place');
    const f = Object.fromEntries(p.map((x) => [x.attrs.name, x]));
    assert.equal(f.Germany.attrs.rank, f.Belgium.attrs.rank);
    assert.ok(f.Germany.sortKey! < f.Belgium.sortKey!);
    assert.equal(f.Poland.attrs.rank, f.Belarus.attrs.rank);
    assert.ok(f.Poland.sortKey! < f.Belarus.sortKey!);
  });

  it('ranks France 1 (from z0) and Andorra 4 (from z3), as planetiler does with the 10m countries', () => {
    const p = feed(new OpenMapTilesProfile(), 'ne_50m_admin_0_countries', (q) => q.ADMIN === 'France' || q.ADMIN === 'Andorra').layer('place');
    const byName = new Map(p.map((f) => [f.attrs.name, f]));
    assert.deepEqual([byName.get('France')?.attrs.rank, byName.get('France')?.minzoom], [1, 0]);
    assert.deepEqual([byName.get('Andorra')?.attrs.rank, byName.get('Andorra')?.minzoom], [4, 3]);
  });

  it('draws the 110m ocean as water class ocean at z0–z1', () => {
    const w = feed(new OpenMapTilesProfile(), 'ne_110m_ocean').layer('water');
    assert.ok(w.length > 0);
    assert.deepEqual([w[0].attrs.class, w[0].minzoom, w[0].maxzoom], ['ocean', 0, 1]);
  });

  it('draws the large urban areas (scalerank ≤ 2) as landuse residential at z4–z5', () => {
    const l = feed(new OpenMapTilesProfile(), 'ne_50m_urban_areas').layer('landuse');
    const large = [...neFeatures('ne_50m_urban_areas', (p) => Number(p.scalerank) <= 2)].length;
    assert.ok(large > 0);
    assert.equal(l.length, large);
    assert.deepEqual([l[0].attrs.class, l[0].minzoom, l[0].maxzoom], ['residential', 4, 5]);
  });

  it('draws rivers in waterway before OSM takes over at z9', () => {
    const w = feed(new OpenMapTilesProfile(), 'ne_10m_rivers_europe').layer('waterway');
    assert.ok(w.length > 0);
    assert.ok(w.every((f) => f.maxzoom <= 8 && f.attrs.class === 'river'));
  });

  it('uses the country outlines to name a French motorway network from its ref', () => {
    const profile = new OpenMapTilesProfile();
    feed(profile, 'ne_50m_admin_0_countries', (q) => q.ADMIN === 'France' || q.ADMIN === 'Germany');
    const out = new Collector();
    profile.processFeature(fakeLine({ tags: { highway: 'motorway', ref: 'A 36' } }, 0.05, 7.30, 47.70), out);
    assert.equal(out.layer('transportation_name')[0].attrs.network, 'fr-motorway');
  });

  it('names British motorways gb-motorway from the ref inside Great Britain', () => {
    const profile = new OpenMapTilesProfile();
    feed(profile, 'ne_50m_admin_0_countries', (q) => q.ADMIN === 'United Kingdom');
    const out = new Collector();
    profile.processFeature(fakeLine({ tags: { highway: 'motorway', ref: 'M6' } }, 0.05, -2.5, 53.0), out);
    assert.equal(out.layer('transportation_name')[0].attrs.network, 'gb-motorway');
  });
});
