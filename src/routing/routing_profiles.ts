/**
 * The three travel modes: which ways they may use, in which directions, how fast,
 * which barriers stop them and which turn restrictions bind them.
 *
 * Access follows the OSM hierarchy (`access` < `vehicle` < `motor_vehicle` <
 * `motorcar` for cars; `access` < `vehicle` < `bicycle`; `access` < `foot`): the most
 * specific key present wins. `destination`, `permissive`, `designated`, `customers`
 * count as allowed; `private`, `no`, `agricultural`, `forestry`, `delivery` as not.
 * Reversible oneways are closed to cars (their direction is unknown at query time).
 */
import type { OsmTags } from '../osm/types.js';
import { legalSpeed } from './maxspeed.js';

export type ProfileName = 'car' | 'bicycle' | 'foot';
export const PROFILE_NAMES: readonly ProfileName[] = ['car', 'bicycle', 'foot'];

/** Speeds in km/h for each direction of a way; 0 = not allowed that way. */
export interface WaySpeeds {
  forward: number;
  backward: number;
}

export interface WayContext {
  /** A coordinate on the way, for national defaults. */
  lon: number;
  lat: number;
}

export interface RoutingProfile {
  name: ProfileName;
  /** OSRM's `mode` of a step. */
  mode: 'driving' | 'cycling' | 'walking';
  waySpeeds(tags: OsmTags, ctx: WayContext): WaySpeeds;
  /** True when a node with these tags stops this mode. */
  blockedByNode(tags: OsmTags): boolean;
  /** Restriction keys that bind this mode (`restriction`, `restriction:motorcar`, …); empty = none. */
  restrictionKeys: readonly string[];
  /** `except=` values that exempt this mode. */
  exceptValues: readonly string[];
}

const DENIED = new Set(['no', 'private', 'agricultural', 'forestry', 'delivery', 'use_sidepath', 'discouraged', 'emergency']);
const ALLOWED = new Set(['yes', 'permissive', 'designated', 'destination', 'customers', 'official']);

/** Resolves the access hierarchy: true / false when a key decides, undefined when none does. */
function accessOf(tags: OsmTags, keys: readonly string[]): boolean | undefined {
  for (let i = keys.length - 1; i >= 0; i--) {
    const v = tags[keys[i]];
    if (v === undefined) continue;
    if (DENIED.has(v)) return false;
    if (ALLOWED.has(v)) return true;
  }
  return undefined;
}

type Oneway = 'both' | 'forward' | 'backward' | 'closed';
function onewayOf(tags: OsmTags, keys: readonly string[], implied: boolean): Oneway {
  for (let i = keys.length - 1; i >= 0; i--) {
    const v = tags[keys[i]];
    if (v === undefined) continue;
    if (v === 'yes' || v === '1' || v === 'true') return 'forward';
    if (v === '-1' || v === 'reverse') return 'backward';
    if (v === 'reversible' || v === 'alternating') return 'closed';
    if (v === 'no' || v === '0' || v === 'false') return 'both';
  }
  return implied ? 'forward' : 'both';
}

function speeds(speed: number, oneway: Oneway): WaySpeeds {
  if (oneway === 'closed') return { forward: 0, backward: 0 };
  return { forward: oneway === 'backward' ? 0 : speed, backward: oneway === 'forward' ? 0 : speed };
}

const NONE: WaySpeeds = { forward: 0, backward: 0 };

function impliedOneway(tags: OsmTags): boolean {
  const j = tags.junction;
  return j === 'roundabout' || j === 'circular' || tags.highway === 'motorway';
}

// Typical free-flow speeds (km/h): the legal limit caps them.
const CAR_SPEEDS: Record<string, number> = {
  motorway: 120, motorway_link: 60, trunk: 95, trunk_link: 50, primary: 75, primary_link: 45,
  secondary: 65, secondary_link: 40, tertiary: 55, tertiary_link: 35, unclassified: 45,
  residential: 30, living_street: 10, service: 15, road: 30,
};

const CAR_KEYS = ['access', 'vehicle', 'motor_vehicle', 'motorcar'] as const;

export const carProfile: RoutingProfile = {
  name: 'car',
  mode: 'driving',
  restrictionKeys: ['restriction', 'restriction:motor_vehicle', 'restriction:motorcar'],
  exceptValues: ['motorcar', 'motor_vehicle', 'vehicle'],
  waySpeeds(tags, ctx) {
    if (tags.route === 'ferry') {
      if (accessOf(tags, ['motor_vehicle', 'motorcar']) !== true) return NONE;
      return speeds(ferrySpeed(tags), 'both');
    }
    const hw = tags.highway;
    if (!hw) return NONE;
    const base = CAR_SPEEDS[hw];
    if (base === undefined && hw !== 'track') return NONE;
    const access = accessOf(tags, CAR_KEYS);
    if (access === false) return NONE;
    if (hw === 'track' && access !== true) return NONE;
    if (tags.area === 'yes' || tags.impassable === 'yes' || tags.smoothness === 'impassable') return NONE;
    const legal = legalSpeed({ tags, highway: hw, lon: ctx.lon, lat: ctx.lat });
    const speed = Math.max(5, Math.min(base ?? 15, legal * 0.9));
    return speeds(speed, onewayOf(tags, ['oneway', 'oneway:motor_vehicle', 'oneway:motorcar'], impliedOneway(tags)));
  },
  blockedByNode(tags) {
    const b = tags.barrier;
    if (!b) return false;
    const access = accessOf(tags, CAR_KEYS);
    if (access !== undefined) return !access;
    return !CAR_PASSABLE_BARRIERS.has(b);
  },
};

