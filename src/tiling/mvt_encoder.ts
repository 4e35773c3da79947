/**
 * Mapbox Vector Tile (spec 2.1) encoder: tile-space integer geometry and typed
 * properties in, protobuf bytes out. One PbfWriter per tile, no intermediate objects
 * beyond the per-layer key/value tables.
 *
 * Geometry rules enforced here so callers need not:
 * - consecutive duplicate vertices are dropped (LineTo deltas must not be 0,0);
 * - lines with fewer than 2 distinct vertices and rings with fewer than 3 (or zero
 *   area) are dropped; a feature left without geometry is dropped;
 * - exterior rings get positive area by the spec's formula (clockwise on screen),
 *   interior rings negative, reversing rings as needed.
 */
import { PbfWriter } from 'pbf';

export type MvtGeomType = 1 | 2 | 3;
export type MvtValue = string | number | boolean;

export interface MvtFeature {
  /** Unsigned integer id; other values are not representable in MVT and are left out. */
  id?: number;
  type: MvtGeomType;
  /**
   * Flat [x0, y0, x1, y1, …] parts in tile coordinates. Points: one or more parts of
   * one or more points. Lines: one part per line. Polygons: rings in the order
   * outer, its holes, next outer, …; rings may be open or closed, any winding.
   */
  geometry: Int32Array[];
  /**
   * Polygons only: how many rings each polygon has (outer + holes), in order, e.g.
   * [3, 1]. When absent, outers and holes are told apart by how deeply each ring
   * is nested in the others (even depth = outer), which also handles islands in lakes.
   */
  ringsPerPolygon?: number[];
  properties: Record<string, MvtValue | null | undefined>;
}

export interface MvtLayer {
  name: string;
  /** Tile extent in integer units; 4096 when absent. */
  extent?: number;
  features: MvtFeature[];
}

const CMD_MOVE_TO = 1;
const CMD_LINE_TO = 2;
const CMD_CLOSE_PATH = 7;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function command(id: number, count: number): number {
  return ((count << 3) | id) >>> 0;
}
function zigzag(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

/** Flat ring/line with consecutive duplicates removed (and the closing vertex, for rings). */
function dedupe(part: Int32Array, closed: boolean): number[] {
  const out: number[] = [];
  let px = NaN, py = NaN;
  for (let i = 0; i + 1 < part.length; i += 2) {
    const x = part[i], y = part[i + 1];
    if (x === px && y === py) continue;
    out.push(x, y);
    px = x; py = y;
  }
  if (closed && out.length >= 4 && out[0] === out[out.length - 2] && out[1] === out[out.length - 1]) out.length -= 2;
  return out;
}

/** Twice the signed area by the spec's formula: positive = exterior (clockwise on screen, y down). */
function ringArea2(r: number[]): number {
  let s = 0;
  const n = r.length;
  for (let i = 0; i < n; i += 2) {
    const j = (i + 2) % n;
    s += r[i] * r[j + 1] - r[j] * r[i + 1];
  }
  return s;
}

function reverseRing(r: number[]): void {
  for (let i = 0, j = r.length - 2; i < j; i += 2, j -= 2) {
    const x = r[i], y = r[i + 1];
    r[i] = r[j]; r[i + 1] = r[j + 1];
    r[j] = x; r[j + 1] = y;
  }
}

/** -1 outside, 0 on the boundary, 1 strictly inside (even-odd rule). */
function pointInRing(x: number, y: number, r: number[]): number {
  let inside = false;
  const n = r.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const xi = r[i], yi = r[i + 1], xj = r[j], yj = r[j + 1];
    if ((yi > y) !== (yj > y)) {
      const cross = (x - xi) * (yj - yi) - (xj - xi) * (y - yi);
      if (cross === 0) return 0;
      if ((cross > 0) === (yj > yi)) inside = !inside;
    } else if (yi === y && yj === y && Math.min(xi, xj) <= x && x <= Math.max(xi, xj)) {
      return 0;
    } else if (x === xi && y === yi) {
      return 0;
    }
  }
  return inside ? 1 : -1;
}

function ringBBox(r: number[]): [number, number, number, number] {
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] < a) a = r[i];
    if (r[i + 1] < b) b = r[i + 1];
    if (r[i] > c) c = r[i];
    if (r[i + 1] > d) d = r[i + 1];
  }
  return [a, b, c, d];
}

