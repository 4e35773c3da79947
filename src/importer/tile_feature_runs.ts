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

  close(): void {
    this.out.close();
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
    this.peek();
  }

  private peek(): void {
    this.key = this.in.fill(8) ? this.in.buf.readDoubleLE(this.in.start) : Infinity;
  }

  /** Appends the records of tile `key` (the reader's next key) to `out`. */
  readTile(key: number, out: TileFeature[]): void {
    while (this.key === key) {
      out.push(this.readRecord());
      this.peek();
    }
  }

  private readRecord(): TileFeature {
    // q: offset from `start` (fill() may move the buffer's contents, never past `start`)
    const s = this.in;
    let q = 0;
    const need = (n: number): void => {
      if (!s.fill(q + n)) throw new CorruptTempFileError(this.file, 'a record ends past the end of the file');
    };
    const f64 = (): number => { need(8); const v = s.buf.readDoubleLE(s.start + q); q += 8; return v; };
    const u8 = (): number => { need(1); return s.buf[s.start + q++]; };
    const u32 = (): number => { need(4); const v = s.buf.readUInt32LE(s.start + q); q += 4; return v; };
    const str = (): string | undefined => {
      const n = u32();
      if (n === 0xffffffff) return undefined;
      need(n);
      const v = s.buf.toString('utf8', s.start + q, s.start + q + n);
      q += n;
      return v;
    };
    q = 8; // the key, already peeked
    const seq = f64();
    const layer = u8();
    const sortKey = f64();
    const id = f64();
    const src = f64();
    let labelGrid: LabelGrid | undefined;
    if (u8() === 1) {
      const sizePx = f64(), limit = f64(), rankOffset = f64();
      const rankAttr = str();
      labelGrid = { sizePx, limit, ...(rankAttr !== undefined ? { rankAttr } : {}), ...(Number.isNaN(rankOffset) ? {} : { rankOffset }) };
    }
    need(2);
    const nAttrs = s.buf.readUInt16LE(s.start + q); q += 2;
    const attrs: Attrs = {};
    for (let i = 0; i < nAttrs; i++) {
      const k = str()!;
      const t = u8();
      attrs[k] = t === 0 ? str()! : t === 1 ? f64() : u8() === 1;
    }
    const n = u32();
    need(n);
    const geometry = decodeGeometry(s.buf, s.start + q);
    s.start += q + n;
    return {
      layer, sortKey, seq: this.seqBase + seq, geometry, attrs,
      id: Number.isNaN(id) ? undefined : id,
      labelGrid,
      ...(Number.isNaN(src) ? {} : { src }),
    };
  }

  close(): void {
    this.in.close();
  }
}

/**
 * Merges runs by tile key: yields each tile key once, in ascending order, with the
 * features of every run for it. `runs[s]`: the run files of store s (its features'
 * sequence numbers are offset by `seqBase(s)`, as decodeGroupRows does).
 */
export function* mergeTileRuns(runs: readonly (readonly string[])[], seqBase: (store: number) => number): Generator<{ key: number; features: TileFeature[] }> {
  const readers: TileRunReader[] = [];
  try {
    runs.forEach((files, s) => { for (const f of files) readers.push(new TileRunReader(f, seqBase(s))); });
    for (;;) {
      let key = Infinity;
      for (const r of readers) if (r.key < key) key = r.key;
      if (key === Infinity) return;
      const features: TileFeature[] = [];
      for (const r of readers) r.readTile(key, features);
      yield { key, features };
    }
  } finally {
    for (const r of readers) r.close();
  }
}
