/**
 * OSM tag lists kept as bytes instead of JS objects, so the tags of millions of
 * ways cost a few bytes each and nothing on the JS heap per way. A tag list is a
 * varint count, then per tag a key and a value, each a varint reference: `2i` for
 * entry i of a string table, `2n + 1` for n bytes of UTF-8 that follow. The table
 * takes the first strings seen up to a bounded size (keys and common values —
 * `highway`, `residential`, `yes` — come early); names and other rare strings are
 * written inline. Byte chunks of 4 MiB: no copy to grow.
 */
import type { OsmTags } from '../osm/types.js';

const CHUNK_BITS = 22;
const CHUNK = 1 << CHUNK_BITS;
/** Strings in the table at most: bounds the table's heap whatever the input. */
const TABLE_MAX = 1 << 16;
/** Longer strings are never put in the table. */
const TABLE_STRING_MAX = 32;

export class TagBuffer {
  private readonly chunks: Buffer[] = [];
  private end = 0;
  private readonly table: string[] = [];
  private readonly index = new Map<string, number>();

  /** Bytes held (chunks allocated). */
  get bytes(): number {
    return this.chunks.length * CHUNK;
  }

  /** Appends a tag list; returns its position for `get`. */
  add(tags: OsmTags): number {
    const keys = Object.keys(tags);
    let max = 5;
    for (const k of keys) max += 8 + (k.length + tags[k].length) * 3;
    if (max > CHUNK) throw new RangeError(`tag list of ${max} bytes exceeds the ${CHUNK}-byte chunk`);
    let c = this.end >>> CHUNK_BITS, o = this.end & (CHUNK - 1);
    if (c === this.chunks.length || o + max > CHUNK) {
      c = this.chunks.length;
      o = 0;
      this.chunks.push(Buffer.alloc(CHUNK));
    }
    const start = c * CHUNK + o;
    const buf = this.chunks[c];
    o = writeVarint(buf, o, keys.length);
    for (const k of keys) {
      o = this.writeString(buf, o, k);
      o = this.writeString(buf, o, tags[k]);
    }
    this.end = c * CHUNK + o;
    return start;
  }

  /** The tag list at `pos` (a fresh object). */
  get(pos: number): OsmTags {
    const buf = this.chunks[Math.floor(pos / CHUNK)];
    const r = { o: pos % CHUNK };
    const n = readVarint(buf, r);
    const tags: OsmTags = {};
    for (let i = 0; i < n; i++) {
      const k = this.readString(buf, r);
      tags[k] = this.readString(buf, r);
    }
    return tags;
  }

  private writeString(buf: Buffer, o: number, s: string): number {
    let i = this.index.get(s);
    if (i === undefined && this.table.length < TABLE_MAX && s.length <= TABLE_STRING_MAX) {
      i = this.table.length;
      this.table.push(s);
      this.index.set(s, i);
    }
    if (i !== undefined) return writeVarint(buf, o, 2 * i);
    // the length prefix takes at most 4 bytes for a string that fits the chunk; written once the byte count is known
    const n = buf.write(s, o + 4, 'utf8');
    const p = writeVarint(buf, o, 2 * n + 1);
    if (p !== o + 4) buf.copy(buf, p, o + 4, o + 4 + n);
    return p + n;
  }

  private readString(buf: Buffer, r: { o: number }): string {
    const ref = readVarint(buf, r);
    if ((ref & 1) === 0) return this.table[ref >>> 1];
    const n = (ref - 1) / 2;
    const s = buf.toString('utf8', r.o, r.o + n);
    r.o += n;
    return s;
  }
}

function writeVarint(buf: Uint8Array, o: number, v: number): number {
  while (v >= 0x80) {
    buf[o++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[o++] = v;
  return o;
}

function readVarint(buf: Uint8Array, r: { o: number }): number {
  let v = 0, shift = 0, b: number;
  do {
    b = buf[r.o++];
    v |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return v >>> 0;
}
