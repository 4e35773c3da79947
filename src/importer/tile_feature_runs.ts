/**
 * Tile features past the memory budget, on disk: a tile feature store writes what
 * it holds as a *run* (a temporary file of records sorted by tile key, emission
 * order within a tile) and starts again empty; the tiles stage merges the runs of
 * every store by tile key and so streams tile by tile (planetiler's sorted feature
 * files). A record is self-contained — attributes and label grid inline, geometry
 * in the store's varint encoding — so nothing per feature stays on the JS heap.
 * The file is compressed block by block (compressed_blocks.ts): the temporary disk an
 * import takes, as the summary reports it, is about a fifth of the raw records.
 */
import type { Attrs } from '../schema/profile.js';
import { decodeGeometry, type LabelGrid, type TileFeature } from './tile_feature_store.js';
import { BlockStreamReader, BlockStreamWriter, CorruptTempFileError, type BlockWriterOptions } from './compressed_blocks.js';

/** One feature as a run record: everything but the geometry bytes, which the caller passes as a slice. */
export interface RunRecord {
  key: number;
  seq: number;
  layer: number;
  sortKey: number;
  id?: number;
  attrs: Attrs;
  labelGrid?: LabelGrid;
  /** The source object's key, in a store that records sources. */
  src?: number;
}

/** Appends records to a run file (compressed blocks, compressed_blocks.ts). */
export class TileRunWriter {
  private readonly out: BlockStreamWriter;

  constructor(file: string, o: BlockWriterOptions = {}) {
    this.out = new BlockStreamWriter(file, o);
  }

  get file(): string { return this.out.file; }
  /** Bytes on disk so far. */
  get bytes(): number { return this.out.bytes; }

  write(r: RunRecord, geom: Uint8Array): void {
    // attribute strings take at most 3 bytes a UTF-16 unit; numbers 9, keys and type tags a few more
    let max = 96 + geom.length + (r.labelGrid?.rankAttr?.length ?? 0) * 3;
    for (const k of Object.keys(r.attrs)) {
      const v = r.attrs[k];
      max += 16 + k.length * 3 + (typeof v === 'string' ? v.length * 3 : 9);
    }
    this.out.reserve(max);
    const b = this.out.buf;
    let p = this.out.pos;
    p = b.writeDoubleLE(r.key, p);
    p = b.writeDoubleLE(r.seq, p);
    b[p++] = r.layer;
    p = b.writeDoubleLE(r.sortKey, p);
    p = b.writeDoubleLE(r.id ?? NaN, p);
    p = b.writeDoubleLE(r.src ?? NaN, p);
    const g = r.labelGrid;
    b[p++] = g ? 1 : 0;
    if (g) {
      p = b.writeDoubleLE(g.sizePx, p);
      p = b.writeDoubleLE(g.limit, p);
      p = b.writeDoubleLE(g.rankOffset ?? NaN, p);
      p = writeString(b, p, g.rankAttr);
    }
    const keys = Object.keys(r.attrs);
    p = b.writeUInt16LE(keys.length, p);
    for (const k of keys) {
      p = writeString(b, p, k);
      const v = r.attrs[k];
      if (typeof v === 'string') { b[p++] = 0; p = writeString(b, p, v); }
      else if (typeof v === 'number') { b[p++] = 1; p = b.writeDoubleLE(v, p); }
      else { b[p++] = 2; b[p++] = v ? 1 : 0; }
    }
    p = b.writeUInt32LE(geom.length, p);
    b.set(geom, p);
    this.out.pos = p + geom.length;
  }

  /** Appends records as a reader copied them (readTileBytes: complete, sequence numbers already offset), in key order. */
  writeRecords(records: Uint8Array): void {
    // a block at a time: the buffer stays two blocks however large a tile is
    const step = this.out.blockSize;
    for (let at = 0; at < records.length; at += step) {
      const part = records.subarray(at, at + step);
      this.out.reserve(part.length);
      this.out.buf.set(part, this.out.pos);
      this.out.pos += part.length;
    }
  }

  close(): void {
    this.out.close();
  }

  /** Closes the file after a failed write; the run is incomplete (its reader reports it truncated). */
  abort(): void {
    this.out.abort();
  }
}

