/**
 * Node locations for way building, for tens of millions of nodes in bounded memory:
 * ids as Float64 and coordinates as Int32 fixed point (1e-7 degree, OSM's own
 * precision) in fixed-size chunks, 16 bytes a node, no JS object per node and no
 * giant array that must be copied to grow. After `seal()` the ids are sorted and
 * unique, and lookups are a binary search over a sparse index of every 64th id, then
 * over 64 entries, with a shortcut for the next id of a way (consecutive ids are common).
 * Given a spill budget, a store that outgrows it moves its nodes to a temporary file
 * (node_location_file.ts) and keeps only the sparse index (about 0.2 byte a node) and a
 * bounded page cache in memory; worker threads open the file with caches of their own.
 */
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import type { ProgressFactory, ProgressSink } from '../core/progress.js';
import { latToY, lonToX } from '../core/tile_math.js';
import { NodeFiles, NodeLocationPages, NodeLocationWriter, sortNodeLocations, SPAN, type NodeFileLayout } from './node_location_file.js';
import { RunHeap } from './run_heap.js';

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
// SPAN: one sparse-index entry per this many nodes; divides CHUNK so a span never crosses chunks (the files use it too)
const SCALE = 1e7;
/** Nodes merged between two ticks of the sort's progress. */
const PROGRESS_EVERY = 1 << 16;

/** Called for each way ref not in the store: the ref and its position in the way. */
export type MissingNodeCallback = (ref: number, index: number) => void;

/** A sealed store lent to another thread: its chunks (shared memory), or its file. */
export type SharedNodeStore =
  | { ids: Float64Array[]; lons: Int32Array[]; lats: Int32Array[]; count: number; index: Float64Array }
  | { layout: NodeFileLayout; fds: { loc: number; ids: number }; cacheBytes: number; count: number; index: Float64Array };

/** Where and past how many bytes of chunks a store moves its nodes to a file. */
export interface NodeSpillOptions {
  dir: string;
  budgetBytes: number;
  /** Page cache of each reader of the file (this thread's, each worker's). */
  cacheBytes: number;
  /** Called when sorting the file takes the most disk (unsorted and sorted files both there), to measure it. */
  onDiskPeak?: () => void;
}

export class NodeStore {
  private ids: Float64Array[] = [];
  private lons: Int32Array[] = [];
  private lats: Int32Array[] = [];
  private count = 0;
  private lastId = -Infinity;
  private ordered = true;
  private sealed = false;
  private index: Float64Array = new Float64Array(0);
  private hint = 0;
  /** While loading past the budget: the files nodes are appended to. */
  private writer?: NodeLocationWriter;
  /** Once sealed on disk: the files and their pages. */
  private files?: NodeFiles;
  private pages?: NodeLocationPages;

  constructor(private readonly spill?: NodeSpillOptions) {}

  get size(): number {
    return this.count;
  }

  get isSealed(): boolean {
    return this.sealed;
  }

  /** Whether the nodes went to a temporary file (past the spill budget). */
  get onDisk(): boolean {
    return this.writer !== undefined || this.pages !== undefined;
  }

  /** Appends node locations (degrees), in any order; parallel arrays of one block. */
  addBlock(ids: Float64Array, lons: Float64Array, lats: Float64Array): void {
    if (this.sealed) throw new TuilerieError('INTERNAL', 'NodeStore.addBlock() after seal()');
    if (lons.length !== ids.length || lats.length !== ids.length) {
      throw new TuilerieError('INTERNAL', `NodeStore.addBlock(): ${ids.length} ids but ${lons.length} lons and ${lats.length} lats`);
    }
    if (this.writer) { this.append(ids, lons, lats); return; }
    for (let k = 0; k < ids.length; k++) {
      const i = this.count;
      const c = i >>> CHUNK_BITS;
      if (c === this.ids.length) this.grow();
      const id = ids[k];
      if (id <= this.lastId) this.ordered = false;
      this.lastId = id;
      const o = i & MASK;
      this.ids[c][o] = id;
      this.lons[c][o] = Math.round(lons[k] * SCALE);
      this.lats[c][o] = Math.round(lats[k] * SCALE);
      this.count++;
    }
    if (this.spill && this.bytes() > this.spill.budgetBytes) this.moveToFile();
  }

  /** Writes the chunks held to the file and lets them go; nodes read later are appended there. */
  private moveToFile(): void {
    const w = (this.writer = new NodeLocationWriter(path.join(this.spill!.dir, 'nodes-0')));
    for (let i = 0; i < this.count; i++) {
      const c = i >>> CHUNK_BITS, o = i & MASK;
      w.add(this.ids[c][o], this.lons[c][o], this.lats[c][o]);
    }
    this.ids = []; this.lons = []; this.lats = [];
  }

