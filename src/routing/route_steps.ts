/**
 * OSRM route steps from the pieces of a leg: a new step where the road name
 * changes, at a turn of a road that goes on at a junction ("continue"), at ramps,
 * and around roundabouts (entry maneuver with the exit number, then "exit
 * roundabout"); ferries are steps of mode `ferry`. Modifiers come from the angle
 * between the bearings before and after the maneuver point.
 */
import type { QueryNetwork } from './routing_data.js';
import { EDGE_FERRY, EDGE_LINK, EDGE_MOTORWAY, EDGE_ROUNDABOUT } from './road_network.js';
import type { PathPiece } from './router.js';
import { bearing, haversine } from './geo_math.js';

export interface OsrmManeuver {
  type: string;
  modifier?: string;
  bearing_before: number;
  bearing_after: number;
  location: [number, number];
  exit?: number;
  instruction?: string;
}

export interface OsrmStep {
  distance: number;
  duration: number;
  weight: number;
  name: string;
  ref?: string;
  mode: string;
  driving_side: 'right';
  geometry: Array<[number, number]>;
  maneuver: OsrmManeuver;
  intersections: Array<{ location: [number, number]; bearings: number[]; entry: boolean[]; in?: number; out?: number; classes?: string[] }>;
}

export interface StepContext {
  network: QueryNetwork;
  nodeDegree: Uint16Array;
  mode: string;
  /** OSRM road classes of the road a piece travels (listed at the intersection it leaves from). */
  classesOf?: (p: PathPiece) => string[];
}

export function modifierOf(angle: number): string {
  const a = Math.abs(angle);
  if (a < 20) return 'straight';
  if (a > 170) return 'uturn';
  const side = angle > 0 ? 'right' : 'left';
  if (a < 60) return `slight ${side}`;
  if (a < 140) return side;
  return `sharp ${side}`;
}

function firstBearing(c: Array<[number, number]>): number {
  for (let i = 1; i < c.length; i++) {
    if (c[i][0] !== c[0][0] || c[i][1] !== c[0][1]) return Math.round(bearing(c[0][0], c[0][1], c[i][0], c[i][1]));
  }
  return 0;
}
function lastBearing(c: Array<[number, number]>): number {
  const l = c.length - 1;
  for (let i = l - 1; i >= 0; i--) {
    if (c[i][0] !== c[l][0] || c[i][1] !== c[l][1]) return Math.round(bearing(c[i][0], c[i][1], c[l][0], c[l][1]));
  }
  return 0;
}

