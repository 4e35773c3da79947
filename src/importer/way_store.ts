/**
 * Every way read, for turning ways into geometry once all nodes are known and for
 * fetching member ways of multipolygons by id, in a few bytes a way and no JS object
 * per way. One record a way in chunked shared byte buffers, as zigzag delta varints:
 * its id (delta to the previous way of its span), its ref count, where its tags are
 * (delta to the previous tagged way of its span; 0: none), then its refs (deltas
 * within the way: refs are mostly close ids, 1–3 bytes a ref instead of 8). Ways are
 * grouped in spans of 32; a span's first record is coded from zero and the span table
 * holds its byte position and first id (0.5 byte a way), so a way is found by
 * decoding at most 31 records before it, and a cursor makes the next way after the
 * last one read cost one record (the features stage reads ways in order). Ids, byte
 * positions and ref counts used to be typed arrays of 28 bytes a way: 7.4 M ways
 * (54 M nodes) took 235 MiB that way, growing by copies; a record header takes 3–5.
 * Tags are kept only for ways the profile wants, encoded in a TagBuffer (no JS
 * object per way; past their share of a memory budget, in a compressed temporary file
 * read back in way order: the features stage asks for them in that order). Duplicates (the same way in two overlapping extracts) are
 * resolved at seal(): the first copy wins; only input out of id order (several
 * extracts) gets a sorted id index then (12 bytes a way).
 */
import type { OsmTags } from '../osm/types.js';
import { TagBuffer, type TagSpillOptions } from './tag_buffer.js';

const CHUNK = 1 << 23; // bytes per chunk
const SPAN_BITS = 5;
const SPAN = 1 << SPAN_BITS;
/** Bytes a record header takes at most: three varints of values below 2^63. */
const HEADER_MAX = 30;
/** Refs kept of one way at most (OSM allows 2,000): its record must fit a chunk. */
const MAX_REFS = Math.floor((CHUNK - HEADER_MAX) / 10);

/** The arrays of a sealed store (shared memory), to rebuild it in another thread; tags stay behind. */
export interface SharedWayStore {
  chunks: Uint8Array[];
  /** Byte position (chunk × CHUNK + offset) of each span's first record. */
  spanPos: Float64Array;
  /** Id of each span's first way. */
  spanId: Float64Array;
  count: number;
  /** Input out of id order: way indexes in id order, and the ids in that order. */
  order?: Int32Array;
  sortedIds?: Float64Array;
  duplicate?: Uint8Array;
}

// Shared memory, so worker threads of the features stage read the ways without a copy.
function f64(n: number): Float64Array { return new Float64Array(new SharedArrayBuffer(n * 8)); }
function u8(n: number): Uint8Array { return new Uint8Array(new SharedArrayBuffer(n)); }
function i32(n: number): Int32Array { return new Int32Array(new SharedArrayBuffer(n * 4)); }