function writeString(b: Buffer, p: number, s: string | undefined): number {
  if (s === undefined) return b.writeUInt32LE(0xffffffff, p);
  const n = b.write(s, p + 4, 'utf8');
  b.writeUInt32LE(n, p);
  return p + 4 + n;
}

/** Bytes appended at `length` into one buffer that grows (doubling) as needed, reused from tile to tile. */
export class RecordBuffer {
  buf: Buffer;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Room for `n` more bytes: returns where they go (`length` moves past them). */
  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, at + n));
      this.buf.copy(bigger, 0, 0, at);
      this.buf = bigger;
    }
    this.length = at + n;
    return at;
  }

  /** A copy of the bytes appended so far, in a buffer of their own (one a thread can take). */
  take(): Uint8Array {
    const out = new Uint8Array(this.length);
    out.set(this.buf.subarray(0, this.length));
    return out;
  }
}

/** Reads a run file record by record, block by block; `key` is the tile key of the next record (Infinity at the end). */
export class TileRunReader {
  private readonly in: BlockStreamReader;
  key = Infinity;

  constructor(readonly file: string, private readonly seqBase: number) {
    this.in = new BlockStreamReader(file);
    try {
      this.peek();
    } catch (e) {
      // a file cut or altered before its first record: nobody else holds the reader to close it
      this.in.close();
      throw e;
    }
  }

  private peek(): void {
    this.key = this.in.fill(8) ? this.in.buf.readDoubleLE(this.in.start) : Infinity;
  }

  /**
   * Appends the records of tile `key` to `out` as bytes (copied, sequence numbers offset by the reader's base), for
   * a thread to decode (decodeRunRecords): no object per feature on this thread, nor per record (one growing buffer).
   */
  readTileBytes(key: number, out: RecordBuffer): void {
    const s = this.in, base = this.seqBase;
    while (this.key === key) {
      const n = this.recordLength();
      const at = out.reserve(n);
      const b = out.buf;
      s.buf.copy(b, at, s.start, s.start + n);
      if (base !== 0) b.writeDoubleLE(base + b.readDoubleLE(at + 8), at + 8);
      s.start += n;
      this.peek();
    }
  }

  /** Makes `q + n` bytes from `start` available (a record cut short: CorruptTempFileError). */
  private need(q: number, n: number): void {
    const s = this.in;
    if (s.end - s.start < q + n && !s.fill(q + n)) throw new CorruptTempFileError(this.file, 'a record ends past the end of the file');
  }

  /** `q` past a string at `q` (its u32 length, then its bytes unless the length is 0xffffffff). */
  private skipString(q: number): number {
    this.need(q, 4);
    const n = this.in.buf.readUInt32LE(this.in.start + q);
    return n === 0xffffffff ? q + 4 : q + 4 + n;
  }

  /** The length of the next record, every byte of it buffered (a record cut short: CorruptTempFileError). */
  private recordLength(): number {
    // q: offset from `start` (fill() may move the buffer's contents, never past `start`)
    const s = this.in;
    let q = 8 + 8 + 1 + 8 + 8 + 8; // key, seq, layer, sort key, id, source
    this.need(q, 1);
    if (s.buf[s.start + q++] === 1) q = this.skipString(q + 24);
    this.need(q, 2);
    const nAttrs = s.buf.readUInt16LE(s.start + q); q += 2;
    for (let i = 0; i < nAttrs; i++) {
      q = this.skipString(q);
      this.need(q, 1);
      const t = s.buf[s.start + q++];
      q = t === 0 ? this.skipString(q) : q + (t === 1 ? 8 : 1);
    }
    this.need(q, 4);
    q += 4 + s.buf.readUInt32LE(s.start + q);
    this.need(q, 0);
    return q;
  }

  close(): void {
    this.in.close();
  }
}

/** Where the record decodeRecordAt decoded ends: no object per record for it (decodeRunRecords is hot). */
let recordEnd = 0;

/** A string at `p` of `b` (u32 length, 0xffffffff: none, then UTF-8); sets `recordEnd` past it. */
function readString(b: Buffer, p: number): string | undefined {
  const n = b.readUInt32LE(p);
  if (n === 0xffffffff) { recordEnd = p + 4; return undefined; }
  recordEnd = p + 4 + n;
  return b.toString('utf8', p + 4, p + 4 + n);
}

