/**
 * Legal speed of a road from its `maxspeed` tag or, when absent, from the
 * national default of the country it lies in (the region is France and Germany).
 *
 * Country: first from tags that name it (`maxspeed:type`, `source:maxspeed`,
 * `zone:traffic`, `maxspeed` itself such as `FR:urban`, `DE:rural`), otherwise from
 * the way's location with a coarse outline of Germany's western border (the Rhine
 * from Basel to Lauterbourg, then the Saar and Moselle). Outside Germany the French
 * defaults apply: Luxembourg, Belgium and Switzerland are close to them.
 * Urban vs rural: from those tags when present, else residential-like classes are urban.
 */
import type { OsmTags } from '../osm/types.js';

export type Country = 'FR' | 'DE';

const DEFAULTS: Record<Country, { urban: number; rural: number; motorway: number; trunk: number }> = {
  FR: { urban: 50, rural: 80, motorway: 130, trunk: 110 },
  DE: { urban: 50, rural: 100, motorway: 130, trunk: 100 },
};

const URBAN_CLASSES = new Set(['residential', 'living_street', 'service', 'pedestrian']);

/**
 * Coarse outline of Germany around the region (lon/lat): its western border along
 * the Rhine from Basel to Lauterbourg, the Lauter, the Saarland and the Moselle, then
 * closed far to the east. Good to a few kilometres, which is all a default needs.
 */
const GERMANY: Array<[number, number]> = [
  [7.59, 47.55], [7.52, 47.7], [7.57, 48.0], [7.69, 48.3], [7.80, 48.58], [8.05, 48.8], [8.23, 48.97],
  [7.94, 49.05], [7.5, 49.1], [7.05, 49.12], [6.72, 49.17], [6.36, 49.46], [6.5, 49.75], [6.13, 50.13],
  [6.0, 50.75], [5.95, 51.8], [5.95, 55.1], [15.1, 55.1], [15.1, 47.27], [9.6, 47.53],
];

export function countryAt(lon: number, lat: number): Country {
  let inside = false;
  for (let i = 0, j = GERMANY.length - 1; i < GERMANY.length; j = i++) {
    const [xi, yi] = GERMANY[i];
    const [xj, yj] = GERMANY[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 'DE' : 'FR';
}

function countryFromTags(tags: OsmTags): Country | undefined {
  for (const k of ['maxspeed:type', 'source:maxspeed', 'zone:traffic', 'maxspeed']) {
    const v = tags[k];
    if (!v) continue;
    if (v.startsWith('FR:')) return 'FR';
    if (v.startsWith('DE:')) return 'DE';
  }
  return undefined;
}

function zoneFromTags(tags: OsmTags): 'urban' | 'rural' | 'motorway' | 'zone30' | undefined {
  for (const k of ['maxspeed:type', 'source:maxspeed', 'zone:traffic', 'maxspeed']) {
    const v = tags[k]?.toLowerCase();
    if (!v) continue;
    if (v.endsWith(':urban')) return 'urban';
    if (v.endsWith(':rural')) return 'rural';
    if (v.endsWith(':motorway')) return 'motorway';
    if (v.endsWith(':zone30') || v.endsWith(':zone:30')) return 'zone30';
  }
  return undefined;
}

/** A maxspeed value in km/h, or undefined when not a number we understand. */
export function parseMaxspeed(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'none' || v === 'signals' || v === 'variable') return undefined;
  if (v === 'walk') return 7;
  const m = /^(\d+(?:\.\d+)?)\s*(mph|knots)?$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!(n > 0)) return undefined;
  return m[2] === 'mph' ? n * 1.609 : m[2] === 'knots' ? n * 1.852 : n;
}

export interface LegalSpeedInput {
  tags: OsmTags;
  highway: string;
  lon: number;
  lat: number;
}

/** km/h allowed on the way, by tag or by national default. */
export function legalSpeed(input: LegalSpeedInput): number {
  const { tags, highway } = input;
  const tagged = parseMaxspeed(tags.maxspeed);
  if (tagged !== undefined) return tagged;
  const country = countryFromTags(tags) ?? countryAt(input.lon, input.lat);
  const d = DEFAULTS[country];
  const zone = zoneFromTags(tags);
  if (zone === 'zone30') return 30;
  if (zone === 'urban') return d.urban;
  if (zone === 'motorway' || highway === 'motorway') return d.motorway;
  if (zone === 'rural') return d.rural;
  if (highway === 'trunk') return d.trunk;
  if (URBAN_CLASSES.has(highway)) return d.urban;
  return d.rural;
}