/** Writes an unsigned integer below 2^53 as a varint at `o`; returns the end. */
function putVarint(buf: Uint8Array, o: number, v: number): number {
  while (v >= 128) {
    buf[o++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[o++] = v;
  return o;
}
const zigzag = (d: number): number => (d >= 0 ? 2 * d : -2 * d - 1);
const unzigzag = (v: number): number => (v % 2 === 0 ? v / 2 : -(v + 1) / 2);

export class WayStore {
  private readonly chunks: Uint8Array[] = [];
  private used = CHUNK; // forces the first chunk
  private spanPos: Float64Array = f64(64);
  private spanId: Float64Array = f64(64);
  private readonly tags: TagBuffer;
  /** False in a view from another thread: its tags stayed behind. */
  private hasTags = true;
  private count = 0;
  private lastId = -Infinity;
  private sorted = true;
  /** While adding: the id and tag position the next record of the span is coded against. */
  private prevId = 0;
  private prevTag = 0;
  /** After seal(), only when input was not sorted: way indexes in id order, their ids, and the later copies. */
  private order?: Int32Array;
  private sortedIds?: Float64Array;
  private duplicate?: Uint8Array;
  private duplicates = 0;
  // The cursor: the last record decoded (way index, header fields, where its refs start; -1: none).
  private cur = -1;
  private curId = 0;
  private curRefs = 0;
  private curTag = -1;
  /** Tag position the record after `cur` is coded against (the last tagged way of the span up to `cur`). */
  private curPrevTag = 0;
  private curLength = 0;

  /** `tagSpill`: past this budget the tags of wanted ways go to a temporary file (read back in way order). */
  constructor(opts: { tagSpill?: TagSpillOptions } = {}) {
    this.tags = new TagBuffer(opts.tagSpill);
  }

  /** Whether the tags went to a temporary file. */
  get tagsOnDisk(): boolean {
    return this.tags.onDisk;
  }

  get size(): number {
    return this.count;
  }
  get duplicateCount(): number {
    return this.duplicates;
  }

  add(id: number, refs: Float64Array, tags: OsmTags | null): void {
    if (refs.length > MAX_REFS) refs = refs.subarray(0, MAX_REFS);
    if (this.used + HEADER_MAX + refs.length * 10 > CHUNK) {
      this.chunks.push(u8(CHUNK));
      this.used = 0;
    }
    const i = this.count++;
    if (id <= this.lastId) this.sorted = false;
    this.lastId = id;
    const ci = this.chunks.length - 1;
    if ((i & (SPAN - 1)) === 0) {
      const s = i >>> SPAN_BITS;
      if (s === this.spanPos.length) this.growSpans();
      this.spanPos[s] = ci * CHUNK + this.used;
      this.spanId[s] = id;
      this.prevId = 0;
      this.prevTag = 0;
    }
    const buf = this.chunks[ci];
    let o = putVarint(buf, this.used, zigzag(id - this.prevId));
    this.prevId = id;
    o = putVarint(buf, o, refs.length);
    if (tags) {
      const p = this.tags.add(tags);
      o = putVarint(buf, o, p - this.prevTag + 1);
      this.prevTag = p;
    } else {
      o = putVarint(buf, o, 0);
    }
    let prev = 0;
    for (let k = 0; k < refs.length; k++) {
      o = putVarint(buf, o, zigzag(refs[k] - prev));
      prev = refs[k];
    }
    this.used = o;
  }

  private growSpans(): void {
    const n = this.spanPos.length * 2;
    const p = f64(n); p.set(this.spanPos); this.spanPos = p;
    const d = f64(n); d.set(this.spanId); this.spanId = d;
  }

  /** Builds the id index and marks duplicates. Call once, after the last add. */
  seal(): void {
    this.tags.seal();
    if (this.sorted) return;
    const n = this.count;
    const ids = new Float64Array(n);
    for (let i = 0; i < n; i++) ids[i] = this.idAt(i);
    const order = i32(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => ids[a] - ids[b] || a - b);
    const sortedIds = f64(n);
    for (let k = 0; k < n; k++) sortedIds[k] = ids[order[k]];
    this.duplicate = u8(Math.max(1, n));
    for (let k = 1; k < n; k++) {
      if (sortedIds[k] === sortedIds[k - 1]) {
        this.duplicate[order[k]] = 1;
        this.duplicates++;
      }
    }
    this.order = order;
    this.sortedIds = sortedIds;
  }

  toShared(): SharedWayStore {
    return {
      chunks: this.chunks, spanPos: this.spanPos, spanId: this.spanId, count: this.count,
      order: this.order, sortedIds: this.sortedIds, duplicate: this.duplicate,
    };
  }

  /** A sealed view of a store shared by another thread, without tags (they travel with the work). */
  static fromShared(s: SharedWayStore): WayStore {
    const w = new WayStore();
    w.hasTags = false;
    w.chunks.push(...s.chunks);
    w.spanPos = s.spanPos;
    w.spanId = s.spanId;
    w.count = s.count;
    w.order = s.order;
    w.sortedIds = s.sortedIds;
    w.duplicate = s.duplicate;
    w.sorted = s.order === undefined;
    return w;
  }

  /** False for the second copy of a way seen twice. */
  isPrimary(i: number): boolean {
    return this.duplicate === undefined || this.duplicate[i] === 0;
  }

  indexOf(id: number): number {
    if (this.count === 0) return -1;
    if (this.sortedIds) {
      const ids = this.sortedIds, order = this.order!;
      let lo = 0, hi = this.count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = ids[mid];
        if (v < id) lo = mid + 1;
        else if (v > id) hi = mid - 1;
        else {
          // the first copy (lowest index) among equal ids
          let k = mid;
          while (k > 0 && ids[k - 1] === id) k--;
          return order[k];
        }
      }
      return -1;
    }
    // sorted input: the last span starting at or before id, then its records in order
    const first = this.spanId;
    const spans = ((this.count - 1) >>> SPAN_BITS) + 1;
    if (id < first[0]) return -1;
    let lo = 0, hi = spans - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (first[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    const end = Math.min(this.count, (lo + 1) * SPAN);
    for (let i = lo * SPAN; i < end; i++) {
      const v = this.idAt(i);
      if (v === id) return i;
      if (v > id) return -1;
    }
    return -1;
  }

  idAt(i: number): number {
    this.seek(i);
    return this.curId;
  }

  /** The tags of way i (a fresh object), null when it was not wanted or this is a view from another thread. */
  tagsAt(i: number): OsmTags | null {
    if (!this.hasTags) return null;
    this.seek(i);
    return this.curTag >= 0 ? this.tags.get(this.curTag) : null;
  }

  /** The refs of way i (a fresh array). */
  refsAt(i: number): Float64Array {
    this.seek(i);
    const ci = Math.floor(this.curRefs / CHUNK);
    const buf = this.chunks[ci];
    let o = this.curRefs - ci * CHUNK;
    const out = new Float64Array(this.curLength);
    let prev = 0;
    for (let k = 0; k < out.length; k++) {
      let v = 0, mul = 1, b: number;
      do { b = buf[o++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
      prev += unzigzag(v);
      out[k] = prev;
    }
    return out;
  }

  /** Points the cursor at way i: from the cursor when i follows it in the same span, else from i's span start. */
  private seek(i: number): void {
    if (i === this.cur) return;
    if (i < 0 || i >= this.count) throw new RangeError(`way index ${i} outside 0…${this.count - 1}`);
    let from: number;
    let pos: number, prevId: number, prevTag: number;
    if (this.cur >= 0 && i > this.cur && (i >>> SPAN_BITS) === (this.cur >>> SPAN_BITS)) {
      from = this.cur + 1;
      pos = this.skipRefs(this.curRefs, this.curLength);
      prevId = this.curId;
      prevTag = this.curPrevTag;
    } else {
      from = i & ~(SPAN - 1);
      pos = this.spanPos[i >>> SPAN_BITS];
      prevId = 0;
      prevTag = 0;
    }
    for (let k = from; ; k++) {
      const ci = Math.floor(pos / CHUNK);
      const buf = this.chunks[ci];
      const base = ci * CHUNK;
      let o = pos - base;
      let v = 0, mul = 1, b: number;
      do { b = buf[o++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
      const id = prevId + unzigzag(v);
      v = 0; mul = 1;
      do { b = buf[o++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
      const length = v;
      v = 0; mul = 1;
      do { b = buf[o++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
      const tag = v === 0 ? -1 : prevTag + v - 1;
      if (tag >= 0) prevTag = tag;
      prevId = id;
      if (k === i) {
        this.cur = i;
        this.curId = id;
        this.curLength = length;
        this.curTag = tag;
        this.curPrevTag = prevTag;
        this.curRefs = base + o;
        return;
      }
      pos = this.skipRefs(base + o, length);
    }
  }

  /** The byte position after `n` varints starting at `pos` (a record never crosses a chunk). */
  private skipRefs(pos: number, n: number): number {
    const ci = Math.floor(pos / CHUNK);
    const buf = this.chunks[ci];
    let o = pos - ci * CHUNK;
    for (let left = n; left > 0; o++) if ((buf[o] & 0x80) === 0) left--;
    return ci * CHUNK + o;
  }

  /** Closes the tags' file of a store that spilled them (the temporary directory's owner removes it). */
  close(): void {
    this.tags.close();
  }

  bytesUsed(): number {
    return this.chunks.length * CHUNK + this.spanPos.byteLength * 2 +
      (this.order ? this.order.byteLength + this.sortedIds!.byteLength + this.duplicate!.byteLength : 0) + this.tags.bytes;
  }
}
