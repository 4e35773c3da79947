/**
 * Decoding of OSM PBF blobs and blocks (https://wiki.openstreetmap.org/wiki/PBF_Format),
 * field by field with Pbf's reader rather than a compiled .proto: the hot loops
 * (dense nodes, way refs) write straight into typed arrays. Pure functions, used by
 * the decode workers and, for the header, by the main thread.
 */
import { PbfReader as Pbf } from 'pbf';
import type { OsmBlock, OsmHeader, OsmMember, OsmNode, OsmRelation, OsmTags, OsmWay } from './types.js';
import { PbfDecodeError, checkEnd } from './pbf_blob.js';
import { isRoutableWay, isRoutingNode, isRoutingRelation } from './routing_tags.js';

/** Features a reader must understand to read the file; anything else is refused. */
export const SUPPORTED_REQUIRED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

export interface BlockFilter {
  nodes: boolean;
  ways: boolean;
  relations: boolean;
  /** Only what a routing graph reads (OsmReadOptions.routingOnly): the rest is dropped here, in the decoding thread. */
  routing?: boolean;
}


const MEMBER_TYPES: OsmMember['type'][] = ['node', 'way', 'relation'];

export function decodeHeaderBlock(buf: Uint8Array): OsmHeader {
  const pbf = new Pbf(buf);
  const header: OsmHeader = { requiredFeatures: [] };
  pbf.readFields((tag, h, p) => {
    if (tag === 1) {
      const b = [0, 0, 0, 0];
      const end = fieldEnd(p);
      while (p.pos < end) {
        // HeaderBBox: left, right, top, bottom in nanodegrees.
        const val = p.readVarint();
        const t = val >> 3;
        if (t >= 1 && t <= 4) b[t - 1] = p.readSVarint();
        else p.skip(val & 7);
      }
      if (p.pos !== end) throw new PbfDecodeError('malformed HeaderBBox');
      h.bbox = [b[0] / 1e9, b[3] / 1e9, b[1] / 1e9, b[2] / 1e9];
    } else if (tag === 4) h.requiredFeatures.push(p.readString());
    else if (tag === 16) h.writingProgram = p.readString();
    else if (tag === 32) {
      const s = p.readVarint(true);
      if (s > 0) h.timestamp = new Date(s * 1000).toISOString().replace('.000Z', 'Z');
    } else if (tag === 33) {
      const n = p.readVarint(true);
      if (n >= 0) h.sequence = n;
    } else p.skip(p.type);
  }, header);
  checkEnd(pbf, buf.length, 'HeaderBlock');
  return header;
}

/** Names of required features this reader does not implement (empty when the file is readable). */
export function unsupportedFeatures(header: OsmHeader): string[] {
  return header.requiredFeatures.filter((f) => !SUPPORTED_REQUIRED_FEATURES.has(f));
}