export function buildSteps(pieces: PathPiece[], ctx: StepContext): OsrmStep[] {
  const net = ctx.network;
  const nameOf = (p: PathPiece): string => net.strings[net.edgeName[p.edge]] ?? '';
  const refOf = (p: PathPiece): string => net.strings[net.edgeRef[p.edge]] ?? '';
  const flags = (p: PathPiece): number => net.edgeFlags[p.edge];
  const steps: OsrmStep[] = [];
  const newStep = (p: PathPiece, maneuver: OsrmManeuver): OsrmStep => {
    const s: OsrmStep = {
      distance: 0, duration: 0, weight: 0, name: nameOf(p), mode: (flags(p) & EDGE_FERRY) !== 0 ? 'ferry' : ctx.mode, driving_side: 'right',
      geometry: [maneuver.location], maneuver,
      intersections: [{ location: maneuver.location, bearings: [], entry: [] }],
    };
    const ref = refOf(p);
    if (ref) s.ref = ref;
    const inter = s.intersections[0];
    if (maneuver.type === 'depart') {
      inter.bearings = [maneuver.bearing_after];
      inter.entry = [true];
      inter.out = 0;
    } else {
      inter.bearings = [(maneuver.bearing_before + 180) % 360, maneuver.bearing_after];
      inter.entry = [false, true];
      inter.in = 0;
      inter.out = 1;
    }
    const classes = ctx.classesOf?.(p) ?? [];
    if (classes.length && maneuver.type !== 'arrive') inter.classes = classes;
    steps.push(s);
    return s;
  };
  const append = (s: OsrmStep, p: PathPiece): void => {
    for (let i = 1; i < p.coords.length; i++) s.geometry.push(p.coords[i]);
    s.distance += p.distance;
    s.duration += p.duration;
  };
  if (pieces.length === 0) return [];
  const first = pieces[0];
  let cur = newStep(first, { type: 'depart', bearing_before: 0, bearing_after: firstBearing(first.coords), location: first.coords[0] });
  append(cur, first);
  let exits = 0;
  let roundabout: OsrmStep | null = null;
  for (let k = 1; k < pieces.length; k++) {
    const prev = pieces[k - 1];
    const p = pieces[k];
    const at = p.coords[0];
    const node = p.forward ? net.edgeFrom[p.edge] : net.edgeTo[p.edge];
    const degree = ctx.nodeDegree[node] ?? 2;
    const before = lastBearing(prev.coords);
    const after = firstBearing(p.coords);
    let angle = after - before;
    if (angle > 180) angle -= 360;
    if (angle <= -180) angle += 360;
    const m = (type: string, modifier?: string): OsrmManeuver => ({ type, ...(modifier ? { modifier } : {}), bearing_before: before, bearing_after: after, location: at });
    const rbPrev = (flags(prev) & EDGE_ROUNDABOUT) !== 0;
    const rbNext = (flags(p) & EDGE_ROUNDABOUT) !== 0;
    if (!rbPrev && rbNext) {
      exits = 0;
      cur = roundabout = newStep(p, m('roundabout', modifierOf(angle)));
    } else if (rbPrev && rbNext) {
      if (degree > 2) exits++;
    } else if (rbPrev && !rbNext) {
      exits++;
      if (roundabout) {
        roundabout.maneuver.exit = exits;
        roundabout.name = nameOf(p);
        const ref = refOf(p);
        if (ref) roundabout.ref = ref;
      }
      roundabout = null;
      cur = newStep(p, m('exit roundabout', modifierOf(angle)));
    } else {
      const nameChange = roadChanges({ name: nameOf(prev), ref: refOf(prev) }, { name: nameOf(p), ref: refOf(p) }) || ((flags(p) ^ flags(prev)) & EDGE_FERRY) !== 0;
      const linkNext = (flags(p) & EDGE_LINK) !== 0;
      const linkPrev = (flags(prev) & EDGE_LINK) !== 0;
      const mwPrev = (flags(prev) & EDGE_MOTORWAY) !== 0;
      const mwNext = (flags(p) & EDGE_MOTORWAY) !== 0;
      let type: string | null = null;
      if (linkNext && !linkPrev && mwPrev) type = 'off ramp';
      else if (linkNext && !linkPrev && !mwPrev && nameChange) type = 'on ramp';
      else if (linkPrev && mwNext && !linkNext) type = 'merge';
      else if (nameChange) type = degree <= 2 || Math.abs(angle) < 25 ? 'new name' : 'turn';
      else if (degree > 2 && Math.abs(angle) >= 40) type = 'continue';
      if (type) cur = newStep(p, m(type, modifierOf(angle)));
    }
    append(cur, p);
    if (!cur.ref && refOf(p)) cur.ref = refOf(p);
  }
  const last = pieces[pieces.length - 1];
  const end = last.coords[last.coords.length - 1];
  const arrive = newStep(last, { type: 'arrive', bearing_before: lastBearing(last.coords), bearing_after: 0, location: end });
  arrive.geometry.push(end);
  arrive.intersections = [{ location: end, bearings: [(arrive.maneuver.bearing_before + 180) % 360], entry: [true], in: 0 }];
  for (const s of steps) {
    s.distance = round1(s.distance);
    s.duration = round1(s.duration);
    s.weight = s.duration;
    // OSRM's coordinates are fixed-point at 1e-6 degrees: the same rounding as waypoints
    s.maneuver.location = roundLocation(s.maneuver.location);
    for (const i of s.intersections) i.location = roundLocation(i.location);
  }
  return steps;
}

/**
 * Whether going from one road to the next is announced (a new step), as OSRM's
 * guidance decides it: a change of name is; on one named road a ref that comes,
 * goes or changes (Breisacher Straße, K 9860 on some ways only) is not; on
 * unnamed roads a change between two refs is.
 */
export function roadChanges(from: { name: string; ref: string }, to: { name: string; ref: string }): boolean {
  if (from.name !== to.name) return true;
  if (from.name !== '') return false;
  return from.ref !== to.ref && from.ref !== '' && to.ref !== '';
}

function roundLocation(c: [number, number]): [number, number] {
  return [Math.round(c[0] * 1e6) / 1e6, Math.round(c[1] * 1e6) / 1e6];
}

/** Per-segment distances of a coordinate list (for annotations). */
export function segmentDistances(coords: Array<[number, number]>): number[] {
  const out: number[] = [];
  for (let i = 1; i < coords.length; i++) out.push(haversine(coords[i - 1][0], coords[i - 1][1], coords[i][0], coords[i][1]));
  return out;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
