/**
 * The OSRM v1 services (route, nearest, table, trip) over a Router, independent of HTTP:
 * options in, OSRM JSON out, OsrmError for anything OSRM would refuse. The general
 * options bearings, approaches and exclude constrain snapping and routing.
 */
import { addInstructions } from './instructions.js';
import { encodeGeometry, simplify, type GeometryFormat } from './osrm_geometry.js';
import {
  OsrmError, annotationsOption, approachesOption, bearingsOption, boolOption, enumOption, excludeOption, indexListOption, intOption,
  parseCoordinates, radiusesOption,
} from './osrm_params.js';
import { PROFILE_CLASSES, arcClasses, classNames, excludeMask } from './road_classes.js';
import { buildSteps, segmentDistances, type OsrmStep } from './route_steps.js';
import type { LegPath, PathPiece, Router } from './router.js';
import { PROFILE_ALIASES, ROUTING_PROFILES, type ProfileName } from './routing_profiles.js';
import type { Snap } from './segment_index.js';
import type { SnapConstraint } from './snap_filter.js';
import { tripOrder } from './trip_order.js';
import { decodeHint, encodeHint, hintChecksum } from './osrm_hint.js';

export interface OsrmLimits {
  maxRouteCoordinates: number;
  maxTripCoordinates: number;
  maxTableCoordinates: number;
  maxNearestResults: number;
  maxAlternatives: number;
}

/** OSRM's defaults (osrm-routed --max-viaroute-size 500, --max-trip-size 100, --max-table-size 100, --max-alternatives 3); nearest is unlimited there. */
export const DEFAULT_OSRM_LIMITS: OsrmLimits = { maxRouteCoordinates: 500, maxTripCoordinates: 100, maxTableCoordinates: 100, maxNearestResults: 100, maxAlternatives: 3 };

type Query = Record<string, unknown>;

/** OSRM's general options that shape snapping and the answer rather than the search. */
interface GeneralOptions {
  /** `generate_hints` (default true): waypoints carry a `hint` (./osrm_hint.ts). */
  hints: boolean;
  /** `hints=…;…`: per coordinate, a hint of an earlier answer ('' = none). */
  given: string[];
  /** `skip_waypoints` (default false): no waypoints (route) or sources/destinations (table) in the answer. */
  skipWaypoints: boolean;
  /** `snapping=default` prefers the main road network; `any` takes the nearest road even on a small island of the graph. */
  mainNetwork: boolean;
}

function generalOptions(query: Query): GeneralOptions {
  return {
    hints: boolOption(query, 'generate_hints', true),
    given: typeof query.hints === 'string' ? query.hints.split(';') : [],
    skipWaypoints: boolOption(query, 'skip_waypoints', false),
    mainNetwork: enumOption(query, 'snapping', ['default', 'any'], 'default') === 'default',
  };
}
const LANGS = ['fr', 'de', 'en', 'nl', 'it', 'es'];

/** The options that shape a route object (route and trip). */
interface RouteFormat {
  steps: boolean;
  geometries: GeometryFormat;
  overview: string;
  annotations: string[];
  lang?: string;
}

function routeFormatOptions(query: Query): RouteFormat {
  return {
    steps: boolOption(query, 'steps', false),
    geometries: enumOption<GeometryFormat>(query, 'geometries', ['polyline', 'polyline6', 'geojson'], 'polyline'),
    overview: enumOption(query, 'overview', ['simplified', 'full', 'false'], 'simplified'),
    annotations: annotationsOption(query, ['distance', 'duration', 'nodes', 'speed', 'weight', 'datasources'], []),
    lang: query.lang === undefined ? undefined : enumOption(query, 'lang', LANGS, 'en'),
  };
}

export class OsrmService {
  constructor(readonly router: Router, readonly limits: OsrmLimits = DEFAULT_OSRM_LIMITS) {}

  private profileOf(name: string): ProfileName {
    const p = PROFILE_ALIASES[name];
    if (!p || !this.router.data.profiles.has(p)) {
      const have = [...this.router.data.profiles.keys()].join(', ');
      throw new OsrmError('InvalidQuery', `Unknown profile "${name}"; this server routes: ${have} (aliases driving, cycling, bike, walking)`);
    }
    return p;
  }