interface BlockContext {
  strings: string[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
}

interface NodeArrays { ids: Float64Array; lons: Float64Array; lats: Float64Array }

/** Decodes a PrimitiveBlock, skipping unwanted entity kinds without decoding them. */
export function decodePrimitiveBlock(buf: Uint8Array, filter: BlockFilter): OsmBlock {
  const pbf = new Pbf(buf);
  const ctx: BlockContext = { strings: [], granularity: 100, latOffset: 0, lonOffset: 0 };
  const groups: [number, number][] = [];
  // The string table and scales may follow the groups in the byte stream: collect first, decode after.
  pbf.readFields((tag, c, p) => {
    if (tag === 1) {
      const end = fieldEnd(p);
      while (p.pos < end) {
        const t = p.readVarint() >> 3;
        if (t === 1) c.strings.push(readTableString(p));
        else throw new PbfDecodeError(`unexpected field ${t} in StringTable`);
      }
    } else if (tag === 2) {
      groups.push(readPackedRange(p));
    } else if (tag === 17) c.granularity = p.readVarint();
    else if (tag === 19) c.latOffset = p.readVarint(true);
    else if (tag === 20) c.lonOffset = p.readVarint(true);
    else p.skip(p.type);
  }, ctx);
  checkEnd(pbf, buf.length, 'PrimitiveBlock');

  const nodeParts: NodeArrays[] = [];
  const block: OsmBlock = { nodeIds: EMPTY, nodeLons: EMPTY, nodeLats: EMPTY, taggedNodes: [], ways: [], relations: [] };
  const refs = new RefBuffer();
  for (const [start, end] of groups) {
    pbf.pos = start;
    while (pbf.pos < end) {
      const val = pbf.readVarint();
      pbf.type = val & 7; // Pbf's packed readers look at it
      const tag = val >> 3;
      const type = val & 7;
      if (tag === 1 && filter.nodes) nodeParts.push(readPlainNode(pbf, ctx, block.taggedNodes));
      else if (tag === 2 && filter.nodes) nodeParts.push(readDenseNodes(pbf, ctx, block.taggedNodes));
      else if (tag === 3 && filter.ways) {
        const way = readWay(pbf, ctx, { refs, locations: filter.nodes ? nodeParts : undefined, keep: filter.routing ? isRoutableWay : undefined });
        if (way) block.ways.push(way);
      }
      // a nodes-only pass (e.g. the routing graph's) still needs the places that travel on ways
      else if (tag === 3 && filter.nodes) readWayLocations(pbf, ctx, nodeParts);
      else if (tag === 4 && filter.relations) {
        const relation = readRelation(pbf, ctx);
        if (!filter.routing || isRoutingRelation(relation.tags)) block.relations.push(relation);
      }
      else pbf.skip(type);
    }
    checkEnd(pbf, end, 'PrimitiveGroup');
  }
  if (nodeParts.length === 1) {
    block.nodeIds = nodeParts[0].ids;
    block.nodeLons = nodeParts[0].lons;
    block.nodeLats = nodeParts[0].lats;
  } else if (nodeParts.length > 1) {
    block.nodeIds = concat(nodeParts.map((n) => n.ids));
    block.nodeLons = concat(nodeParts.map((n) => n.lons));
    block.nodeLats = concat(nodeParts.map((n) => n.lats));
  }
  refs.attach(block.ways);
  if (filter.routing && block.taggedNodes.length > 0) block.taggedNodes = block.taggedNodes.filter((n) => isRoutingNode(n.tags));
  return block;
}

const EMPTY = new Float64Array(0);

/**
 * All way refs of a block go into one buffer and each way gets a view of it, so the
 * block transfers as a few buffers instead of thousands of small arrays.
 */
class RefBuffer {
  buf = new Float64Array(4096);
  length = 0;
  private readonly spans: number[] = [];

  /** Decodes one way's delta-coded refs from pbf's bytes [start, end). */
  add(bytes: Uint8Array, start: number, end: number): void {
    const need = this.length + (end - start);
    if (need > this.buf.length) {
      const bigger = new Float64Array(Math.max(need, this.buf.length * 2));
      bigger.set(this.buf.subarray(0, this.length));
      this.buf = bigger;
    }
    const n = decodeDeltas(bytes, start, end, this.buf, this.length);
    this.spans.push(this.length, n);
    this.length += n;
  }

  /** Gives each way (in the order added) its refs; call once all ways are read. */
  attach(ways: OsmWay[]): void {
    const all = this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
    for (let i = 0; i < ways.length; i++) ways[i].refs = all.subarray(this.spans[2 * i], this.spans[2 * i] + this.spans[2 * i + 1]);
  }
}

/**
 * Decodes packed zigzag varints in bytes [start, end) as running sums (the PBF delta
 * coding) into out[o…]; returns the count. Inlined varint reading: this is the
 * hottest loop of an import.
 */
function decodeDeltas(buf: Uint8Array, start: number, end: number, out: Float64Array, o: number): number {
  if (end > buf.length) throw new PbfDecodeError('packed field runs past the end of the block');
  let p = start, acc = 0, k = o;
  while (p < end) {
    let b = buf[p++];
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[p++]; v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[p++]; v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[p++]; v |= (b & 0x7f) << 21;
          // Past 28 bits, bitwise ops would overflow: continue with multiplication.
          let mul = 268435456;
          while (b >= 0x80 && mul < 1e20) { b = buf[p++]; v += (b & 0x7f) * mul; mul *= 128; }
        }
      }
    }
    acc += v % 2 === 1 ? (v + 1) / -2 : v / 2;
    out[k++] = acc;
  }
  if (p !== end) throw new PbfDecodeError('malformed packed varints');
  return k - o;
}

function concat(parts: Float64Array[]): Float64Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}


function str(ctx: BlockContext, i: number): string {
  const s = ctx.strings[i];
  if (s === undefined) throw new PbfDecodeError(`string index ${i} outside the string table (${ctx.strings.length} entries)`);
  return s;
}

function coord(ctx: BlockContext, offset: number, v: number): number {
  // Dividing exact integers gives the double nearest to the decimal value, the same number an XML parser produces.
  return (offset + ctx.granularity * v) / 1e9;
}

