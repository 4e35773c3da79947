/**
 * Tile features between the `features` and `tiles` stages, stored compactly: one
 * row of typed arrays per feature piece and its tile geometry as zigzag-delta
 * varints in chunked byte buffers (as planetiler serializes features before its
 * sort), instead of one object graph per piece. Attribute objects are interned:
 * identical attribute sets (most buildings, most roads of a class) share one.
 * Rows are appended in emission order, so the row number doubles as the stable
 * tie-breaker after the sort key. With a spill budget, a store that holds more than
 * it writes its rows as a run sorted by tile (tile_feature_runs.ts) and starts
 * again empty, row numbers carrying on.
 */
import path from 'node:path';
import { tileKey } from '../core/tile_math.js';
import { copyWithLength } from '../core/growable_arrays.js';
import type { Attrs } from '../schema/profile.js';
import type { TileGeometry } from '../tiling/feature_tiler.js';
import { TileRunWriter } from './tile_feature_runs.js';

export interface TileFeature {
  layer: number;
  sortKey: number;
  seq: number;
  geometry: TileGeometry;
  attrs: Attrs;
  id?: number;
  labelGrid?: LabelGrid;
  /** The source object's key (update/source_key.ts), in a store that records sources (an updatable import). */
  src?: number;
}

export interface LabelGrid { sizePx: number; limit: number; rankAttr?: string; rankOffset?: number }

const CHUNK_BYTES = 1 << 23;
/** Bytes a row costs in the typed arrays (besides its geometry bytes). */
const ROW_BYTES = 42;

/** Where and past how many bytes a store writes its rows to a run file. */
export interface SpillOptions {
  dir: string;
  /** File name prefix, unique per store (e.g. per thread). */
  prefix: string;
  budgetBytes: number;
}

class ByteChunks {
  readonly chunks: Uint8Array[] = [];
  /** Index of the chunk being written (-1: none yet). */
  private ci = -1;
  private cur: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /** Bytes of the chunks allocated. */
  bytes = 0;

  /** Makes room for up to `max` bytes in one chunk; returns [chunk index, offset]. */
  reserve(max: number): [number, number] {
    if (this.pos + max > this.cur.length) {
      // after reset(), the chunks already allocated are written again before any new one
      const next = this.chunks[this.ci + 1];
      if (next && next.length >= max) this.cur = next;
      else {
        this.cur = new Uint8Array(new SharedArrayBuffer(Math.max(CHUNK_BYTES, max)));
        this.chunks.splice(this.ci + 1, 0, this.cur);
        this.bytes += this.cur.length;
      }
      this.ci++;
      this.pos = 0;
    }
    return [this.ci, this.pos];
  }

  /** Starts writing again from the first chunk, keeping the chunks (their bytes are no longer read). */
  reset(): void {
    this.ci = -1;
    this.cur = new Uint8Array(0);
    this.pos = 0;
  }

  get buffer(): Uint8Array { return this.cur; }
  get offset(): number { return this.pos; }
  set offset(p: number) { this.pos = p; }
}

// Shared memory, so the tiles stage can hand the whole store to encoder threads without copying it.

/** The keys of `a` in sorted order; sorted only when they are not already (most layers add them in one order). */
export function sortedKeys(a: Attrs): string[] {
  const keys = Object.keys(a);
  for (let i = 1; i < keys.length; i++) {
    // string comparison by UTF-16 code units, as the default sort's
    if (keys[i - 1] > keys[i]) return keys.sort();
  }
  return keys;
}

function attrsKey(a: Attrs): string {
  let s = '';
  for (const k of sortedKeys(a)) {
    const v = a[k];
    s += `${k}\u0000${typeof v === 'string' ? 's' : typeof v === 'number' ? 'n' : 'b'}${v}\u0001`;
  }
  return s;
}