  /** Per-coordinate snapping constraints and the excluded class bits, from bearings, approaches and exclude. */
  private constraints(profile: ProfileName, count: number, query: Query): { each: SnapConstraint[]; exclude: number } {
    const bearings = bearingsOption(query, count);
    const approaches = approachesOption(query, count);
    const exclude = excludeMask(profile, excludeOption(query));
    if (exclude === null) {
      const can = PROFILE_CLASSES[profile];
      throw new OsrmError('InvalidValue', `Exclude flag combination is not supported. The ${profile} profile can exclude ${can.length ? can.join(', ') : 'no class'}`);
    }
    return { each: bearings.map((bearing, i) => ({ bearing, approach: approaches[i], exclude })), exclude };
  }

  /** The snap a client's hint holds for coordinate i, when it may stand for a search (no constraint on that coordinate). */
  private hinted(profile: ProfileName, hint: string | undefined, at: { lon: number; lat: number; constraint: SnapConstraint }): Snap | undefined {
    const c = at.constraint;
    if (!hint || c.bearing !== undefined || c.approach === 'curb' || (c.exclude ?? 0) !== 0) return undefined;
    return decodeHint(hint, { checksum: this.checksumOf(profile), lon: at.lon, lat: at.lat, edgeCount: this.router.data.network.edgeCount });
  }

  private checksumOf(profile: ProfileName): number {
    const net = this.router.data.network;
    return hintChecksum(`${profile}|${net.nodeCount}|${net.edgeCount}|${JSON.stringify(this.router.data.meta)}`);
  }

  private snapAll(profile: ProfileName, coords: Array<[number, number]>, each: { radiuses: Array<number | undefined>; constraints: SnapConstraint[]; mainNetwork: boolean; hints?: string[] }): Snap[] {
    const { radiuses, constraints, mainNetwork } = each;
    if (each.hints && each.hints.length > 0 && each.hints.length !== coords.length) {
      throw new OsrmError('InvalidOptions', `Number of hints (${each.hints.length}) does not match the number of coordinates (${coords.length})`);
    }
    return coords.map(([lon, lat], i) => {
      const snap = this.hinted(profile, each.hints?.[i], { lon, lat, constraint: constraints[i] }) ?? this.router.snap(profile, lon, lat, { mainNetwork, constraint: constraints[i] })[0];
      const radius = radiuses[i];
      if (!snap || (radius !== undefined && snap.distance > radius)) {
        throw new OsrmError('NoSegment', `Could not find a matching segment for coordinate ${i}`);
      }
      return snap;
    });
  }

  private waypoint(s: Snap, o: { hints: boolean; profile: ProfileName; input: [number, number] }): Record<string, unknown> {
    const net = this.router.data.network;
    const hint = o.hints ? { hint: encodeHint({ snap: s, lon: o.input[0], lat: o.input[1] }, this.checksumOf(o.profile)) } : {};
    return { ...hint, distance: round(s.distance, 3), name: net.strings[net.edgeName[s.edge]] ?? '', location: [round(s.lon, 6), round(s.lat, 6)] };
  }

  route(profileName: string, coordText: string, query: Query): Record<string, unknown> {
    const profile = this.profileOf(profileName);
    const coords = parseCoordinates(coordText);
    if (coords.length < 2) throw new OsrmError('InvalidQuery', 'A route needs at least two coordinates');
    if (coords.length > this.limits.maxRouteCoordinates) {
      throw new OsrmError('TooBig', `Too many coordinates (${coords.length}); at most ${this.limits.maxRouteCoordinates} per route`);
    }
    const format = routeFormatOptions(query);
    const altRaw = query.alternatives;
    const alternatives = altRaw === 'true' ? 1 : altRaw === undefined || altRaw === 'false' ? 0 : intOption(query, 'alternatives', 0, 0, this.limits.maxAlternatives);
    // Accepted for compatibility; u-turns at via points are not modelled, so it changes nothing.
    boolOption(query, 'continue_straight', false);
    const radiuses = radiusesOption(query, coords.length);
    const { each, exclude } = this.constraints(profile, coords.length, query);
    const general = generalOptions(query);
    const waypointIdx = waypointsOption(query, coords.length);
    const snaps = this.snapAll(profile, coords, { radiuses, constraints: each, mainNetwork: general.mainNetwork, hints: general.given });

    const legs: LegPath[][] = [];
    for (let i = 0; i + 1 < snaps.length; i++) {
      const found = this.router.leg(profile, snaps[i], snaps[i + 1], { alternatives: snaps.length === 2 ? alternatives : 0, exclude });
      if (found.length === 0) throw new OsrmError('NoRoute', 'Impossible route between points');
      legs.push(found);
    }
    const routeCount = legs.length === 1 ? legs[0].length : 1;
    const routes = [];
    for (let r = 0; r < routeCount; r++) {
      const legPaths = legs.map((l) => l[Math.min(r, l.length - 1)]);
      routes.push(this.formatRoute(profile, mergeViaLegs(legPaths, waypointIdx), format));
    }
    const out: Record<string, unknown> = { code: 'Ok', routes };
    if (!general.skipWaypoints) out.waypoints = (waypointIdx ?? snaps.map((_, i) => i)).map((i) => this.waypoint(snaps[i], { hints: general.hints, profile, input: coords[i] }));
    return out;
  }