function countVarints(buf: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (buf[i] < 0x80) n++;
  return n;
}

/**
 * Reads a length prefix and returns where the field ends, refusing lengths that run
 * past the buffer: corrupt lengths would otherwise make loops run (nearly) forever.
 */
function fieldEnd(pbf: Pbf): number {
  const len = pbf.readVarint();
  const end = pbf.pos + len;
  if (!(len >= 0 && end <= pbf.buf.length)) throw new PbfDecodeError(`field length ${len} runs past the end of the block`);
  return end;
}

function readPackedRange(pbf: Pbf): [number, number] {
  const end = fieldEnd(pbf);
  const start = pbf.pos;
  pbf.pos = end;
  return [start, end];
}

/** Packed varints (non-negative, or int32 when `signed`), bounded like every field. */
function packedVarints(pbf: Pbf, signed = false): number[] {
  const end = fieldEnd(pbf);
  const out: number[] = [];
  while (pbf.pos < end) out.push(pbf.readVarint(signed));
  if (pbf.pos !== end) throw new PbfDecodeError('malformed packed varints');
  return out;
}

const utf8 = new TextDecoder();

/**
 * One string of the table as a flat string: tag keys are used as property names
 * thousands of times per block, and flat strings hash once where the concatenated
 * strings a byte-by-byte decoder builds must be flattened first.
 */
function readTableString(pbf: Pbf): string {
  const end = fieldEnd(pbf);
  const buf = pbf.buf;
  const start = pbf.pos;
  pbf.pos = end;
  let ascii = end - start <= 64;
  for (let i = start; ascii && i < end; i++) if (buf[i] >= 0x80) ascii = false;
  return ascii ? String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]) : utf8.decode(buf.subarray(start, end));
}

function tagsFrom(ctx: BlockContext, keys: number[], vals: number[]): OsmTags {
  const tags: OsmTags = {};
  const n = Math.min(keys.length, vals.length);
  for (let i = 0; i < n; i++) tags[str(ctx, keys[i])] = str(ctx, vals[i]);
  return tags;
}

/** Cursor of varintAt (a module variable: returning value and position would allocate). */
let cursor = 0;

function varintAt(buf: Uint8Array): number {
  let b = buf[cursor++];
  let v = b & 0x7f;
  if (b < 0x80) return v;
  b = buf[cursor++]; v |= (b & 0x7f) << 7;
  if (b < 0x80) return v;
  b = buf[cursor++]; v |= (b & 0x7f) << 14;
  if (b < 0x80) return v;
  b = buf[cursor++]; v |= (b & 0x7f) << 21;
  for (let mul = 268435456; b >= 0x80 && mul < 1e20; mul *= 128) { b = buf[cursor++]; v += (b & 0x7f) * mul; }
  return v;
}

/** Tags straight from the packed key and value index ranges, without intermediate arrays. */
function tagsFromRanges(buf: Uint8Array, ctx: BlockContext, kS: number, kE: number, vS: number, vE: number): OsmTags {
  const tags: OsmTags = {};
  let k = kS, v = vS;
  while (k < kE && v < vE) {
    cursor = k;
    const key = varintAt(buf);
    k = cursor;
    cursor = v;
    const val = varintAt(buf);
    v = cursor;
    tags[str(ctx, key)] = str(ctx, val);
  }
  if (k > kE || v > vE) throw new PbfDecodeError('malformed tag keys/values');
  return tags;
}

function readPlainNode(pbf: Pbf, ctx: BlockContext, tagged: OsmNode[]): NodeArrays {
  const end = fieldEnd(pbf);
  let id = 0, lat = 0, lon = 0;
  let keys: number[] = [], vals: number[] = [];
  while (pbf.pos < end) {
    const val = pbf.readVarint();
    pbf.type = val & 7;
    const tag = val >> 3;
    if (tag === 1) id = pbf.readSVarint();
    else if (tag === 2) keys = packedVarints(pbf);
    else if (tag === 3) vals = packedVarints(pbf);
    else if (tag === 8) lat = pbf.readSVarint();
    else if (tag === 9) lon = pbf.readSVarint();
    else pbf.skip(val & 7);
  }
  checkEnd(pbf, end, 'Node');
  const n = { ids: Float64Array.of(id), lons: Float64Array.of(coord(ctx, ctx.lonOffset, lon)), lats: Float64Array.of(coord(ctx, ctx.latOffset, lat)) };
  if (keys.length > 0) tagged.push({ type: 'node', id, lon: n.lons[0], lat: n.lats[0], tags: tagsFrom(ctx, keys, vals) });
  return n;
}