export class TileFeatureStore {
  private n = 0;
  private cap = 0;
  private layer: Uint8Array = new Uint8Array(0);
  private sortKey: Float64Array = new Float64Array(0);
  private attrIdx: Uint32Array = new Uint32Array(0);
  private ids: Float64Array = new Float64Array(0);
  /** Source keys, only in a store that records them (empty otherwise). */
  private srcs: Float64Array = new Float64Array(0);
  private chunk: Uint32Array = new Uint32Array(0);
  private offset: Uint32Array = new Uint32Array(0);
  private glen: Uint32Array = new Uint32Array(0);
  private grid: Uint8Array = new Uint8Array(0);
  private geom = new ByteChunks();
  private attrs: Attrs[] = [];
  private attrIndex = new Map<string, number>();
  private readonly grids: LabelGrid[] = [{ sizePx: 0, limit: 0 }];
  private tiles = new Map<number, number[]>();
  private lastAttrs?: Attrs;
  private lastAttrsIdx = 0;
  /** Rows written to runs before the ones held: the first held row's number. */
  private rowBase = 0;
  private used = 0;
  private readonly runFiles: string[] = [];

  /** `sources`: keep each row's source key (an updatable import keeps per-tile features by source object). */
  constructor(private readonly spill?: SpillOptions, readonly sources = false) {}

  get featureCount(): number { return this.rowBase + this.n; }
  /** Tiles held in memory (a spilled store's other tiles are in its runs). */
  get tileCount(): number { return this.tiles.size; }
  get bytesUsed(): number { return this.geom.bytes + this.cap * ROW_BYTES; }
  /** Run files written so far (a store that never passed its budget has none). */
  get runs(): readonly string[] { return this.runFiles; }

  /** Interns an attribute set; the same object passed twice in a row is not re-hashed. */
  private intern(a: Attrs): number {
    if (a === this.lastAttrs) return this.lastAttrsIdx;
    const k = attrsKey(a);
    let i = this.attrIndex.get(k);
    if (i === undefined) {
      i = this.attrs.length;
      this.attrs.push(a);
      this.attrIndex.set(k, i);
    }
    this.lastAttrs = a;
    this.lastAttrsIdx = i;
    return i;
  }

  private gridIndex(g?: LabelGrid): number {
    if (!g) return 0;
    let i = this.grids.findIndex((x) => x.sizePx === g.sizePx && x.limit === g.limit && x.rankAttr === g.rankAttr && x.rankOffset === g.rankOffset);
    if (i < 0) {
      i = this.grids.length;
      this.grids.push({ sizePx: g.sizePx, limit: g.limit, rankAttr: g.rankAttr, rankOffset: g.rankOffset });
    }
    return i;
  }

  add(z: number, x: number, y: number, f: { layer: number; sortKey: number; geometry: TileGeometry; attrs: Attrs; id?: number; labelGrid?: LabelGrid; src?: number }): void {
    if (this.n === this.cap) {
      const c = this.nextCapacity();
      // a store that cannot grow within its budget writes a run and starts again in the arrays it has
      if (c <= this.cap && this.n > 0) this.spillRun();
      else this.grow(Math.max(c, this.cap + 1));
    }
    const row = this.n++;
    if (this.sources) this.srcs[row] = f.src ?? NaN;
    this.layer[row] = f.layer;
    this.sortKey[row] = f.sortKey;
    this.attrIdx[row] = this.intern(f.attrs);
    this.ids[row] = f.id ?? NaN;
    this.grid[row] = this.gridIndex(f.labelGrid);
    this.writeGeometry(row, f.geometry);
    const k = tileKey(z, x, y);
    let list = this.tiles.get(k);
    if (!list) this.tiles.set(k, (list = []));
    list.push(row);
    this.used += this.glen[row] + ROW_BYTES;
    if (this.spill && this.used >= this.spill.budgetBytes) this.spillRun();
  }

