/**
 * Waypoint hints as OSRM uses them: an opaque base64 string that encodes where
 * a coordinate was snapped (OSRM: its PhantomNode), sent back by clients with
 * the same coordinate so that the server skips the search. Ours holds the
 * snapped edge, position and directions, the input coordinate and a checksum
 * of the graph and profile; a hint is used only when the checksum matches (same
 * graph, same profile) and the coordinate is the one it was made for (within
 * 1 m), as OSRM checks it. Base64url like OSRM's.
 */
import type { Snap } from './segment_index.js';

const VERSION = 1;
const SIZE = 1 + 4 + 4 + 4 + 8 * 5 + 1;
/** OSRM takes a hint when the coordinate is within this of the one it was made for. */
const SAME_COORDINATE_M = 1;

export interface HintInput {
  snap: Snap;
  /** The coordinate the client sent. */
  lon: number;
  lat: number;
}

/** FNV-1a of a string: a cheap, stable identity of the graph and profile. */
export function hintChecksum(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function encodeHint(h: HintInput, checksum: number): string {
  const b = Buffer.alloc(SIZE);
  let o = b.writeUInt8(VERSION, 0);
  o = b.writeUInt32LE(checksum >>> 0, o);
  o = b.writeUInt32LE(h.snap.edge, o);
  o = b.writeUInt32LE(h.snap.coord, o);
  o = b.writeDoubleLE(h.snap.fraction, o);
  o = b.writeDoubleLE(h.snap.lon, o);
  o = b.writeDoubleLE(h.snap.lat, o);
  o = b.writeDoubleLE(h.lon, o);
  o = b.writeDoubleLE(h.lat, o);
  b.writeUInt8(h.snap.directions, o);
  return b.toString('base64url');
}

function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const k = Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180));
  return Math.hypot((lon2 - lon1) * k, lat2 - lat1) * 111_195;
}

/**
 * The snap a hint holds, for the coordinate it was made for; undefined when the
 * hint is malformed, from another graph or profile, or for another coordinate.
 */
export function decodeHint(hint: string, o: { checksum: number; lon: number; lat: number; edgeCount: number }): Snap | undefined {
  const b = Buffer.from(hint.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
  if (b.length !== SIZE || b.readUInt8(0) !== VERSION || b.readUInt32LE(1) !== o.checksum) return undefined;
  const edge = b.readUInt32LE(5), coord = b.readUInt32LE(9);
  const [fraction, lon, lat, inLon, inLat] = [13, 21, 29, 37, 45].map((at) => b.readDoubleLE(at));
  const directions = b.readUInt8(53);
  if (edge >= o.edgeCount || !(fraction >= 0 && fraction <= 1) || ![lon, lat, inLon, inLat].every(Number.isFinite)) return undefined;
  if (metres(inLon, inLat, o.lon, o.lat) > SAME_COORDINATE_M) return undefined;
  return { edge, coord, fraction, lon, lat, directions, distance: metres(o.lon, o.lat, lon, lat) };
}