/** Whether ring `a` lies inside ring `b`, judged by the first vertex of `a` not on `b`'s boundary. */
function ringInside(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i += 2) {
    const s = pointInRing(a[i], a[i + 1], b);
    if (s !== 0) return s > 0;
  }
  return false;
}

/** Outer flags by nesting depth: a ring inside an odd number of other rings is a hole. */
function outerFlagsByNesting(rings: number[][]): boolean[] {
  const n = rings.length;
  if (n === 1) return [true];
  const boxes = rings.map(ringBBox);
  const flags: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const bi = boxes[i];
    let depth = 0;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const bj = boxes[j];
      if (bi[0] < bj[0] || bi[1] < bj[1] || bi[2] > bj[2] || bi[3] > bj[3]) continue;
      if (ringInside(rings[i], rings[j])) depth++;
    }
    flags[i] = depth % 2 === 0;
  }
  flags[0] = true;
  return flags;
}

function outerFlagsByCounts(ringCount: number, counts: number[], kept: number[]): boolean[] {
  const isOuterInput = new Array<boolean>(ringCount).fill(false);
  let k = 0;
  for (const c of counts) {
    if (k < ringCount) isOuterInput[k] = true;
    k += c;
  }
  return kept.map((i) => isOuterInput[i]);
}

/** Appends the geometry commands of one feature; returns false when nothing drawable is left. */
function encodeGeometry(f: MvtFeature, out: number[], cursor: { x: number; y: number }): boolean {
  let cx = 0, cy = 0;
  const start = out.length;
  if (f.type === 1) {
    let count = 0;
    for (const p of f.geometry) count += p.length >> 1;
    if (count === 0) return false;
    out.push(command(CMD_MOVE_TO, count));
    for (const p of f.geometry) {
      for (let i = 0; i + 1 < p.length; i += 2) {
        out.push(zigzag(p[i] - cx), zigzag(p[i + 1] - cy));
        cx = p[i]; cy = p[i + 1];
      }
    }
  } else if (f.type === 2) {
    for (const part of f.geometry) {
      const l = dedupe(part, false);
      if (l.length < 4) continue;
      cx = writePath(l, out, cx, cy, false);
      cy = l[l.length - 1];
    }
  } else {
    const rings: number[][] = [];
    const kept: number[] = [];
    f.geometry.forEach((part, i) => {
      const r = dedupe(part, true);
      if (r.length >= 6) {
        rings.push(r);
        kept.push(i);
      }
    });
    const isOuter = f.ringsPerPolygon ? outerFlagsByCounts(f.geometry.length, f.ringsPerPolygon, kept) : outerFlagsByNesting(rings);
    let outerKept = false;
    for (let i = 0; i < rings.length; i++) {
      const r = rings[i];
      const area = ringArea2(r);
      if (area === 0) continue;
      if (isOuter[i]) outerKept = true;
      else if (!outerKept) continue; // a hole must follow an exterior ring
      if ((area > 0) !== isOuter[i]) reverseRing(r);
      cx = writePath(r, out, cx, cy, true);
      cy = r[r.length - 1];
    }
  }
  cursor.x = cx; cursor.y = cy;
  return out.length > start;
}

/** MoveTo + LineTo (+ ClosePath); returns the new cursor x (cursor y is the path's last y). */
function writePath(p: number[], out: number[], cx: number, cy: number, close: boolean): number {
  out.push(command(CMD_MOVE_TO, 1), zigzag(p[0] - cx), zigzag(p[1] - cy));
  cx = p[0]; cy = p[1];
  out.push(command(CMD_LINE_TO, (p.length >> 1) - 1));
  for (let i = 2; i < p.length; i += 2) {
    out.push(zigzag(p[i] - cx), zigzag(p[i + 1] - cy));
    cx = p[i]; cy = p[i + 1];
  }
  if (close) out.push(command(CMD_CLOSE_PATH, 1));
  return cx;
}