  private append(ids: Float64Array, lons: Float64Array, lats: Float64Array): void {
    const w = this.writer!;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k];
      if (id <= this.lastId) this.ordered = false;
      this.lastId = id;
      w.add(id, Math.round(lons[k] * SCALE), Math.round(lats[k] * SCALE));
      this.count++;
    }
  }

  /**
   * Ends loading: sorts (only when input was out of order), drops repeated ids (the
   * same node from two overlapping extracts; the first one read wins) and builds the
   * index. Returns how many duplicates were removed. `progress` draws the sort, when there is one.
   */
  seal(progress?: ProgressFactory): number {
    if (this.sealed) return 0;
    if (this.writer) return this.sealFile(progress);
    let removed = 0;
    if (!this.ordered) {
      const bar = progress?.('node_sort', 'nodes', this.count);
      removed = this.mergeRuns(bar);
      bar?.finish();
    }
    this.sealed = true;
    this.buildIndex();
    return removed;
  }

  /** seal() on disk: sorts the file into a new one when it was appended out of order; keeps the index in shared memory. */
  private sealFile(progress?: ProgressFactory): number {
    const writer = this.writer!;
    // its close() closes the files even when it fails: nothing left for close() below to abort
    this.writer = undefined;
    let layout = writer.close();
    const n = this.count;
    if (!this.ordered) {
      layout = sortNodeLocations(layout, path.join(this.spill!.dir, 'nodes-1'), { onPassWritten: this.spill!.onDiskPeak, progress });
      this.count = layout.count;
      this.ordered = true;
    }
    this.index = layout.index;
    this.openFiles(layout, this.spill!.cacheBytes);
    this.sealed = true;
    this.hint = 0;
    return n - this.count;
  }

  /** Index of a node id, or -1 when absent. */
  get(id: number): number {
    if (!this.sealed) throw new TuilerieError('INTERNAL', 'NodeStore.get() before seal()');
    const n = this.count;
    if (n === 0) return -1;
    const h = this.hint;
    // Ways list nodes often created together: try the slot after the last hit first.
    if (h + 1 < n && this.idAt(h + 1) === id) return (this.hint = h + 1);
    if (this.idAt(h) === id) return h;
    const idx = this.index;
    if (id < idx[0]) return -1;
    let lo = 0, hi = idx.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (idx[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    if (this.pages) {
      const i = this.pages.find(id, lo);
      return i < 0 ? -1 : (this.hint = i);
    }
    const start = lo * SPAN;
    // Dense fast path: when a span holds consecutive ids, the position is arithmetic.
    if (lo + 1 < idx.length && idx[lo + 1] - idx[lo] === SPAN) {
      const i = start + (id - idx[lo]);
      if (this.idAt(i) === id) return (this.hint = i);
    }
    const chunk = this.ids[start >>> CHUNK_BITS];
    let a = start & MASK, b = Math.min(a + SPAN, n - (start - (start & MASK))) - 1;
    while (a <= b) {
      const m = (a + b) >>> 1;
      const v = chunk[m];
      if (v === id) return (this.hint = start - (start & MASK) + m);
      if (v < id) a = m + 1;
      else b = m - 1;
    }
    return -1;
  }

  has(id: number): boolean {
    return this.get(id) >= 0;
  }

  idAt(i: number): number {
    return this.pages ? this.pages.id(i) : this.ids[i >>> CHUNK_BITS][i & MASK];
  }

  /** Longitude in degrees (at 1e-7 precision). */
  lon(i: number): number {
    return (this.pages ? this.pages.lon(i) : this.lons[i >>> CHUNK_BITS][i & MASK]) / SCALE;
  }

  lat(i: number): number {
    return (this.pages ? this.pages.lat(i) : this.lats[i >>> CHUNK_BITS][i & MASK]) / SCALE;
  }

  /**
   * World coordinates (src/core/geometry.ts) of a way's nodes, flat [x0, y0, …].
   * Missing refs are reported to `missing` and left out of the result.
   */
  wayCoords(refs: Float64Array, missing?: MissingNodeCallback): Float64Array {
    const out = new Float64Array(refs.length * 2);
    let o = 0;
    for (let k = 0; k < refs.length; k++) {
      const i = this.get(refs[k]);
      if (i < 0) {
        missing?.(refs[k], k);
        continue;
      }
      out[o++] = lonToX(this.lon(i));
      out[o++] = latToY(this.lat(i));
    }
    return o === out.length ? out : out.slice(0, o);
  }

  /** Memory held by the store (allocated chunks or page cache, and index). */
  bytes(): number {
    return this.ids.length * CHUNK * 16 + this.index.byteLength + (this.files ? this.files.layout.spans.byteLength + this.pages!.bytes : 0);
  }

  /**
   * Closes the files of a store on disk, or the file being written when loading failed (its reads fail afterwards);
   * the temporary directory's owner removes them.
   */
  close(): void {
    this.writer?.abort();
    this.writer = undefined;
    this.files?.close();
    this.files = this.pages = undefined;
  }

  private openFiles(layout: NodeFileLayout, cacheBytes: number, borrowed?: { loc: number; ids: number }): void {
    const files = new NodeFiles(layout, borrowed);
    try {
      this.pages = new NodeLocationPages(files, cacheBytes);
    } catch (e) {
      files.close();
      throw e;
    }
    this.files = files;
  }

  // Chunks live in shared memory so a sealed store can be lent to worker threads without a copy.
  private grow(): void {
    this.ids.push(new Float64Array(new SharedArrayBuffer(CHUNK * 8)));
    this.lons.push(new Int32Array(new SharedArrayBuffer(CHUNK * 4)));
    this.lats.push(new Int32Array(new SharedArrayBuffer(CHUNK * 4)));
  }

  /** The sealed store's arrays (shared memory), to rebuild it in another thread with `fromShared`. */
  toShared(): SharedNodeStore {
    if (!this.sealed) throw new TuilerieError('INTERNAL', 'NodeStore.toShared() before seal()');
    if (this.files) return { layout: this.files.layout, fds: { loc: this.files.loc, ids: this.files.ids }, cacheBytes: this.spill!.cacheBytes, count: this.count, index: this.index };
    return { ids: this.ids, lons: this.lons, lats: this.lats, count: this.count, index: this.index };
  }

  /**
   * A sealed, read-only view of a store shared by another thread of the process (a store on disk: with a page cache
   * of its own, reading the files the store's thread opened, which closes them once the views are gone).
   */
  static fromShared(s: SharedNodeStore): NodeStore {
    const store = new NodeStore();
    if ('layout' in s) {
      store.openFiles(s.layout, s.cacheBytes, s.fds);
    } else {
      store.ids = s.ids;
      store.lons = s.lons;
      store.lats = s.lats;
    }
    store.count = s.count;
    store.index = s.index;
    store.sealed = true;
    return store;
  }

  private buildIndex(): void {
    const spans = Math.ceil(this.count / SPAN);
    this.index = new Float64Array(new SharedArrayBuffer(spans * 8));
    for (let s = 0; s < spans; s++) this.index[s] = this.idAt(s * SPAN);
    this.hint = 0;
  }

  /**
   * Input arrives as sorted runs (a sorted file, or several files one after the
   * other), so a k-way merge of the runs with a heap sorts in O(n log runs) without
   * a comparator callback, writing into fresh chunks and dropping repeated ids.
   */
  private mergeRuns(progress?: ProgressSink): number {
    const n = this.count;
    let runs = 1;
    for (let i = 1; i < n; i++) if (this.idAt(i) < this.idAt(i - 1)) runs++;
    const pos = new Float64Array(runs);
    const end = new Float64Array(runs);
    let r = 0;
    for (let i = 1; i < n; i++) {
      if (this.idAt(i) < this.idAt(i - 1)) { end[r] = i; pos[++r] = i; }
    }
    end[r] = n;
    const key = new Float64Array(runs);
    for (let i = 0; i < runs; i++) key[i] = this.idAt(pos[i]);
    const heap = new RunHeap(key);

    const oldIds: (Float64Array | null)[] = this.ids, oldLons: (Int32Array | null)[] = this.lons, oldLats: (Int32Array | null)[] = this.lats;
    this.ids = []; this.lons = []; this.lats = [];
    // An old chunk is released once all its entries are merged, so memory peaks well below twice the store.
    const left = new Int32Array(oldIds.length).fill(CHUNK);
    if (n & MASK) left[left.length - 1] = n & MASK;
    let out = 0;
    let last = NaN;
    let ticked = 0;
    while (!heap.empty) {
      if (++ticked === PROGRESS_EVERY) { progress?.tick(ticked); ticked = 0; }
      const run = heap.top;
      const i = pos[run];
      const id = key[run];
      const ic = i >>> CHUNK_BITS;
      if (id !== last) {
        const c = out >>> CHUNK_BITS;
        if (c === this.ids.length) this.grow();
        const o = out & MASK, io = i & MASK;
        this.ids[c][o] = id;
        this.lons[c][o] = oldLons[ic]![io];
        this.lats[c][o] = oldLats[ic]![io];
        out++;
        last = id;
      }
      if (--left[ic] === 0) oldIds[ic] = oldLons[ic] = oldLats[ic] = null;
      const next = i + 1;
      if (next < end[run]) {
        pos[run] = next;
        heap.advance(oldIds[next >>> CHUNK_BITS]![next & MASK]);
      } else {
        heap.pop();
      }
    }
    progress?.tick(ticked);
    this.count = out;
    this.ordered = true;
    return n - out;
  }
}
