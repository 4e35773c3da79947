/**
 * Node references of every way read, as zigzag delta varints in chunked shared
 * byte buffers (no array object per way; a way's refs are mostly close ids, so
 * 1–3 bytes a ref instead of 8), so ways can be turned into geometry once all nodes are known and member
 * ways of multipolygons can be fetched by id. Tags are kept only for ways the
 * profile wants, encoded in a TagBuffer (no JS object per way). Duplicates (the same way in two overlapping extracts) are
 * resolved at seal(): the first copy wins.
 */
import type { OsmTags } from '../osm/types.js';
import { TagBuffer } from './tag_buffer.js';

const CHUNK = 1 << 23; // bytes per chunk
/** Refs kept of one way at most (OSM allows 2,000): its varints must fit a chunk. */
const MAX_REFS = Math.floor(CHUNK / 10);

/** The arrays of a sealed store (shared memory), to rebuild it in another thread; tags stay behind. */
export interface SharedWayStore {
  chunks: Uint8Array[];
  ids: Float64Array;
  starts: Float64Array;
  lengths: Int32Array;
  count: number;
  order?: Int32Array;
  duplicate?: Uint8Array;
}

// Shared memory, so worker threads of the features stage read the refs without a copy.
function f64(n: number): Float64Array { return new Float64Array(new SharedArrayBuffer(n * 8)); }
function u8(n: number): Uint8Array { return new Uint8Array(new SharedArrayBuffer(n)); }
function i32(n: number): Int32Array { return new Int32Array(new SharedArrayBuffer(n * 4)); }

export class WayStore {
  private readonly chunks: Uint8Array[] = [];
  private used = CHUNK; // forces the first chunk
  private ids: Float64Array = f64(1024);
  private starts: Float64Array = f64(1024);
  private lengths: Int32Array = i32(1024);
  /** Position of each way's tags in `tags`, -1 for none. */
  private tagPos: Float64Array = new Float64Array(1024);
  private readonly tags = new TagBuffer();
  private count = 0;
  private sorted = true;
  /** After seal(): way indexes in id order (only when input was not sorted). */
  private order?: Int32Array;
  private duplicate?: Uint8Array;
  private duplicates = 0;

  get size(): number {
    return this.count;
  }
  get duplicateCount(): number {
    return this.duplicates;
  }

  add(id: number, refs: Float64Array, tags: OsmTags | null): void {
    if (refs.length > MAX_REFS) refs = refs.subarray(0, MAX_REFS);
    if (this.used + refs.length * 10 > CHUNK) {
      this.chunks.push(u8(CHUNK));
      this.used = 0;
    }
    if (this.count === this.ids.length) this.grow();
    const ci = this.chunks.length - 1;
    const i = this.count++;
    if (i > 0 && id <= this.ids[i - 1]) this.sorted = false;
    this.ids[i] = id;
    this.starts[i] = ci * CHUNK + this.used;
    this.lengths[i] = refs.length;
    this.tagPos[i] = tags ? this.tags.add(tags) : -1;
    const buf = this.chunks[ci];
    let o = this.used, prev = 0;
    for (let k = 0; k < refs.length; k++) {
      const d = refs[k] - prev;
      prev = refs[k];
      let v = d >= 0 ? 2 * d : -2 * d - 1;
      while (v >= 128) {
        buf[o++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
      buf[o++] = v;
    }
    this.used = o;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const ids = f64(n); ids.set(this.ids); this.ids = ids;
    const st = f64(n); st.set(this.starts); this.starts = st;
    const le = i32(n); le.set(this.lengths); this.lengths = le;
    const tp = new Float64Array(n); tp.set(this.tagPos); this.tagPos = tp;
  }

  /** Builds the id index and marks duplicates. Call once, after the last add. */
  seal(): void {
    this.duplicate = new Uint8Array(new SharedArrayBuffer(Math.max(1, this.count)));
    if (this.sorted) return;
    const order = i32(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    const ids = this.ids;
    order.sort((a, b) => ids[a] - ids[b] || a - b);
    for (let k = 1; k < order.length; k++) {
      if (ids[order[k]] === ids[order[k - 1]]) {
        this.duplicate[order[k]] = 1;
        this.duplicates++;
      }
    }
    this.order = order;
  }

  toShared(): SharedWayStore {
    return { chunks: this.chunks, ids: this.ids, starts: this.starts, lengths: this.lengths, count: this.count, order: this.order, duplicate: this.duplicate };
  }

  /** A sealed view of a store shared by another thread, without tags (they travel with the work). */
  static fromShared(s: SharedWayStore): WayStore {
    const w = new WayStore();
    w.tagPos = new Float64Array(0);
    w.chunks.push(...s.chunks);
    w.ids = s.ids;
    w.starts = s.starts;
    w.lengths = s.lengths;
    w.count = s.count;
    w.order = s.order;
    w.duplicate = s.duplicate;
    w.sorted = s.order === undefined;
    return w;
  }

  /** False for the second copy of a way seen twice. */
  isPrimary(i: number): boolean {
    return this.duplicate === undefined || this.duplicate[i] === 0;
  }

  indexOf(id: number): number {
    const ids = this.ids;
    const order = this.order;
    let lo = 0, hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = order ? ids[order[mid]] : ids[mid];
      if (v < id) lo = mid + 1;
      else if (v > id) hi = mid - 1;
      else {
        if (!order) return mid;
        // the first copy (lowest index) among equal ids
        let k = mid;
        while (k > 0 && ids[order[k - 1]] === id) k--;
        return order[k];
      }
    }
    return -1;
  }
  idAt(i: number): number {
    return this.ids[i];
  }
  /** The tags of way i (a fresh object), null when it was not wanted or this is a view from another thread. */
  tagsAt(i: number): OsmTags | null {
    const p = i < this.tagPos.length ? this.tagPos[i] : -1;
    return p >= 0 ? this.tags.get(p) : null;
  }
  /** The refs of way i (a fresh array). */
  refsAt(i: number): Float64Array {
    const s = this.starts[i];
    const ci = Math.floor(s / CHUNK);
    const buf = this.chunks[ci];
    let o = s - ci * CHUNK;
    const out = new Float64Array(this.lengths[i]);
    let prev = 0;
    for (let k = 0; k < out.length; k++) {
      let v = 0, mul = 1, b: number;
      do { b = buf[o++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
      prev += v % 2 === 0 ? v / 2 : -(v + 1) / 2;
      out[k] = prev;
    }
    return out;
  }

  bytesUsed(): number {
    return this.chunks.length * CHUNK + this.ids.length * 28 + (this.order ? this.order.length * 4 : 0) + this.tags.bytes;
  }
}