const CAR_PASSABLE_BARRIERS = new Set(['gate', 'lift_gate', 'swing_gate', 'sliding_gate', 'cattle_grid', 'toll_booth', 'border_control', 'entrance', 'no', 'height_restrictor', 'chain', 'kerb']);

const BIKE_SPEEDS: Record<string, number> = {
  cycleway: 18, primary: 17, primary_link: 17, secondary: 17, secondary_link: 17, tertiary: 17, tertiary_link: 17,
  unclassified: 16, residential: 16, living_street: 12, service: 14, road: 15, track: 12, path: 12, trunk: 16, trunk_link: 16,
  bridleway: 8,
};
// Ways where a cyclist may walk the bike: allowed at walking pace unless bicycle=no.
const BIKE_PUSH: Record<string, number> = { footway: 5, pedestrian: 5, steps: 2, platform: 5 };
const BIKE_KEYS = ['access', 'vehicle', 'bicycle'] as const;

export const bicycleProfile: RoutingProfile = {
  name: 'bicycle',
  mode: 'cycling',
  restrictionKeys: ['restriction', 'restriction:bicycle'],
  exceptValues: ['bicycle'],
  waySpeeds(tags) {
    if (tags.route === 'ferry') {
      if (accessOf(tags, ['bicycle']) === false) return NONE;
      return speeds(ferrySpeed(tags), 'both');
    }
    const hw = tags.highway;
    if (!hw) return NONE;
    const access = accessOf(tags, BIKE_KEYS);
    if (access === false) return NONE;
    let speed = BIKE_SPEEDS[hw];
    if (speed === undefined) {
      const push = BIKE_PUSH[hw];
      if (push === undefined) return access === true && hw !== 'motorway' ? speeds(15, 'both') : NONE;
      speed = access === true && hw !== 'steps' ? 15 : push;
    }
    if (tags.area === 'yes' && hw !== 'pedestrian') return NONE;
    const surface = tags.surface;
    if (surface && /^(gravel|dirt|ground|grass|sand|mud|unpaved|fine_gravel|compacted|pebblestone|cobblestone|sett)$/.test(surface)) {
      speed = Math.min(speed, 12);
    }
    // Contraflow cycling: oneway:bicycle=no or an opposite cycle lane opens the other direction.
    const contraflow = tags['oneway:bicycle'] === 'no'
      || /^opposite/.test(tags.cycleway ?? '')
      || /^opposite/.test(tags['cycleway:left'] ?? '') || /^opposite/.test(tags['cycleway:right'] ?? '')
      || tags['cycleway:left:oneway'] === '-1' || tags['cycleway:right:oneway'] === '-1'
      || tags['cycleway:both'] === 'lane' && tags['oneway:bicycle'] === 'no';
    const oneway = onewayOf(tags, ['oneway', 'oneway:bicycle'], impliedOneway(tags));
    return speeds(speed, contraflow && oneway !== 'closed' ? 'both' : oneway);
  },
  blockedByNode(tags) {
    const b = tags.barrier;
    if (!b) return false;
    const access = accessOf(tags, BIKE_KEYS);
    if (access !== undefined) return !access;
    return BIKE_BLOCKING_BARRIERS.has(b);
  },
};

const BIKE_BLOCKING_BARRIERS = new Set(['wall', 'fence', 'stile', 'turnstile', 'full-height_turnstile', 'kissing_gate', 'hedge', 'retaining_wall', 'city_wall', 'ditch']);

const FOOT_HIGHWAYS = new Set([
  'footway', 'pedestrian', 'path', 'steps', 'living_street', 'residential', 'service', 'track', 'unclassified',
  'tertiary', 'tertiary_link', 'secondary', 'secondary_link', 'primary', 'primary_link', 'trunk', 'trunk_link',
  'road', 'cycleway', 'bridleway', 'platform', 'corridor', 'elevator',
]);
const FOOT_KEYS = ['access', 'foot'] as const;

export const footProfile: RoutingProfile = {
  name: 'foot',
  mode: 'walking',
  restrictionKeys: [],
  exceptValues: [],
  waySpeeds(tags) {
    if (tags.route === 'ferry') {
      if (accessOf(tags, ['foot']) === false) return NONE;
      return speeds(ferrySpeed(tags), 'both');
    }
    const hw = tags.highway;
    if (!hw) return NONE;
    const access = accessOf(tags, FOOT_KEYS);
    if (access === false) return NONE;
    if (!FOOT_HIGHWAYS.has(hw) && access !== true) return NONE;
    if (tags.sidewalk === 'separate' && (hw === 'primary' || hw === 'trunk')) return speeds(5, 'both');
    return speeds(hw === 'steps' ? 3 : 5, onewayOf(tags, ['oneway:foot'], false));
  },
  blockedByNode(tags) {
    const b = tags.barrier;
    if (!b) return false;
    const access = accessOf(tags, FOOT_KEYS);
    if (access !== undefined) return !access;
    return FOOT_BLOCKING_BARRIERS.has(b);
  },
};

const FOOT_BLOCKING_BARRIERS = new Set(['wall', 'fence', 'hedge', 'retaining_wall', 'city_wall', 'ditch']);

function ferrySpeed(tags: OsmTags): number {
  // A ferry's speed is unknown; `duration` would need the length, which the caller
  // does not have here. Slow and constant keeps ferries a last resort.
  return tags.duration ? 10 : 8;
}

export const ROUTING_PROFILES: Record<ProfileName, RoutingProfile> = {
  car: carProfile,
  bicycle: bicycleProfile,
  foot: footProfile,
};

/** OSRM URL profile names → ours. */
export const PROFILE_ALIASES: Record<string, ProfileName> = {
  car: 'car', driving: 'car', bicycle: 'bicycle', cycling: 'bicycle', bike: 'bicycle', foot: 'foot', walking: 'foot',
};
