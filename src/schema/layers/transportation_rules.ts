/**
 * Road classes and minimum zooms shared by transportation and
 * transportation_name (a name never shows before its road does).
 */
import type { SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { LayerContext } from '../omt_layer.js';
import { networkTypeFromRef, type RouteInfo } from '../route_networks.js';

const HIGHWAY_CLASS: Record<string, string> = {
  motorway: 'motorway', motorway_link: 'motorway',
  trunk: 'trunk', trunk_link: 'trunk',
  primary: 'primary', primary_link: 'primary',
  secondary: 'secondary', secondary_link: 'secondary',
  tertiary: 'tertiary', tertiary_link: 'tertiary',
  unclassified: 'minor', residential: 'minor', living_street: 'minor', road: 'minor',
  pedestrian: 'path', path: 'path', footway: 'path', cycleway: 'path', steps: 'path', bridleway: 'path', corridor: 'path',
  service: 'service', track: 'track', raceway: 'raceway', busway: 'busway', bus_guideway: 'bus_guideway',
};

export const MIN_ZOOM_BY_CLASS: Record<string, number> = {
  motorway: 4, trunk: 5, primary: 7, secondary: 9, tertiary: 11, busway: 11, bus_guideway: 11,
  raceway: 12, minor: 13, service: 13, track: 14, path: 14,
};

export const SERVICE_VALUES = new Set(['spur', 'yard', 'siding', 'crossover', 'driveway', 'alley', 'parking_aisle']);

/**
 * class of a highway (or `pier`/`bridge` for man_made); undefined when the way is no road. Platforms
 * (public_transport=platform) are paths in transportation, but not named in transportation_name.
 */
export function highwayClass(tags: OsmTags, withPlatforms = true): string | undefined {
  const highway = tags.highway;
  if (highway === 'construction') {
    const c = tags.construction ?? '';
    if (c === '') return 'minor_construction';
    const base = withPlatforms && tags.public_transport === 'platform' ? 'path' : HIGHWAY_CLASS[c];
    return base === undefined || base === 'busway' || base === 'bus_guideway' ? undefined : `${base}_construction`;
  }
  if (highway !== undefined && HIGHWAY_CLASS[highway] !== undefined) return HIGHWAY_CLASS[highway];
  if (withPlatforms && tags.public_transport === 'platform') return 'path';
  const manMade = tags.man_made;
  if (manMade === 'pier' || manMade === 'bridge') return manMade;
  return undefined;
}

export function highwaySubclass(cls: string, tags: OsmTags): string | undefined {
  if (cls !== 'path' && cls !== 'path_construction') return undefined;
  if (tags.public_transport === 'platform') return 'platform';
  return cls === 'path' ? tags.highway : tags.construction;
}

export function isLink(highway: string | undefined): boolean {
  return highway !== undefined && highway.endsWith('_link');
}

/** planetiler-openmaptiles' Transportation.getMinzoom. */
export function roadMinZoom(tags: OsmTags, cls: string, routes: readonly RouteInfo[]): number {
  const highway = tags.highway;
  let minzoom: number;
  if (tags.man_made === 'pier' && cls === 'pier') minzoom = 13;
  else if (highway === 'residential' || highway === 'unclassified') minzoom = 12;
  else {
    const base = cls.replace('_construction', '');
    if (base === 'service') {
      const s = tags.service;
      minzoom = s === 'driveway' || s === 'parking_aisle' ? 14 : 13;
    } else if (base === 'track' || base === 'path') {
      const routeRank = routes.reduce((m, r) => Math.min(m, r.rank), 3);
      if (routeRank === 1) minzoom = 12;
      else if ((tags.name ?? '') !== '' || routeRank <= 2 || tags.sac_scale !== undefined) minzoom = 13;
      else minzoom = 14;
    } else if (base === 'trunk') {
      const asMotorway = routes.some((r) =>
        r.networkType === 'ca-transcanada' || r.networkType === 'ca-provincial-arterial' || r.networkType === 'us-interstate');
      minzoom = asMotorway ? MIN_ZOOM_BY_CLASS.motorway : MIN_ZOOM_BY_CLASS.trunk;
    } else {
      minzoom = MIN_ZOOM_BY_CLASS[base] ?? 99;
    }
  }
  if (isLink(highway)) minzoom = Math.max(minzoom, 9);
  return minzoom;
}

/** z_order as imposm computes it: layer first, then bridges/tunnels, then road importance. */
export function zOrder(tags: OsmTags): number {
  const ranks: Record<string, number> = {
    motorway: 9, trunk: 8, primary: 7, secondary: 6, tertiary: 5, minor: 3, service: 2, track: 2, path: 1,
  };
  const cls = highwayClass(tags) ?? (tags.railway !== undefined ? 'rail' : '');
  let z = ranks[cls] ?? (cls === 'rail' ? 7 : 0);
  const layer = Number.parseInt(tags.layer ?? '0', 10);
  if (Number.isFinite(layer)) z += layer * 10;
  if (tags.bridge !== undefined && tags.bridge !== 'no') z += 10;
  if (tags.tunnel !== undefined && tags.tunnel !== 'no') z -= 10;
  return z;
}

/** Network type of a road: its best route relation, else its ref prefix. */
export function roadNetwork(tags: OsmTags, routes: readonly RouteInfo[], country: string | undefined): RouteInfo | undefined {
  // A national network wins; an E-road relation only labels a road that has no national number of its own.
  const national = routes.find((r) => r.networkType !== undefined && r.networkType !== 'e-road');
  if (national !== undefined) return national;
  const ref = (tags.ref ?? '').split(';')[0].trim();
  if (ref !== '') {
    const t = networkTypeFromRef(ref, tags.highway ?? '', country);
    if (t !== undefined && t !== 'e-road') return { id: 0, ref, networkType: t, rank: 3 };
  }
  const eRoad = routes.find((r) => r.networkType === 'e-road');
  if (eRoad !== undefined && ref === '') return eRoad;
  if (ref !== '' && /^\s*E\s?\d+$/.test(ref)) return { id: 0, ref, networkType: 'e-road', rank: 3 };
  return undefined;
}

export function firstPointCountry(source: SourceFeature, ctx: LayerContext): string | undefined {
  if (!ctx.ne.hasCountries) return undefined;
  const g = source.geometry();
  const c = g.type === 'point' ? g.coords : g.type === 'line' ? g.lines[0] : g.polygons[0]?.[0];
  if (c === undefined || c.length < 2) return undefined;
  return ctx.ne.countryAt(c[0], c[1]);
}