function writeValue(v: MvtValue, pbf: PbfWriter): void {
  if (typeof v === 'string') pbf.writeStringField(1, v);
  else if (typeof v === 'boolean') pbf.writeBooleanField(7, v);
  else if (Number.isInteger(v) && Math.abs(v) <= MAX_SAFE) {
    if (v >= 0) pbf.writeVarintField(5, v);
    else pbf.writeSVarintField(6, v);
  } else if (Math.fround(v) === v || Number.isNaN(v)) pbf.writeFloatField(2, v);
  else pbf.writeDoubleField(3, v);
}

interface LayerTables {
  keys: string[];
  keyIndex: Map<string, number>;
  values: MvtValue[];
  strIndex: Map<string, number>;
  numIndex: Map<number, number>;
  boolIndex: Map<boolean, number>;
}

function valueIndex(t: LayerTables, v: MvtValue): number {
  const map = (typeof v === 'string' ? t.strIndex : typeof v === 'number' ? t.numIndex : t.boolIndex) as Map<MvtValue, number>;
  let i = map.get(v);
  if (i === undefined) {
    i = t.values.length;
    t.values.push(v);
    map.set(v, i);
  }
  return i;
}

function writeLayer(layer: MvtLayer, pbf: PbfWriter): void {
  pbf.writeVarintField(15, 2);
  pbf.writeStringField(1, layer.name);
  const t: LayerTables = { keys: [], keyIndex: new Map(), values: [], strIndex: new Map(), numIndex: new Map(), boolIndex: new Map() };
  const geom: number[] = [];
  const tags: number[] = [];
  const cursor = { x: 0, y: 0 };
  for (const f of layer.features) {
    geom.length = 0;
    if (!encodeGeometry(f, geom, cursor)) continue;
    tags.length = 0;
    for (const k in f.properties) {
      const v = f.properties[k];
      if (v === null || v === undefined) continue;
      let ki = t.keyIndex.get(k);
      if (ki === undefined) {
        ki = t.keys.length;
        t.keys.push(k);
        t.keyIndex.set(k, ki);
      }
      tags.push(ki, valueIndex(t, v));
    }
    pbf.writeMessage(2, writeFeature, { f, tags, geom });
  }
  for (const k of t.keys) pbf.writeStringField(3, k);
  for (const v of t.values) pbf.writeMessage(4, writeValue, v);
  pbf.writeVarintField(5, layer.extent ?? 4096);
}

function writeFeature(o: { f: MvtFeature; tags: number[]; geom: number[] }, pbf: PbfWriter): void {
  const id = o.f.id;
  if (id !== undefined && Number.isInteger(id) && id >= 0 && id <= MAX_SAFE) pbf.writeVarintField(1, id);
  pbf.writePackedVarint(2, o.tags);
  pbf.writeVarintField(3, o.f.type);
  pbf.writePackedVarint(4, o.geom);
}

/** Whether a layer has at least one feature with drawable geometry (cheap pre-check, no allocation). */
function hasFeatures(layer: MvtLayer): boolean {
  return layer.features.some((f) => f.geometry.some((p) => p.length >= 2));
}

/** Encodes layers into one MVT tile. Layers without features are left out; no layers gives an empty buffer. */
export function encodeMvt(layers: MvtLayer[]): Buffer {
  const pbf = new PbfWriter();
  for (const layer of layers) {
    if (!hasFeatures(layer)) continue;
    const before = pbf.pos;
    pbf.writeMessage(3, writeLayer, layer);
    // A layer whose features all degenerated is dropped rather than written empty.
    if (layerIsEmpty(pbf, before)) pbf.pos = before;
  }
  const bytes = pbf.finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Checks whether the layer message just written at `start` contains a feature (field 2). */
function layerIsEmpty(pbf: PbfWriter, start: number): boolean {
  const buf = pbf.buf;
  let pos = start + 1; // tag byte of field 3
  let len = 0, shift = 0, b: number;
  do { b = buf[pos++]; len += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  const end = pos + len;
  while (pos < end) {
    const tag = buf[pos++];
    const field = tag >> 3, wire = tag & 7;
    if (field === 2) return false;
    if (wire === 0) { while (buf[pos++] & 0x80); }
    else if (wire === 2) {
      let l = 0; shift = 0;
      do { b = buf[pos++]; l += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
      pos += l;
    } else return false;
  }
  return true;
}