  /** Writes every held row to a new run (sorted by tile key, rows in order) and empties the store. */
  private spillRun(): void {
    const spill = this.spill!;
    const writer = new TileRunWriter(path.join(spill.dir, `${spill.prefix}-${this.runFiles.length}.run`));
    this.runFiles.push(writer.file);
    const snap = this.snapshot();
    try {
      for (const key of this.keys()) {
        for (const r of this.tiles.get(key)!) {
          const g = snap.grid[r];
          const start = snap.offset[r];
          writer.write({
            key, seq: this.rowBase + r, layer: snap.layer[r], sortKey: snap.sortKey[r],
            id: Number.isNaN(snap.ids[r]) ? undefined : snap.ids[r],
            attrs: snap.attrs[snap.attrIdx[r]], labelGrid: g === 0 ? undefined : snap.grids[g],
            src: this.sources ? snap.srcs[r] : undefined,
          }, snap.geom[snap.chunk[r]].subarray(start, start + snap.glen[r]));
        }
      }
    } catch (e) {
      // e.g. a full disk: the error goes up, the file handle must not stay open behind it (fds are never collected)
      writer.abort();
      throw e;
    }
    writer.close();
    this.rowBase += this.n;
    // the row arrays and geometry chunks are written again by the next run: allocated once, within the budget,
    // rather than dropped and grown anew each run (garbage shared buffers and old + new arrays at each doubling
    // took the stores to about twice their budget at 54 M nodes)
    this.n = this.used = 0;
    this.geom.reset();
    this.attrs = [];
    this.attrIndex = new Map();
    this.tiles = new Map();
    this.lastAttrs = undefined;
  }

  /** A store with runs writes what it still holds as a last run, so that all its features are in runs; needs a spill budget. */
  finishRuns(): void {
    if (!this.spill) throw new Error('TileFeatureStore.finishRuns() without a spill budget');
    if (this.n > 0) this.spillRun();
    // every feature is in runs now: the arrays kept for the next run are let go (the tiles stage's merge buffers take this share)
    this.cap = 0;
    this.layer = new Uint8Array(0); this.sortKey = new Float64Array(0); this.attrIdx = new Uint32Array(0);
    this.ids = new Float64Array(0); this.srcs = new Float64Array(0); this.chunk = new Uint32Array(0); this.offset = new Uint32Array(0);
    this.glen = new Uint32Array(0); this.grid = new Uint8Array(0);
    this.geom = new ByteChunks();
  }

  /** Whether the store can write runs (it was given a spill budget). */
  get canSpill(): boolean {
    return this.spill !== undefined;
  }

  /**
   * The row capacity to grow to: double, but with a spill budget no more than what the budget leaves beside the
   * geometry chunks (one more chunk counted: the next row may need it).
   */
  private nextCapacity(): number {
    const c = Math.max(1024, this.cap * 2);
    if (!this.spill) return c;
    const room = Math.floor((this.spill.budgetBytes - this.geom.bytes - CHUNK_BYTES) / ROW_BYTES);
    return Math.max(1024, Math.min(c, room));
  }

  private grow(c: number): void {
    this.layer = copyWithLength(this.layer, c, true);
    this.sortKey = copyWithLength(this.sortKey, c, true);
    this.attrIdx = copyWithLength(this.attrIdx, c, true);
    this.ids = copyWithLength(this.ids, c, true);
    if (this.sources) this.srcs = copyWithLength(this.srcs, c, true);
    this.chunk = copyWithLength(this.chunk, c, true);
    this.offset = copyWithLength(this.offset, c, true);
    this.glen = copyWithLength(this.glen, c, true);
    this.grid = copyWithLength(this.grid, c, true);
    this.cap = c;
  }

  private writeGeometry(row: number, g: TileGeometry): void {
    const [ci, start] = this.geom.reserve(geometryMaxBytes(g));
    this.chunk[row] = ci;
    this.offset[row] = start;
    const pos = writeGeometryBytes(this.geom.buffer, start, g);
    this.geom.offset = pos;
    this.glen[row] = pos - start;
  }

  /** Tile keys in ascending order (zoom, then row, then column). */
  keys(): number[] {
    return [...this.tiles.keys()].sort((a, b) => a - b);
  }

  /** The rows of a tile, in emission order; the tile is forgotten. */
  takeRows(key: number): number[] {
    const rows = this.tiles.get(key) ?? [];
    this.tiles.delete(key);
    return rows;
  }

  /** The features of a tile, decoded, in emission order; the tile's rows are forgotten. */
  take(key: number): TileFeature[] {
    return decodeRows(this.snapshot(), this.takeRows(key));
  }