function readDenseNodes(pbf: Pbf, ctx: BlockContext, tagged: OsmNode[]): NodeArrays {
  const end = fieldEnd(pbf);
  let idR: [number, number] | undefined, latR: [number, number] | undefined, lonR: [number, number] | undefined, kvR: [number, number] | undefined;
  while (pbf.pos < end) {
    const val = pbf.readVarint();
    pbf.type = val & 7;
    const tag = val >> 3;
    if (tag === 1) idR = readPackedRange(pbf);
    else if (tag === 8) latR = readPackedRange(pbf);
    else if (tag === 9) lonR = readPackedRange(pbf);
    else if (tag === 10) kvR = readPackedRange(pbf);
    else pbf.skip(val & 7);
  }
  checkEnd(pbf, end, 'DenseNodes');
  const n = idR ? countVarints(pbf.buf, idR[0], idR[1]) : 0;
  const ids = new Float64Array(n), lons = new Float64Array(n), lats = new Float64Array(n);
  if (n === 0) return { ids, lons, lats };
  if (!latR || !lonR) throw new PbfDecodeError('DenseNodes without lat/lon');
  if (decodeDeltas(pbf.buf, idR![0], idR![1], ids, 0) !== n) throw new PbfDecodeError('malformed DenseNodes ids');
  if (decodeDeltas(pbf.buf, latR[0], latR[1], lats, 0) !== n) throw new PbfDecodeError('DenseNodes lat count differs from id count');
  if (decodeDeltas(pbf.buf, lonR[0], lonR[1], lons, 0) !== n) throw new PbfDecodeError('DenseNodes lon count differs from id count');
  for (let i = 0; i < n; i++) {
    lats[i] = coord(ctx, ctx.latOffset, lats[i]);
    lons[i] = coord(ctx, ctx.lonOffset, lons[i]);
  }
  if (kvR && kvR[1] > kvR[0]) {
    pbf.pos = kvR[0];
    for (let i = 0; i < n && pbf.pos < kvR[1]; i++) {
      let k = pbf.readVarint();
      if (k === 0) continue;
      const tags: OsmTags = {};
      while (k !== 0 && pbf.pos < kvR[1]) {
        tags[str(ctx, k)] = str(ctx, pbf.readVarint());
        k = pbf.readVarint();
      }
      tagged.push({ type: 'node', id: ids[i], lon: lons[i], lat: lats[i], tags });
    }
  }
  pbf.pos = end;
  return { ids, lons, lats };
}

/**
 * A Way; its refs go to `out.refs`. With the LocationsOnWays feature (osmium
 * add-locations-to-ways: fields 9 and 10, delta-coded like dense nodes) the
 * nodes' places travel with the way, their nodes often left out of the file:
 * they go to `out.locations` as if the nodes had been read.
 */
/** The way, or null when `keep` refuses its tags (its refs are then not decoded; its locations, when wanted, are). */
function readWay(pbf: Pbf, ctx: BlockContext, out: { refs: RefBuffer; locations?: NodeArrays[]; keep?: (tags: OsmTags) => boolean }): OsmWay | null {
  const end = fieldEnd(pbf);
  let id = 0;
  let kS = 0, kE = 0, vS = 0, vE = 0;
  let rS = -1, rE = -1, latS = -1, latE = -1, lonS = -1, lonE = -1;
  while (pbf.pos < end) {
    const val = pbf.readVarint();
    pbf.type = val & 7;
    const tag = val >> 3;
    if (tag === 1) id = pbf.readVarint(true);
    else if (tag === 2) { kE = fieldEnd(pbf); kS = pbf.pos; pbf.pos = kE; }
    else if (tag === 3) { vE = fieldEnd(pbf); vS = pbf.pos; pbf.pos = vE; }
    else if (tag === 8 && rS < 0) { rE = fieldEnd(pbf); rS = pbf.pos; pbf.pos = rE; }
    else if (tag === 9 && (val & 7) === 2) { latE = fieldEnd(pbf); latS = pbf.pos; pbf.pos = latE; }
    else if (tag === 10 && (val & 7) === 2) { lonE = fieldEnd(pbf); lonS = pbf.pos; pbf.pos = lonE; }
    else pbf.skip(val & 7);
  }
  checkEnd(pbf, end, 'Way');
  if (out.locations && rS >= 0 && latS >= 0 && lonS >= 0) out.locations.push(wayLocations(pbf.buf, ctx, { refs: [rS, rE], lats: [latS, latE], lons: [lonS, lonE] }));
  const tags = tagsFromRanges(pbf.buf, ctx, kS, kE, vS, vE);
  if (out.keep && !out.keep(tags)) return null;
  if (rS >= 0) out.refs.add(pbf.buf, rS, rE);
  else out.refs.add(pbf.buf, 0, 0);
  return { type: 'way', id, refs: EMPTY, tags };
}

