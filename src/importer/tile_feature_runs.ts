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
   * a thread to decode (decodeRunRecords): no object per feature on this thread.
   */
  readTileBytes(key: number, out: Uint8Array[]): void {
    while (this.key === key) {
      const s = this.in, n = this.recordLength();
      const copy = new Uint8Array(n);
      copy.set(s.buf.subarray(s.start, s.start + n));
      const view = new DataView(copy.buffer);
      view.setFloat64(8, this.seqBase + view.getFloat64(8, true), true);
      out.push(copy);
      s.start += n;
      this.peek();
    }
  }

  /** The length of the next record, every byte of it buffered (a record cut short: CorruptTempFileError). */
  private recordLength(): number {
    // q: offset from `start` (fill() may move the buffer's contents, never past `start`)
    const s = this.in;
    let q = 0;
    const need = (n: number): void => {
      if (!s.fill(q + n)) throw new CorruptTempFileError(this.file, 'a record ends past the end of the file');
    };
    const skip = (n: number): void => { need(n); q += n; };
    const u8 = (): number => { need(1); return s.buf[s.start + q++]; };
    const u32 = (): number => { need(4); const v = s.buf.readUInt32LE(s.start + q); q += 4; return v; };
    const str = (): void => {
      const n = u32();
      if (n !== 0xffffffff) skip(n);
    };
    skip(8 + 8 + 1 + 8 + 8 + 8); // key, seq, layer, sort key, id, source
    if (u8() === 1) { skip(24); str(); }
    need(2);
    const nAttrs = s.buf.readUInt16LE(s.start + q); q += 2;
    for (let i = 0; i < nAttrs; i++) {
      str();
      const t = u8();
      if (t === 0) str();
      else skip(t === 1 ? 8 : 1);
    }
    skip(u32());
    return q;
  }

  close(): void {
    this.in.close();
  }
}

/** Decodes the record at `p` of `b` (complete: see recordLength); `end`: where the next one starts. */
export function decodeRunRecord(b: Buffer, p: number, seqBase: number): { feature: TileFeature; end: number } {
  const f64 = (): number => { const v = b.readDoubleLE(p); p += 8; return v; };
  const u32 = (): number => { const v = b.readUInt32LE(p); p += 4; return v; };
  const str = (): string | undefined => {
    const n = u32();
    if (n === 0xffffffff) return undefined;
    const v = b.toString('utf8', p, p + n);
    p += n;
    return v;
  };
  p += 8; // the key
  const seq = f64();
  const layer = b[p++];
  const sortKey = f64();
  const id = f64();
  const src = f64();
  let labelGrid: LabelGrid | undefined;
  if (b[p++] === 1) {
    const sizePx = f64(), limit = f64(), rankOffset = f64();
    const rankAttr = str();
    labelGrid = { sizePx, limit, ...(rankAttr !== undefined ? { rankAttr } : {}), ...(Number.isNaN(rankOffset) ? {} : { rankOffset }) };
  }
  const nAttrs = b.readUInt16LE(p); p += 2;
  const attrs: Attrs = {};
  for (let i = 0; i < nAttrs; i++) {
    const k = str()!;
    const t = b[p++];
    attrs[k] = t === 0 ? str()! : t === 1 ? f64() : b[p++] === 1;
  }
  const n = u32();
  const geometry = decodeGeometry(b, p);
  const feature: TileFeature = {
    layer, sortKey, seq: seqBase + seq, geometry, attrs,
    id: Number.isNaN(id) ? undefined : id,
    labelGrid,
    ...(Number.isNaN(src) ? {} : { src }),
  };
  return { feature, end: p + n };
}

/** The features of a tile's records as readTileBytes copied them (one after the other). */
export function decodeRunRecords(records: Uint8Array): TileFeature[] {
  const b = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  const out: TileFeature[] = [];
  for (let p = 0; p < b.length;) {
    const r = decodeRunRecord(b, p, 0);
    out.push(r.feature);
    p = r.end;
  }
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
  try {
    for (const r of inputs) readers.push(new TileRunReader(r.file, r.seqBase));
    for (;;) {
      let key = Infinity;
      for (const r of readers) if (r.key < key) key = r.key;
      if (key === Infinity) return;
      const parts: Uint8Array[] = [];
      for (const r of readers) r.readTileBytes(key, parts);
      const records = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) { records.set(p, at); at += p.length; }
      yield { key, records };
    }
  } finally {
    for (const r of readers) r.close();
  }
}
