/**
 * Parsing of OSRM v1 URL parts and query options, failing with OSRM's own codes.
 */
import { polyline } from './polyline.js';
import type { Approach, BearingFilter } from './snap_filter.js';

export type OsrmErrorCode =
  | 'InvalidUrl' | 'InvalidQuery' | 'InvalidOptions' | 'InvalidValue' | 'InvalidService' | 'NoSegment' | 'NoRoute' | 'TooBig' | 'NoTable'
  | 'NotImplemented' | 'NoTrips';

/** An error answered as OSRM does: `{ code, message }` with status 400. */
export class OsrmError extends Error {
  constructor(readonly code: OsrmErrorCode, message: string) {
    super(message);
    this.name = 'OsrmError';
  }
}

export function parseCoordinates(text: string): Array<[number, number]> {
  const m = /^polyline(6?)\((.+)\)$/.exec(text);
  if (m) {
    try {
      return polyline.decode(decodeURIComponent(m[2]), m[1] ? 6 : 5);
    } catch {
      throw new OsrmError('InvalidUrl', 'Coordinates polyline could not be decoded');
    }
  }
  const parts = text.split(';');
  return parts.map((p, i) => {
    const xy = p.split(',');
    const lon = Number(xy[0]);
    const lat = Number(xy[1]);
    if (xy.length !== 2 || xy[0] === '' || xy[1] === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      throw new OsrmError('InvalidUrl', `URL string malformed close to coordinate ${i}: expected lon,lat`);
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      throw new OsrmError('InvalidQuery', `Coordinate ${i} is outside the valid range (lon -180..180, lat -90..90)`);
    }
    return [lon, lat];
  });
}

export function boolOption(query: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = query[key];
  if (v === undefined) return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new OsrmError('InvalidOptions', `Option ${key} must be true or false, got ${JSON.stringify(v)}`);
}

export function enumOption<T extends string>(query: Record<string, unknown>, key: string, values: readonly T[], fallback: T): T {
  const v = query[key];
  if (v === undefined) return fallback;
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  throw new OsrmError('InvalidOptions', `Option ${key} must be one of ${values.join('|')}, got ${JSON.stringify(v)}`);
}

export function intOption(query: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const v = query[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min || n > max) {
    throw new OsrmError('InvalidOptions', `Option ${key} must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** `sources=0;2` / `destinations=all` → indices (undefined = all). */
export function indexListOption(query: Record<string, unknown>, key: string, count: number): number[] | undefined {
  const v = query[key];
  if (v === undefined || v === 'all') return undefined;
  if (typeof v !== 'string') throw new OsrmError('InvalidOptions', `Option ${key} must be "all" or indices separated by ;`);
  return v.split(';').map((s) => {
    const n = Number(s);
    if (s === '' || !Number.isInteger(n) || n < 0 || n >= count) {
      throw new OsrmError('InvalidOptions', `Option ${key}: ${JSON.stringify(s)} is not a coordinate index (0..${count - 1})`);
    }
    return n;
  });
}

/** `annotations=true|false|distance,duration,nodes,speed`. */
export function annotationsOption(query: Record<string, unknown>, allowed: readonly string[], fallback: string[]): string[] {
  const v = query.annotations;
  if (v === undefined || v === 'false') return v === 'false' ? [] : fallback;
  if (v === 'true') return [...allowed];
  if (typeof v !== 'string') throw new OsrmError('InvalidOptions', 'Option annotations must be a list');
  const list = v.split(',');
  for (const a of list) if (!allowed.includes(a)) throw new OsrmError('InvalidOptions', `Unknown annotation ${JSON.stringify(a)}; allowed: ${allowed.join(',')}`);
  return list;
}

/** `radiuses=50;unlimited;…` → metres per coordinate (undefined = default). */
export function radiusesOption(query: Record<string, unknown>, count: number): Array<number | undefined> {
  const v = query.radiuses;
  if (v === undefined) return new Array(count).fill(undefined);
  const parts = String(v).split(';');
  if (parts.length !== count) throw new OsrmError('InvalidOptions', `Number of radiuses (${parts.length}) does not match the number of coordinates (${count})`);
  return parts.map((p) => {
    if (p === '' || p === 'unlimited') return undefined;
    const n = Number(p);
    if (!Number.isFinite(n) || n < 0) throw new OsrmError('InvalidOptions', `Radius ${JSON.stringify(p)} is not a distance in metres`);
    return n;
  });
}

/**
 * The items of a per-coordinate option (`a;b;;c`), or undefined when absent. OSRM
 * fails a malformed list with InvalidQuery and a count other than the coordinates'
 * with InvalidOptions.
 */
function perCoordinate(query: Record<string, unknown>, key: string, count: number): string[] | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new OsrmError('InvalidQuery', `Option ${key} is given more than once`);
  const parts = v.split(';');
  if (parts.length !== count) {
    throw new OsrmError('InvalidOptions', `Number of ${key} (${parts.length}) does not match the number of coordinates (${count})`);
  }
  return parts;
}

const SHORT = /^[+-]?\d{1,5}$/;

/** `bearings={value},{range};…` (an empty item = no constraint): value 0–360, range 0–180 degrees. */
export function bearingsOption(query: Record<string, unknown>, count: number): Array<BearingFilter | undefined> {
  const parts = perCoordinate(query, 'bearings', count);
  if (!parts) return new Array(count).fill(undefined);
  const parsed = parts.map((p) => {
    if (p === '') return undefined;
    const [a, b, ...rest] = p.split(',');
    const value = Number(a);
    const range = Number(b);
    // OSRM reads two shorts: anything else is a malformed query, not a bad value.
    if (rest.length || !SHORT.test(a) || b === undefined || !SHORT.test(b) || Math.abs(value) > 32767 || Math.abs(range) > 32767) {
      throw new OsrmError('InvalidQuery', `Bearing ${JSON.stringify(p)} is malformed: expected {value},{range} in whole degrees`);
    }
    return { value, range };
  });
  parsed.forEach((f, i) => {
    if (f && (f.value < 0 || f.value > 360 || f.range < 0 || f.range > 180)) {
      throw new OsrmError('InvalidOptions', `Bearing ${i} (${f.value},${f.range}) is out of range: the value must be 0–360 and the range 0–180 degrees`);
    }
  });
  return parsed;
}

/** `approaches=curb|unrestricted;…` (an empty item = unrestricted). OSRM v5 knows no other value. */
export function approachesOption(query: Record<string, unknown>, count: number): Array<Approach | undefined> {
  const parts = perCoordinate(query, 'approaches', count);
  if (!parts) return new Array(count).fill(undefined);
  return parts.map((p) => {
    if (p === '') return undefined;
    if (p === 'curb' || p === 'unrestricted') return p;
    throw new OsrmError('InvalidQuery', `Approach ${JSON.stringify(p)} is not supported: use curb or unrestricted`);
  });
}

/** `exclude=class,class` → the class names (whether the profile has them is the caller's check). */
export function excludeOption(query: Record<string, unknown>): string[] {
  const v = query.exclude;
  if (v === undefined) return [];
  if (typeof v !== 'string' || !/^[a-zA-Z]+(,[a-zA-Z]+)*$/.test(v)) {
    throw new OsrmError('InvalidQuery', 'Option exclude must be a list of class names separated by commas (e.g. exclude=motorway,toll)');
  }
  return v.split(',');
}