/** A Way read only for the node locations it carries (LocationsOnWays), into `locations`; the way itself is dropped. */
function readWayLocations(pbf: Pbf, ctx: BlockContext, locations: NodeArrays[]): void {
  const end = fieldEnd(pbf);
  let rS = -1, rE = -1, latS = -1, latE = -1, lonS = -1, lonE = -1;
  while (pbf.pos < end) {
    const val = pbf.readVarint();
    pbf.type = val & 7;
    const tag = val >> 3;
    if (tag === 8 && rS < 0 && (val & 7) === 2) { rE = fieldEnd(pbf); rS = pbf.pos; pbf.pos = rE; }
    else if (tag === 9 && (val & 7) === 2) { latE = fieldEnd(pbf); latS = pbf.pos; pbf.pos = latE; }
    else if (tag === 10 && (val & 7) === 2) { lonE = fieldEnd(pbf); lonS = pbf.pos; pbf.pos = lonE; }
    else pbf.skip(val & 7);
  }
  checkEnd(pbf, end, 'Way');
  if (rS >= 0 && latS >= 0 && lonS >= 0) locations.push(wayLocations(pbf.buf, ctx, { refs: [rS, rE], lats: [latS, latE], lons: [lonS, lonE] }));
}

/** The (ref, lon, lat) of each node of a way that carries its locations. */
function wayLocations(buf: Uint8Array, ctx: BlockContext, at: { refs: [number, number]; lats: [number, number]; lons: [number, number] }): NodeArrays {
  const max = at.refs[1] - at.refs[0];
  const ids = new Float64Array(max), lats = new Float64Array(max), lons = new Float64Array(max);
  const n = decodeDeltas(buf, at.refs[0], at.refs[1], ids, 0);
  const nLat = decodeDeltas(buf, at.lats[0], at.lats[1], lats, 0);
  const nLon = decodeDeltas(buf, at.lons[0], at.lons[1], lons, 0);
  if (nLat !== n || nLon !== n) throw new PbfDecodeError(`way with ${n} refs but ${nLat} latitudes and ${nLon} longitudes`);
  for (let i = 0; i < n; i++) {
    lats[i] = coord(ctx, ctx.latOffset, lats[i]);
    lons[i] = coord(ctx, ctx.lonOffset, lons[i]);
  }
  return { ids: ids.subarray(0, n), lons: lons.subarray(0, n), lats: lats.subarray(0, n) };
}

function readRelation(pbf: Pbf, ctx: BlockContext): OsmRelation {
  const end = fieldEnd(pbf);
  let id = 0;
  let kS = 0, kE = 0, vS = 0, vE = 0;
  let roles: number[] = [], types: number[] = [];
  const memids: number[] = [];
  while (pbf.pos < end) {
    const val = pbf.readVarint();
    pbf.type = val & 7;
    const tag = val >> 3;
    if (tag === 1) id = pbf.readVarint(true);
    else if (tag === 2) { kE = fieldEnd(pbf); kS = pbf.pos; pbf.pos = kE; }
    else if (tag === 3) { vE = fieldEnd(pbf); vS = pbf.pos; pbf.pos = vE; }
    else if (tag === 8) roles = packedVarints(pbf, true);
    else if (tag === 9) {
      const rEnd = fieldEnd(pbf);
      let acc = 0;
      while (pbf.pos < rEnd) memids.push(acc += pbf.readSVarint());
    } else if (tag === 10) types = packedVarints(pbf);
    else pbf.skip(val & 7);
  }
  checkEnd(pbf, end, 'Relation');
  if (roles.length !== memids.length || types.length !== memids.length) {
    throw new PbfDecodeError(`relation ${id}: ${memids.length} members but ${roles.length} roles and ${types.length} types`);
  }
  const members: OsmMember[] = new Array(memids.length);
  for (let i = 0; i < memids.length; i++) {
    const type = MEMBER_TYPES[types[i]];
    if (!type) throw new PbfDecodeError(`relation ${id}: unknown member type ${types[i]}`);
    members[i] = { type, ref: memids[i], role: str(ctx, roles[i]) };
  }
  return { type: 'relation', id, members, tags: tagsFromRanges(pbf.buf, ctx, kS, kE, vS, vE) };
}