  /** A route object as OSRM formats it, one leg per path (route and trip answers). */
  private formatRoute(profile: ProfileName, legPaths: LegPath[], o: RouteFormat): Record<string, unknown> {
    const mode = ROUTING_PROFILES[profile].mode;
    const all: Array<[number, number]> = [];
    const net = this.router.data.network;
    const stepCtx = {
      network: net,
      nodeDegree: this.router.nodeDegree,
      mode,
      classesOf: (p: PathPiece): string[] => classNames(profile, arcClasses(net.edgeClasses, 2 * p.edge + (p.forward ? 0 : 1))),
    };
    const legs = legPaths.map((leg) => {
      const legCoords: Array<[number, number]> = [];
      for (const p of leg.pieces) {
        for (let i = legCoords.length === 0 ? 0 : 1; i < p.coords.length; i++) legCoords.push(p.coords[i]);
      }
      for (let i = all.length === 0 ? 0 : 1; i < legCoords.length; i++) all.push(legCoords[i]);
      const out: Record<string, unknown> = {
        steps: o.steps ? buildSteps(leg.pieces, stepCtx) : [],
        summary: this.summaryOf(leg),
        weight: round(leg.duration, 1),
        duration: round(leg.duration, 1),
        distance: round(leg.distance, 1),
      };
      if (o.annotations.length) out.annotation = this.annotation(leg, legCoords, o.annotations);
      return out;
    });
    if (o.lang && o.steps) addInstructions(legs as unknown as Array<{ steps: OsrmStep[] }>, o.lang);
    if (o.steps) {
      for (const l of legs) for (const s of l.steps as OsrmStep[]) (s as unknown as Record<string, unknown>).geometry = encodeGeometry(s.geometry, o.geometries);
    }
    const duration = legPaths.reduce((a, l) => a + l.duration, 0);
    const distance = legPaths.reduce((a, l) => a + l.distance, 0);
    const route: Record<string, unknown> = {
      legs,
      weight_name: 'duration',
      weight: round(duration, 1),
      duration: round(duration, 1),
      distance: round(distance, 1),
    };
    if (o.overview !== 'false') route.geometry = encodeGeometry(o.overview === 'full' ? all : simplify(all), o.geometries);
    return route;
  }

  /** OSRM's leg summary: the two roads the leg follows longest, in route order. */
  private summaryOf(leg: LegPath): string {
    const net = this.router.data.network;
    const runs: Array<{ name: string; distance: number; i: number }> = [];
    for (const p of leg.pieces) {
      const name = net.strings[net.edgeName[p.edge]] ?? '';
      const last = runs[runs.length - 1];
      if (last && last.name === name) last.distance += p.distance;
      else runs.push({ name, distance: p.distance, i: runs.length });
    }
    const top = runs.filter((r) => r.name).sort((a, b) => b.distance - a.distance).slice(0, 2).sort((a, b) => a.i - b.i);
    return [...new Set(top.map((r) => r.name))].join(', ');
  }

