/**
 * Joins lines of one tile layer that share end points and have identical
 * attributes (low zooms: a road made of 40 OSM ways becomes one feature, which
 * shrinks tiles and lets labels follow the whole road).
 *
 * Greedy, longest first: parts are taken by decreasing length; each seed is
 * extended at its tail, then at its head, always with the longest unused part
 * ending at that point, until none is left. At a junction of three or more parts
 * the long through-route thus wins and the short branch stays a separate part.
 * Works on integer tile coordinates after clipping; parts ending on the tile's
 * buffer edge simply find no partner there.
 */
import { slabInt32 } from './slab_alloc.js';
import type { TileGeometry } from './feature_tiler.js';
import { attrKey, type TileAttrs } from './attr_key.js';
import { simplify } from './simplify.js';

export interface LineMergeOptions {
  /** Drop merged lines shorter than this, in pixels of a 256 px tile. Default 0 (keep all). */
  minLength?: number;
  /** Douglas–Peucker tolerance applied to merged lines, in pixels of a 256 px tile. Default 0 (none). */
  tolerance?: number;
  /** Tile extent of the coordinates. Default 4096. */
  extent?: number;
}

export interface MergeableFeature {
  geometry: TileGeometry;
  attrs: TileAttrs;
  id?: number;
}

const OFFSET = 2 ** 20;
function pointKey(x: number, y: number): number {
  return (x + OFFSET) * 2 ** 21 + (y + OFFSET);
}

function partLength(p: Int32Array): number {
  let s = 0;
  for (let i = 0; i + 3 < p.length; i += 2) s += Math.hypot(p[i + 2] - p[i], p[i + 3] - p[i + 1]);
  return s;
}

function reversed(p: Int32Array): Int32Array {
  const r = slabInt32(p.length);
  for (let i = 0, j = p.length - 2; j >= 0; i += 2, j -= 2) {
    r[i] = p[j];
    r[i + 1] = p[j + 1];
  }
  return r;
}

function simplifyInt(p: Int32Array, sqTol: number): Int32Array {
  const s = simplify(p, sqTol)!;
  if (s.length === p.length) return p;
  const out = slabInt32(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s[i];
  return out;
}

/**
 * Merges line parts sharing end points (see the module comment); returns the
 * merged parts, longest first, those shorter than `minLength` (tile units) dropped.
 */
export function mergeLineParts(parts: readonly Int32Array[], minLength = 0): Int32Array[] {
  const n = parts.length;
  const lengths = new Float64Array(n);
  const ends = new Map<number, number[]>();
  const at = (k: number): number[] => {
    let l = ends.get(k);
    if (l === undefined) ends.set(k, (l = []));
    return l;
  };
  for (let i = 0; i < n; i++) {
    const p = parts[i];
    lengths[i] = partLength(p);
    if (p.length < 4) continue;
    at(pointKey(p[0], p[1])).push(i);
    const k2 = pointKey(p[p.length - 2], p[p.length - 1]);
    // A closed part registers once: it can join another line only through that point.
    if (k2 !== pointKey(p[0], p[1])) at(k2).push(i);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const used = new Uint8Array(n);

  /** The longest unused part with an end at (x, y), or -1. */
  const longestAt = (x: number, y: number): number => {
    const l = ends.get(pointKey(x, y));
    if (l === undefined) return -1;
    let best = -1;
    for (const i of l) if (used[i] === 0 && (best < 0 || lengths[i] > lengths[best])) best = i;
    return best;
  };

  const out: { part: Int32Array; length: number }[] = [];
  for (const seed of order) {
    if (used[seed] === 1 || parts[seed].length < 4) continue;
    used[seed] = 1;
    // Pieces in order; head pieces are collected separately and prepended.
    const tail: Int32Array[] = [parts[seed]];
    const head: Int32Array[] = [];
    let length = lengths[seed];
    const first = parts[seed];
    let hx = first[0], hy = first[1];
    let tx = first[first.length - 2], ty = first[first.length - 1];
    for (let grow = 0; grow < 2; grow++) {
      for (;;) {
        if (hx === tx && hy === ty) break; // closed: nothing more can attach cleanly
        const x = grow === 0 ? tx : hx, y = grow === 0 ? ty : hy;
        const next = longestAt(x, y);
        if (next < 0) break;
        used[next] = 1;
        length += lengths[next];
        let p = parts[next];
        const startsHere = p[0] === x && p[1] === y;
        if (grow === 0) {
          if (!startsHere) p = reversed(p);
          tail.push(p);
          tx = p[p.length - 2];
          ty = p[p.length - 1];
        } else {
          if (startsHere) p = reversed(p);
          head.push(p);
          hx = p[0];
          hy = p[1];
        }
      }
    }
    if (length < minLength) continue;
    const pieces = head.reverse().concat(tail);
    let total = 0;
    for (const p of pieces) total += p.length;
    const merged = slabInt32(total - 2 * (pieces.length - 1));
    let k = 0;
    pieces.forEach((p, i) => {
      // Each piece after the first starts with the previous one's last point.
      merged.set(i === 0 ? p : p.subarray(2), k);
      k += i === 0 ? p.length : p.length - 2;
    });
    out.push({ part: merged, length });
  }
  return out.sort((a, b) => b.length - a.length).map((o) => o.part);
}

/**
 * Merges the line features (type 2) of one layer that have identical attributes:
 * one feature per attribute set, holding the merged parts; its other fields come
 * from the group's first feature, without `id` when several were merged (it no
 * longer names one object).
 * Points and polygons pass through unchanged; the order of first appearance is kept.
 */
export function mergeLines<T extends MergeableFeature>(features: readonly T[], options: LineMergeOptions = {}): T[] {
  const unit = (options.extent ?? 4096) / 256;
  const minLength = (options.minLength ?? 0) * unit;
  const sqTol = ((options.tolerance ?? 0) * unit) ** 2;
  const groups = new Map<string, T[]>();
  const out: (T | string)[] = [];
  for (const f of features) {
    if (f.geometry.type !== 2) {
      out.push(f);
      continue;
    }
    const key = attrKey(f.attrs);
    let g = groups.get(key);
    if (g === undefined) {
      groups.set(key, (g = []));
      out.push(key);
    }
    g.push(f);
  }
  const result: T[] = [];
  for (const item of out) {
    if (typeof item !== 'string') {
      result.push(item);
      continue;
    }
    const group = groups.get(item)!;
    let parts = mergeLineParts(group.flatMap((f) => f.geometry.geometry), minLength);
    // Joins leave collinear vertices, and a long chain simplifies further than its pieces did.
    if (sqTol > 0 && group.length > 1) parts = parts.map((p) => simplifyInt(p, sqTol));
    if (parts.length === 0) continue;
    const merged: T = { ...group[0], geometry: { type: 2, geometry: parts } };
    if (group.length > 1) delete merged.id;
    result.push(merged);
  }
  return result;
}