  /** The store as sent to another thread: shared arrays (no copy), attribute sets and the tile index (cloned). */
  exportData(): TileStoreExport {
    return { snapshot: this.snapshot(), tiles: [...this.tiles.entries()], count: this.n, rowBase: this.rowBase, runs: [...this.runFiles], spill: this.spill, sources: this.sources };
  }

  /** A store rebuilt from another thread's export: read with keys(), takeRows() and snapshot(). */
  static fromExport(e: TileStoreExport): TileFeatureStore {
    const st = new TileFeatureStore(e.spill, e.sources);
    const s = e.snapshot;
    st.layer = s.layer; st.sortKey = s.sortKey; st.attrIdx = s.attrIdx; st.ids = s.ids; st.srcs = s.srcs;
    st.chunk = s.chunk; st.offset = s.offset; st.glen = s.glen; st.grid = s.grid;
    st.rowBase = e.rowBase;
    st.runFiles.push(...e.runs);
    st.geom.chunks.push(...s.geom);
    st.attrs.push(...s.attrs);
    st.grids.splice(0, st.grids.length, ...s.grids);
    for (const [k, rows] of e.tiles) st.tiles.set(k, rows);
    st.n = st.cap = e.count;
    return st;
  }

  /** Everything needed to decode rows elsewhere (another thread): shared arrays, no copy. */
  snapshot(): TileStoreSnapshot {
    return {
      layer: this.layer, sortKey: this.sortKey, attrIdx: this.attrIdx, ids: this.ids, srcs: this.srcs,
      chunk: this.chunk, offset: this.offset, glen: this.glen, grid: this.grid,
      geom: this.geom.chunks, attrs: this.attrs, grids: this.grids,
    };
  }
}

export interface TileStoreExport {
  snapshot: TileStoreSnapshot;
  tiles: [number, number[]][];
  count: number;
  rowBase: number;
  runs: string[];
  spill?: SpillOptions;
  sources: boolean;
}

export interface TileStoreSnapshot {
  layer: Uint8Array;
  sortKey: Float64Array;
  attrIdx: Uint32Array;
  ids: Float64Array;
  /** Source keys (empty when the store does not record them). */
  srcs: Float64Array;
  chunk: Uint32Array;
  offset: Uint32Array;
  glen: Uint32Array;
  grid: Uint8Array;
  geom: Uint8Array[];
  attrs: Attrs[];
  grids: LabelGrid[];
}

/** An upper bound of the bytes writeGeometryBytes takes for `g`. */
export function geometryMaxBytes(g: TileGeometry): number {
  let max = 16 + (g.ringsPerPolygon?.length ?? 0) * 5 + g.geometry.length * 5;
  for (const p of g.geometry) max += p.length * 5;
  return max;
}

/** Writes `g` in the store's encoding (type, rings per polygon, zigzag-delta varint parts) at `pos`; returns the end. */
export function writeGeometryBytes(buf: Uint8Array, pos: number, g: TileGeometry): number {
  const rpp = g.ringsPerPolygon ?? [];
  const uv = (v: number): void => {
    while (v > 0x7f) { buf[pos++] = (v & 0x7f) | 0x80; v >>>= 7; }
    buf[pos++] = v;
  };
  buf[pos++] = g.type;
  uv(rpp.length);
  for (const r of rpp) uv(r);
  uv(g.geometry.length);
  let px = 0, py = 0;
  for (const part of g.geometry) {
    uv(part.length >> 1);
    for (let i = 0; i < part.length; i += 2) {
      const dx = part[i] - px, dy = part[i + 1] - py;
      uv(((dx << 1) ^ (dx >> 31)) >>> 0);
      uv(((dy << 1) ^ (dy >> 31)) >>> 0);
      px = part[i]; py = part[i + 1];
    }
  }
  return pos;
}

function readGeometry(snap: TileStoreSnapshot, row: number): TileGeometry {
  return decodeGeometry(snap.geom[snap.chunk[row]], snap.offset[row]);
}

/** Where the varint readVarint read ends: no closure or object per value (decodeGeometry is hot). */
let varintEnd = 0;

