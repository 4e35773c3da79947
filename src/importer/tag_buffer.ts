/**
 * OSM tag lists kept as bytes instead of JS objects, so the tags of millions of
 * ways cost a few bytes each and nothing on the JS heap per way. A tag list is a
 * varint count, then per tag a key and a value, each a varint reference: `2i` for
 * entry i of a string table, `2n + 1` for n bytes of UTF-8 that follow. The table
 * takes the first strings seen up to a bounded size (keys and common values —
 * `highway`, `residential`, `yes` — come early); names and other rare strings are
 * written inline. A list is stored with its byte length in front, at a position in
 * one byte stream: chunk c of 4 MiB holds bytes c × 4 MiB on (no copy to grow).
 *
 * Given a spill budget, a buffer that outgrows it writes its chunks to a temporary
 * file as a stream of compressed blocks (compressed_blocks.ts; a chunk's unused tail
 * is zeros, which compress to nothing, so positions stay what they were) and appends
 * later lists there. A spilled buffer is read by moving forward through the file: it
 * answers `get` in increasing positions (the features stage reads ways in order); an
 * earlier position starts again from the beginning of the file. The string table
 * stays in memory, bounded. At 54 M nodes the tags of wanted ways took ~400 MiB in
 * memory (long inline strings: French cadastre `source` tags, names).
 */
import type { OsmTags } from '../osm/types.js';
import { BlockStreamReader, BlockStreamWriter, CorruptTempFileError } from './compressed_blocks.js';

const CHUNK_BITS = 22;
const CHUNK = 1 << CHUNK_BITS;
/** Strings in the table at most: bounds the table's heap whatever the input. */
const TABLE_MAX = 1 << 16;
/** Longer strings are never put in the table. */
const TABLE_STRING_MAX = 32;

/** Where and past how many bytes of chunks a buffer moves its lists to a file. */
export interface TagSpillOptions {
  file: string;
  budgetBytes: number;
}

export class TagBuffer {
  private chunks: Buffer[] = [];
  private end = 0;
  private readonly table: string[] = [];
  private readonly index = new Map<string, number>();
  /** Spilled: the file being written (until seal()), then the reader and the stream position it is at. */
  private writer?: BlockStreamWriter;
  private spilledFile?: string;
  private reader?: BlockStreamReader;
  private readAt = 0;
  private sealed = false;
  private scratch = Buffer.alloc(4096);

  constructor(private readonly spill?: TagSpillOptions) {}

  /** Bytes held in memory (chunks allocated, or the spilled file's buffers). */
  get bytes(): number {
    return this.chunks.length * CHUNK + (this.writer?.buf.length ?? 0) + (this.reader?.buf.length ?? 0) + this.scratch.length;
  }

  /** Whether the lists went to the file (past the spill budget). */
  get onDisk(): boolean {
    return this.spilledFile !== undefined;
  }

  /** Appends a tag list; returns its position for `get`. */
  add(tags: OsmTags): number {
    if (this.sealed) throw new RangeError('TagBuffer.add() after seal()');
    const keys = Object.keys(tags);
    let max = 5;
    for (const k of keys) max += 8 + (k.length + tags[k].length) * 3;
    if (this.scratch.length < max) this.scratch = Buffer.alloc(max);
    const body = this.scratch;
    let n = writeVarint(body, 0, keys.length);
    for (const k of keys) {
      n = this.writeString(body, n, k);
      n = this.writeString(body, n, tags[k]);
    }
    if (this.writer) {
      const w = this.writer;
      w.reserve(n + 5);
      const start = this.end;
      const p = writeVarint(w.buf, w.pos, n);
      body.copy(w.buf, p, 0, n);
      this.end += p + n - w.pos;
      w.pos = p + n;
      return start;
    }
    if (n + 5 > CHUNK) throw new RangeError(`tag list of ${n} bytes exceeds the ${CHUNK}-byte chunk`);
    let c = Math.floor(this.end / CHUNK), o = this.end - c * CHUNK;
    if (c === this.chunks.length || o + n + 5 > CHUNK) {
      c = this.chunks.length;
      o = 0;
      this.chunks.push(Buffer.alloc(CHUNK));
    }
    const start = c * CHUNK + o;
    const buf = this.chunks[c];
    o = writeVarint(buf, o, n);
    body.copy(buf, o, 0, n);
    this.end = c * CHUNK + o + n;
    if (this.spill && this.chunks.length * CHUNK > this.spill.budgetBytes) this.moveToFile();
    return start;
  }

  /** Writes the chunks held to the file (each in full: positions are kept) and lets them go. */
  private moveToFile(): void {
    const w = (this.writer = new BlockStreamWriter(this.spill!.file));
    this.spilledFile = this.spill!.file;
    for (let c = 0; c < this.chunks.length; c++) {
      const n = c < this.chunks.length - 1 ? CHUNK : this.end - c * CHUNK;
      w.reserve(n);
      this.chunks[c].copy(w.buf, w.pos, 0, n);
      w.pos += n;
    }
    this.chunks = [];
  }

  /** Ends adding: a spilled buffer closes its file, to be read from then on. */
  seal(): void {
    this.sealed = true;
    this.writer?.close();
    this.writer = undefined;
  }

  /** Closes a spilled buffer's file (its directory's owner removes it); one still being written (a failed read) is closed unfinished. */
  close(): void {
    this.sealed = true;
    this.writer?.abort();
    this.writer = undefined;
    this.reader?.close();
    this.reader = undefined;
  }

  /** The tag list at `pos` (a fresh object). */
  get(pos: number): OsmTags {
    if (this.spilledFile !== undefined) return this.getSpilled(pos);
    const buf = this.chunks[Math.floor(pos / CHUNK)];
    const r = { o: pos % CHUNK };
    readVarint(buf, r);
    return this.decode(buf, r);
  }

  /** Reads forward in the file to `pos` (from its start when `pos` is behind), then the list there. */
  private getSpilled(pos: number): OsmTags {
    if (!this.sealed) throw new RangeError('TagBuffer.get() before seal() on a spilled buffer');
    const file = this.spilledFile!;
    if (!this.reader || pos < this.readAt) {
      this.reader?.close();
      this.reader = new BlockStreamReader(file);
      this.readAt = 0;
    }
    const r = this.reader;
    while (this.readAt < pos) {
      if (r.end === r.start && !r.fill(1)) throw new CorruptTempFileError(file, `ends before tag list ${pos}`);
      const step = Math.min(pos - this.readAt, r.end - r.start);
      r.start += step;
      this.readAt += step;
    }
    let len = 0, shift = 0, b: number, head = 0;
    do {
      if (!r.fill(head + 1)) throw new CorruptTempFileError(file, `ends inside tag list ${pos}`);
      b = r.buf[r.start + head++];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    if (!r.fill(head + len)) throw new CorruptTempFileError(file, `ends inside tag list ${pos}`);
    const tags = this.decode(r.buf, { o: r.start + head });
    r.start += head + len;
    this.readAt += head + len;
    return tags;
  }

  private decode(buf: Buffer, r: { o: number }): OsmTags {
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
