/**
 * Road networks from route relations (and, for ways not in any relation, from
 * the ref prefix), as planetiler-openmaptiles derives `network` for
 * transportation and transportation_name. Beyond OpenMapTiles' US/CA/GB/IE
 * networks, the national networks of our region are recognised: France
 * (autoroute, nationale, départementale), Germany (Autobahn, Bundes-, Landes-,
 * Kreisstraße), Switzerland, and the European E-roads.
 */
import type { RelationMembership } from './profile.js';
import type { OsmTags } from '../osm/types.js';

/** In precedence order: the first network type of a way's relations gives its ref and shield. */
export const NETWORK_TYPES = [
  'us-interstate', 'us-highway', 'us-state', 'ca-transcanada', 'ca-provincial-arterial', 'ca-provincial',
  'gb-motorway', 'gb-trunk', 'gb-primary', 'ie-motorway', 'ie-national', 'ie-regional',
  'fr-motorway', 'fr-national', 'fr-departmental', 'de-motorway', 'de-federal', 'de-state', 'de-county',
  'ch-motorway', 'ch-national', 'e-road',
] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];

export interface RouteInfo {
  id: number;
  network?: string;
  ref: string;
  name?: string;
  networkType?: NetworkType;
  /** 1 international/national hiking, 2 local or signed, 3 other (planetiler's route rank). */
  rank: number;
}

export function networkTypeOf(network: string | undefined, ref: string | undefined): NetworkType | undefined {
  if (network === undefined) return undefined;
  if (network === 'US:I') return 'us-interstate';
  if (network === 'US:US') return 'us-highway';
  if (network.length === 5 && network.startsWith('US:')) return 'us-state';
  if (network.startsWith('CA:transcanada')) return 'ca-transcanada';
  if (network === 'CA:QC:A') return 'ca-provincial-arterial';
  if (network === 'CA:ON:primary') return ref !== undefined && /^4\d\d$|^QEW$/.test(ref) ? 'ca-provincial-arterial' : 'ca-provincial';
  if (/^CA:[A-Z]{2}(:|$)/.test(network)) return 'ca-provincial';
  if (network === 'FR:A-road') return 'fr-motorway';
  if (network === 'FR:N-road') return 'fr-national';
  if (/^FR:(\d+[AB]?:)?D-road$/.test(network)) return 'fr-departmental';
  if (/^(DE:)?BAB$/.test(network)) return 'de-motorway';
  if (/^(DE:)?B$/.test(network)) return 'de-federal';
  if (/^(DE:)?([A-Z]{2}:)?(L|S|St)$/.test(network)) return 'de-state';
  if (/^(DE:)?([A-Z]{2}:)?K$/.test(network)) return 'de-county';
  if (/^CH:(motorway|national)$/i.test(network) && ref !== undefined && /^A/.test(ref)) return 'ch-motorway';
  if (/^CH:(national|main)$/i.test(network)) return 'ch-national';
  if (network === 'e-road') return 'e-road';
  return undefined;
}

function routeRank(tags: OsmTags): number {
  const network = tags.network ?? '';
  if (network === 'iwn' || network === 'nwn' || network === 'rwn') return 1;
  if (network === 'lwn') return 2;
  return tags['osmc:symbol'] !== undefined || tags.colour !== undefined ? 2 : 3;
}

function compareRoutes(a: RouteInfo, b: RouteInfo): number {
  const ta = a.networkType === undefined ? NETWORK_TYPES.length : NETWORK_TYPES.indexOf(a.networkType);
  const tb = b.networkType === undefined ? NETWORK_TYPES.length : NETWORK_TYPES.indexOf(b.networkType);
  if (ta !== tb) return ta - tb;
  const na = a.network ?? '', nb = b.network ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  if (a.ref.length !== b.ref.length) return a.ref.length - b.ref.length;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

/** Road and hiking routes a way belongs to, best first, without duplicates. */
export function routeRelations(relations: readonly RelationMembership[]): RouteInfo[] {
  const out: RouteInfo[] = [];
  const seen = new Set<number>();
  for (const r of relations) {
    const route = r.tags.route;
    if (route !== 'road' && route !== 'hiking') continue;
    if (seen.has(r.relationId)) continue;
    const network = r.tags.network;
    const rank = routeRank(r.tags);
    if (network === undefined && rank >= 3) continue;
    seen.add(r.relationId);
    const ref = r.tags.ref ?? '';
    out.push({ id: r.relationId, network, ref, name: r.tags.name, networkType: networkTypeOf(network, ref), rank });
  }
  return out.sort(compareRoutes);
}

/**
 * Network type from a way's own ref when no relation tells it (many French and
 * German roads carry `ref` without being in a route relation). `country` is the
 * ISO code under the way when Natural Earth outlines are known.
 */
export function networkTypeFromRef(ref: string, highway: string, country: string | undefined): NetworkType | undefined {
  // Great Britain and Ireland number roads without route relations (planetiler-openmaptiles' rule).
  if (country === 'GB' && /^[ABM][0-9ABM()]+/.test(ref)) {
    if (highway.startsWith('motorway')) return 'gb-motorway';
    if (highway.startsWith('trunk')) return 'gb-trunk';
    if (highway.startsWith('primary') || highway.startsWith('secondary')) return 'gb-primary';
    return undefined;
  }
  if (country === 'IE' && /^[MNRL][0-9]+/.test(ref)) {
    if (highway.startsWith('motorway')) return 'ie-motorway';
    if (highway.startsWith('trunk') || highway.startsWith('primary')) return 'ie-national';
    return 'ie-regional';
  }
  const m = /^\s*([A-Z][a-z]?)\s?\d/.exec(ref);
  if (m === null) return undefined;
  const prefix = m[1];
  const fr = country === undefined || country === 'FR';
  const de = country === undefined || country === 'DE';
  if (prefix === 'A' && (highway === 'motorway' || highway === 'motorway_link')) {
    if (country === 'FR') return 'fr-motorway';
    if (country === 'DE') return 'de-motorway';
    if (country === 'CH') return 'ch-motorway';
    return undefined;
  }
  if (prefix === 'N' && fr) return 'fr-national';
  if (prefix === 'D' && fr) return 'fr-departmental';
  if (prefix === 'B' && de) return 'de-federal';
  if ((prefix === 'L' || prefix === 'S' || prefix === 'St') && de) return 'de-state';
  if (prefix === 'K' && de) return 'de-county';
  if (prefix === 'E' && /^\s*E\s?\d+$/.test(ref)) return 'e-road';
  return undefined;
}
