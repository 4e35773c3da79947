/**
 * What a router needs at query time — the road network's geometry and names, and
 * per profile the geo-arc endpoints and the contracted graph — and its mapping to
 * and from the routing file.
 */
import type { ContractedGraph } from './contraction.js';
import type { ProfileGraph } from './profile_graph.js';
import type { RoadNetwork } from './road_network.js';
import { PROFILE_NAMES, type ProfileName } from './routing_profiles.js';
import { routingFile } from './routing_file.js';
import { TuilerieError } from '../core/errors.js';

export type QueryNetwork = Omit<RoadNetwork, 'weights' | 'barriers' | 'restrictions'>;

export interface ProfileData {
  name: ProfileName;
  geoTail: Int32Array;
  geoHead: Int32Array;
  geoWeight: Int32Array;
  extraGeo: Int32Array;
  extraTail: Int32Array;
  /** 1 for edges of the main network (see strong_components.ts); absent in files that predate it. */
  mainEdge?: Uint8Array;
  ch: ContractedGraph;
}

export interface RoutingData {
  network: QueryNetwork;
  profiles: Map<ProfileName, ProfileData>;
  meta: Record<string, unknown>;
}

const NETWORK_ARRAYS = ['nodeOsmId', 'edgeFrom', 'edgeTo', 'geomStart', 'coordLon', 'coordLat', 'edgeLength', 'edgeName', 'edgeRef', 'edgeFlags', 'edgeClasses'] as const;
const PROFILE_ARRAYS = ['geoTail', 'geoHead', 'geoWeight', 'extraGeo', 'extraTail'] as const;
const CH_ARRAYS = ['fwdFirst', 'fwdNode', 'fwdWeight', 'fwdMid', 'fwdDist', 'bwdFirst', 'bwdNode', 'bwdWeight', 'bwdMid', 'bwdDist'] as const;

export function profileDataOf(g: ProfileGraph, ch: ContractedGraph, mainEdge?: Uint8Array): ProfileData {
  return { name: g.profile, geoTail: g.geoTail, geoHead: g.geoHead, geoWeight: g.geoWeight, extraGeo: g.extraGeo, extraTail: g.extraTail, mainEdge, ch };
}

export function writeRoutingData(file: string, data: RoutingData): number {
  const arrays = new Map<string, Int32Array | Uint32Array | Float64Array | Float32Array | Uint8Array>();
  for (const k of NETWORK_ARRAYS) arrays.set(`net.${k}`, data.network[k]);
  for (const [name, p] of data.profiles) {
    for (const k of PROFILE_ARRAYS) arrays.set(`${name}.${k}`, p[k]);
    if (p.mainEdge) arrays.set(`${name}.mainEdge`, p.mainEdge);
    for (const k of CH_ARRAYS) arrays.set(`${name}.ch.${k}`, p.ch[k]);
  }
  const meta = {
    ...data.meta,
    nodeCount: data.network.nodeCount,
    edgeCount: data.network.edgeCount,
    strings: data.network.strings,
    profiles: Object.fromEntries([...data.profiles].map(([n, p]) => [n, { nodeCount: p.ch.nodeCount }])),
  };
  return routingFile.write(file, meta, arrays);
}

export function readRoutingData(file: string): RoutingData {
  const { meta, arrays } = routingFile.read(file);
  const get = <T>(name: string): T => {
    const a = arrays.get(name);
    if (!a) throw new TuilerieError('BAD_INPUT', `${file}: missing array ${name}; rebuild the routing graph`);
    return a as unknown as T;
  };
  const net: Record<string, unknown> = { nodeCount: meta.nodeCount, edgeCount: meta.edgeCount, strings: meta.strings };
  for (const k of NETWORK_ARRAYS) net[k] = get(`net.${k}`);
  const profiles = new Map<ProfileName, ProfileData>();
  const declared = (meta.profiles ?? {}) as Record<string, { nodeCount: number }>;
  for (const name of PROFILE_NAMES) {
    if (!declared[name]) continue;
    const p: Record<string, unknown> = { name };
    for (const k of PROFILE_ARRAYS) p[k] = get(`${name}.${k}`);
    p.mainEdge = arrays.get(`${name}.mainEdge`);
    const ch: Record<string, unknown> = { nodeCount: declared[name].nodeCount };
    for (const k of CH_ARRAYS) ch[k] = get(`${name}.ch.${k}`);
    p.ch = ch;
    profiles.set(name, p as unknown as ProfileData);
  }
  const { strings: _s, ...rest } = meta;
  return { network: net as unknown as QueryNetwork, profiles, meta: rest };
}