  private annotation(leg: LegPath, legCoords: Array<[number, number]>, wanted: string[]): Record<string, unknown> {
    const segDur: number[] = [];
    for (const p of leg.pieces) {
      const seg = segmentDistances(p.coords);
      const plen = seg.reduce((a, b) => a + b, 0);
      for (let i = 0; i < seg.length; i++) segDur.push(plen > 0 ? (p.duration * seg[i]) / plen : 0);
    }
    const dist = segmentDistances(legCoords);
    const ann: Record<string, unknown> = {};
    if (wanted.includes('distance')) ann.distance = dist.map((d) => round(d, 1));
    if (wanted.includes('duration')) ann.duration = segDur.map((d) => round(d, 1));
    if (wanted.includes('speed')) ann.speed = dist.map((d, i) => (segDur[i] > 0 ? round(d / segDur[i], 1) : 0));
    if (wanted.includes('nodes')) ann.nodes = this.legNodes(leg);
    // our weight is the duration (weight_name "duration"); one data source (OSRM: 0 = the profile's own speeds)
    if (wanted.includes('weight')) ann.weight = segDur.map((d) => round(d, 1));
    if (wanted.includes('datasources')) ann.datasources = dist.map(() => 0);
    return ann;
  }

  /** OSM ids of the junctions the leg passes (the graph keeps junctions only). */
  private legNodes(leg: LegPath): number[] {
    const net = this.router.data.network;
    const ids: number[] = [];
    for (const p of leg.pieces.slice(0, -1)) ids.push(net.nodeOsmId[p.forward ? net.edgeTo[p.edge] : net.edgeFrom[p.edge]]);
    return ids;
  }

  nearest(profileName: string, coordText: string, query: Query): Record<string, unknown> {
    const profile = this.profileOf(profileName);
    const coords = parseCoordinates(coordText);
    if (coords.length !== 1) throw new OsrmError('InvalidQuery', 'nearest takes exactly one coordinate');
    const number = intOption(query, 'number', 1, 1, this.limits.maxNearestResults);
    const { each } = this.constraints(profile, 1, query);
    const general = generalOptions(query);
    // nearest answers the nearest roads, islands included, whatever `snapping` says
    const snaps = this.router.snap(profile, coords[0][0], coords[0][1], { count: number, constraint: each[0] });
    if (snaps.length === 0) throw new OsrmError('NoSegment', 'Could not find a matching segment for coordinate 0');
    const net = this.router.data.network;
    return {
      code: 'Ok',
      waypoints: snaps.map((s) => ({ ...this.waypoint(s, { hints: general.hints, profile, input: coords[0] }), nodes: [net.nodeOsmId[net.edgeFrom[s.edge]], net.nodeOsmId[net.edgeTo[s.edge]]] })),
    };
  }

  table(profileName: string, coordText: string, query: Query): Record<string, unknown> {
    const profile = this.profileOf(profileName);
    const coords = parseCoordinates(coordText);
    if (coords.length > this.limits.maxTableCoordinates) {
      throw new OsrmError('TooBig', `Too many table coordinates (${coords.length}); at most ${this.limits.maxTableCoordinates}`);
    }
    const sourcesIdx = indexListOption(query, 'sources', coords.length) ?? coords.map((_, i) => i);
    const destIdx = indexListOption(query, 'destinations', coords.length) ?? coords.map((_, i) => i);
    const annotations = annotationsOption(query, ['duration', 'distance'], ['duration']);
    if (query.annotations === 'false' || annotations.length === 0) throw new OsrmError('InvalidOptions', 'annotations must include duration or distance');
    const radiuses = radiusesOption(query, coords.length);
    const { each, exclude } = this.constraints(profile, coords.length, query);
    const general = generalOptions(query);
    const snaps = this.snapAll(profile, coords, { radiuses, constraints: each, mainNetwork: general.mainNetwork, hints: general.given });
    const res = this.router.table(profile, sourcesIdx.map((i) => snaps[i]), destIdx.map((i) => snaps[i]), { exclude });
    const out: Record<string, unknown> = { code: 'Ok' };
    if (!general.skipWaypoints) {
      out.sources = sourcesIdx.map((i) => this.waypoint(snaps[i], { hints: general.hints, profile, input: coords[i] }));
      out.destinations = destIdx.map((i) => this.waypoint(snaps[i], { hints: general.hints, profile, input: coords[i] }));
    }
    if (annotations.includes('duration')) out.durations = res.durations;
    if (annotations.includes('distance')) out.distances = res.distances;
    return out;
  }