/** The unsigned varint at `pos` of `buf` (up to 2^53); sets `varintEnd` past it. */
function readVarint(buf: Uint8Array, pos: number): number {
  let b = buf[pos++];
  if (b < 0x80) { varintEnd = pos; return b; }
  let v = b & 0x7f, mul = 0x80;
  do { b = buf[pos++]; v += (b & 0x7f) * mul; mul *= 0x80; } while (b & 0x80);
  varintEnd = pos;
  return v;
}

/** A geometry in the store's encoding, starting at `pos` of `buf` (a store chunk or a run record). */
export function decodeGeometry(buf: Uint8Array, pos: number): TileGeometry {
  const type = buf[pos++] as 1 | 2 | 3;
  const nr = readVarint(buf, pos); pos = varintEnd;
  const ringsPerPolygon: number[] = [];
  for (let i = 0; i < nr; i++) { ringsPerPolygon.push(readVarint(buf, pos)); pos = varintEnd; }
  const np = readVarint(buf, pos); pos = varintEnd;
  const geometry: Int32Array[] = [];
  let px = 0, py = 0;
  for (let p = 0; p < np; p++) {
    const n = readVarint(buf, pos); pos = varintEnd;
    const part = new Int32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const zx = readVarint(buf, pos);
      const zy = readVarint(buf, varintEnd); pos = varintEnd;
      px += (zx >>> 1) ^ -(zx & 1);
      py += (zy >>> 1) ^ -(zy & 1);
      part[2 * i] = px; part[2 * i + 1] = py;
    }
    geometry.push(part);
  }
  return nr > 0 ? { type, geometry, ringsPerPolygon } : { type, geometry };
}

/**
 * Decodes rows of a store (or of its snapshot in another thread) into tile features;
 * `seqBase` keeps emission order stable across several stores (one per thread).
 */
export function decodeRows(snap: TileStoreSnapshot, rows: readonly number[], seqBase = 0): TileFeature[] {
  return rows.map((r) => {
    const g = snap.grid[r];
    const id = snap.ids[r];
    return {
      layer: snap.layer[r],
      sortKey: snap.sortKey[r],
      seq: seqBase + r,
      geometry: readGeometry(snap, r),
      attrs: snap.attrs[snap.attrIdx[r]],
      id: Number.isNaN(id) ? undefined : id,
      labelGrid: g === 0 ? undefined : snap.grids[g],
      ...(snap.srcs.length > r ? { src: snap.srcs[r] } : {}),
    };
  });
}

/**
 * Several stores (one per features thread) read as one: tile keys merged, a
 * tile's rows given per store, features decoded with per-store sequence bases.
 */
export class TileStoreGroup {
  constructor(readonly stores: readonly TileFeatureStore[]) {}

  get featureCount(): number { return this.stores.reduce((s, x) => s + x.featureCount, 0); }

  /** Whether some store went past its budget: then every store is read from runs (runFiles()). */
  get spilled(): boolean { return this.stores.some((s) => s.runs.length > 0); }

  /** Every store's features as runs (the held rows written as a last run): `[store][run]` file names. */
  runFiles(): string[][] {
    for (const s of this.stores) s.finishRuns();
    return this.stores.map((s) => [...s.runs]);
  }

  keys(): number[] {
    const all = new Set<number>();
    for (const s of this.stores) for (const k of s.keys()) all.add(k);
    return [...all].sort((a, b) => a - b);
  }
  get tileCount(): number { return this.keys().length; }

  takeRows(key: number): number[][] {
    return this.stores.map((s) => s.takeRows(key));
  }

  snapshots(): TileStoreSnapshot[] {
    return this.stores.map((s) => s.snapshot());
  }
}

/** The seq base of store i: rows of earlier stores sort first among equal sort keys. */
export const STORE_SEQ_BASE = 2 ** 32;

export function decodeGroupRows(snaps: readonly TileStoreSnapshot[], rows: readonly (readonly number[])[]): TileFeature[] {
  const out: TileFeature[] = [];
  for (let i = 0; i < snaps.length; i++) if (rows[i].length > 0) out.push(...decodeRows(snaps[i], rows[i], i * STORE_SEQ_BASE));
  return out;
}