/** The feature of the record at `p` of `b` (complete: see recordLength); sets `recordEnd` to where the next one starts. */
function decodeRecordAt(b: Buffer, p: number, seqBase: number): TileFeature {
  // p + 8: past the key
  const seq = b.readDoubleLE(p + 8);
  const layer = b[p + 16];
  const sortKey = b.readDoubleLE(p + 17);
  const id = b.readDoubleLE(p + 25);
  const src = b.readDoubleLE(p + 33);
  p += 41;
  let labelGrid: LabelGrid | undefined;
  if (b[p++] === 1) {
    const sizePx = b.readDoubleLE(p), limit = b.readDoubleLE(p + 8), rankOffset = b.readDoubleLE(p + 16);
    const rankAttr = readString(b, p + 24);
    p = recordEnd;
    labelGrid = { sizePx, limit };
    if (rankAttr !== undefined) labelGrid.rankAttr = rankAttr;
    if (!Number.isNaN(rankOffset)) labelGrid.rankOffset = rankOffset;
  }
  const nAttrs = b.readUInt16LE(p); p += 2;
  const attrs: Attrs = {};
  for (let i = 0; i < nAttrs; i++) {
    const k = readString(b, p)!;
    p = recordEnd;
    const t = b[p++];
    if (t === 0) { attrs[k] = readString(b, p)!; p = recordEnd; }
    else if (t === 1) { attrs[k] = b.readDoubleLE(p); p += 8; }
    else attrs[k] = b[p++] === 1;
  }
  const n = b.readUInt32LE(p); p += 4;
  const geometry = decodeGeometry(b, p);
  const feature: TileFeature = { layer, sortKey, seq: seqBase + seq, geometry, attrs, id: Number.isNaN(id) ? undefined : id, labelGrid };
  if (!Number.isNaN(src)) feature.src = src;
  recordEnd = p + n;
  return feature;
}

/** The features of a tile's records as readTileBytes copied them (one after the other). */
export function decodeRunRecords(records: Uint8Array): TileFeature[] {
  const b = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  const out: TileFeature[] = [];
  for (let p = 0; p < b.length; p = recordEnd) out.push(decodeRecordAt(b, p, 0));
  return out;
}

/**
 * Merges runs by tile key: yields each tile key once, in ascending order, with the
 * features of every run for it. `runs[s]`: the run files of store s (its features'
 * sequence numbers are offset by `seqBase(s)`, as decodeGroupRows does).
 */
export function* mergeTileRuns(runs: readonly (readonly string[])[], seqBase: (store: number) => number): Generator<{ key: number; features: TileFeature[] }> {
  for (const t of mergeTileRunBytes(runs, seqBase)) yield { key: t.key, features: decodeRunRecords(t.records) };
}

/** As mergeTileRuns, each tile's records as one byte array (decodeRunRecords) instead of decoded features. */
export function mergeTileRunBytes(runs: readonly (readonly string[])[], seqBase: (store: number) => number): Generator<{ key: number; records: Uint8Array }> {
  return mergeRunFiles(runs.flatMap((files, s) => files.map((file) => ({ file, seqBase: seqBase(s) }))));
}

/** A run file to merge and the offset of its records' sequence numbers. */
export interface RunInput { file: string; seqBase: number }

/**
 * Merges run files in one pass, every one open at once: each tile's records in the order of `inputs` (a run's own
 * in its order), sequence numbers offset. tile_run_merge.ts bounds how many that is.
 */
export function* mergeRunFiles(inputs: readonly RunInput[]): Generator<{ key: number; records: Uint8Array }> {
  const readers: TileRunReader[] = [];
  const out = new RecordBuffer();
  try {
    for (const r of inputs) readers.push(new TileRunReader(r.file, r.seqBase));
    for (;;) {
      let key = Infinity;
      for (const r of readers) if (r.key < key) key = r.key;
      if (key === Infinity) return;
      out.length = 0;
      for (const r of readers) r.readTileBytes(key, out);
      yield { key, records: out.take() };
    }
  } finally {
    for (const r of readers) r.close();
  }
}