  /**
   * OSRM's trip: the order of visit from the duration table (trip_order.ts), then
   * one leg per consecutive pair, back to the start on a roundtrip. Waypoints stay
   * in input order and give their place in the trip.
   */
  trip(profileName: string, coordText: string, query: Query): Record<string, unknown> {
    const profile = this.profileOf(profileName);
    const coords = parseCoordinates(coordText);
    const format = routeFormatOptions(query);
    const roundtrip = boolOption(query, 'roundtrip', true);
    const fixedStart = enumOption(query, 'source', ['any', 'first'], 'any') === 'first';
    const fixedEnd = enumOption(query, 'destination', ['any', 'last'], 'any') === 'last';
    const radiuses = radiusesOption(query, coords.length);
    const { each, exclude } = this.constraints(profile, coords.length, query);
    const general = generalOptions(query);
    if (coords.length < 2) throw new OsrmError('InvalidOptions', 'Number of coordinates needs to be at least two.');
    if (!roundtrip && !(fixedStart && fixedEnd)) {
      throw new OsrmError('NotImplemented', 'This request is not supported: roundtrip=false needs source=first and destination=last');
    }
    if (coords.length > this.limits.maxTripCoordinates) {
      throw new OsrmError('TooBig', `Too many trip coordinates (${coords.length}); at most ${this.limits.maxTripCoordinates}`);
    }
    const snaps = this.snapAll(profile, coords, { radiuses, constraints: each, mainNetwork: general.mainNetwork, hints: general.given });
    const { durations } = this.router.table(profile, snaps, snaps, { exclude });
    if (durations.some((row) => row.some((d) => d === null))) throw new OsrmError('NoTrips', 'No trip visiting all destinations possible.');
    const order = tripOrder(durations as number[][], { roundtrip, fixedStart, fixedEnd });
    const stops = roundtrip ? [...order, order[0]] : order;
    const legs: LegPath[] = [];
    for (let i = 0; i + 1 < stops.length; i++) {
      const found = this.router.leg(profile, snaps[stops[i]], snaps[stops[i + 1]], { exclude });
      if (found.length === 0) throw new OsrmError('NoTrips', 'No trip visiting all destinations possible.');
      legs.push(found[0]);
    }
    const out: Record<string, unknown> = { code: 'Ok', trips: [this.formatRoute(profile, legs, format)] };
    if (!general.skipWaypoints) {
      const place = new Array<number>(snaps.length);
      order.forEach((input, k) => (place[input] = k));
      out.waypoints = snaps.map((s, i) => ({ ...this.waypoint(s, { hints: general.hints, profile, input: coords[i] }), waypoint_index: place[i], trips_index: 0 }));
    }
    return out;
  }
}

/**
 * `waypoints=0;3;5` (route): the coordinates that end legs; the others are via points
 * the route passes without a leg break. OSRM requires the first and the last.
 */
function waypointsOption(query: Query, count: number): number[] | undefined {
  const idx = indexListOption(query, 'waypoints', count);
  if (!idx) return undefined;
  if (idx[0] !== 0 || idx[idx.length - 1] !== count - 1) throw new OsrmError('InvalidValue', 'First and last coordinates must be specified as waypoints.');
  for (let i = 1; i < idx.length; i++) {
    if (idx[i] <= idx[i - 1]) throw new OsrmError('InvalidValue', 'Waypoints must be given in increasing order, each once.');
  }
  return idx;
}

/** Legs between consecutive coordinates joined into one leg per pair of consecutive waypoints. */
function mergeViaLegs(legs: LegPath[], waypoints: number[] | undefined): LegPath[] {
  if (!waypoints) return legs;
  const out: LegPath[] = [];
  for (let w = 0; w + 1 < waypoints.length; w++) {
    const part = legs.slice(waypoints[w], waypoints[w + 1]);
    out.push({
      weight: part.reduce((a, l) => a + l.weight, 0),
      distance: part.reduce((a, l) => a + l.distance, 0),
      duration: part.reduce((a, l) => a + l.duration, 0),
      pieces: joinPieces(part.flatMap((l) => l.pieces)),
    });
  }
  return out;
}

/** Consecutive pieces on one edge the same way (a via point inside an edge) made one, as if no leg had ended there. */
function joinPieces(pieces: PathPiece[]): PathPiece[] {
  const out: PathPiece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.edge === p.edge && last.forward === p.forward) {
      out[out.length - 1] = { ...last, coords: [...last.coords, ...p.coords.slice(1)], distance: last.distance + p.distance, duration: last.duration + p.duration };
    } else out.push(p);
  }
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
