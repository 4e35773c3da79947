/**
 * Node locations in temporary files, for a node store past its memory budget. Nodes
 * are numbered in file order and grouped in spans of 64; two files:
 *   `.loc`  lon and lat of every node (Int32 at 1e-7 degree, 8 bytes a node);
 *   `.ids`  the ids of the spans whose ids are not consecutive (8 bytes an id).
 * In memory: the first id of every span and where its ids are stored (-1: consecutive,
 * computed), 12 bytes a span. Dense ids (as in a scale extract) thus take 8 bytes a
 * node on disk, sparse ones (real extracts) 16. Files are read through bounded page
 * caches (4 KiB pages, direct-mapped: one compare per access), one per reader, so a
 * lookup costs no more memory whatever the number of nodes. A file appended out of
 * order is sorted by k-way merges of its ascending runs, 64 at a time, into new files
 * (sortNodeLocations), repeated ids dropped as the in-memory store does. Entries are
 * in native byte order: the files never leave the process that wrote them.
 */
import fs from 'node:fs';
import { rethrowDiskError } from '../core/disk_errors.js';
import { TuilerieError } from '../core/errors.js';
import { OwnedFd } from '../core/owned_fd.js';
import type { ProgressFactory, ProgressSink } from '../core/progress.js';
import { RunHeap } from './run_heap.js';

/** Nodes a span holds (the sparse index of the node store has one id per span). */
export const SPAN = 64;
const ENTRY = 8;
const PAGE_ENTRIES = 512;
const PAGE = PAGE_ENTRIES * ENTRY;
const WRITE_ENTRIES = 1 << 17;

/** What a reader needs to read the files (index and span table in shared memory, for worker threads). */
export interface NodeFileLayout {
  loc: string;
  ids: string;
  count: number;
  /** First id of each span. */
  index: Float64Array;
  /** Each span's place in the ids file, in spans (-1: its ids are consecutive from its first, not stored). */
  spans: Int32Array;
}

class GrowF64 {
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Float64Array(this.n * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
}

/** Appends 8-byte entries to a file through a 1 MiB buffer. */
class EntryWriter {
  private readonly fd: OwnedFd;
  readonly buf = Buffer.alloc(WRITE_ENTRIES * ENTRY);
  readonly f64 = new Float64Array(this.buf.buffer, this.buf.byteOffset, WRITE_ENTRIES);
  readonly i32 = new Int32Array(this.buf.buffer, this.buf.byteOffset, WRITE_ENTRIES * 2);
  n = 0;
  private written = 0;

  constructor(readonly file: string) {
    try {
      this.fd = new OwnedFd(fs.openSync(file, 'w'));
    } catch (e) {
      rethrowDiskError(e, file);
    }
  }

  /** Index in the buffer of a new entry (flushing a full buffer first). */
  next(): number {
    if (this.n === WRITE_ENTRIES) this.flush();
    return this.n++;
  }

  private flush(): void {
    const bytes = this.n * ENTRY;
    try {
      let off = 0;
      while (off < bytes) off += fs.writeSync(this.fd.fd, this.buf, off, bytes - off, this.written * ENTRY + off);
    } catch (e) {
      rethrowDiskError(e, this.file);
    }
    this.written += this.n;
    this.n = 0;
  }

  /** Writes what is buffered and closes the file (closed also when the write fails). */
  close(): void {
    try {
      this.flush();
    } finally {
      this.fd.close();
    }
  }

  /** Closes the file after a failed write, buffered entries dropped (nothing when it is closed already). */
  abort(): void {
    this.fd.abort();
  }
}

/** Appends nodes (locations in 1e-7 degree) to the two files of `base`. */
export class NodeLocationWriter {
  private readonly loc: EntryWriter;
  private readonly ids: EntryWriter;
  private readonly span = new Float64Array(SPAN);
  private inSpan = 0;
  private readonly index = new GrowF64();
  private readonly spans = new GrowF64();
  private stored = 0;
  count = 0;

  constructor(base: string) {
    this.loc = new EntryWriter(`${base}.loc`);
    try {
      this.ids = new EntryWriter(`${base}.ids`);
    } catch (e) {
      this.loc.abort();
      throw e;
    }
  }

  add(id: number, lon: number, lat: number): void {
    const e = this.loc.next();
    this.loc.i32[2 * e] = lon;
    this.loc.i32[2 * e + 1] = lat;
    this.span[this.inSpan++] = id;
    this.count++;
    if (this.inSpan === SPAN) this.endSpan();
  }

  private endSpan(): void {
    const s = this.span, n = this.inSpan;
    this.index.push(s[0]);
    let consecutive = true;
    for (let k = 1; k < n && consecutive; k++) consecutive = s[k] === s[0] + k;
    if (consecutive) {
      this.spans.push(-1);
    } else {
      this.spans.push(this.stored++);
      for (let k = 0; k < n; k++) this.ids.f64[this.ids.next()] = s[k];
      // a stored span starts on a multiple of SPAN entries, so it never crosses a page
      for (let k = n; k < SPAN; k++) this.ids.f64[this.ids.next()] = NaN;
    }
    this.inSpan = 0;
  }

  close(): NodeFileLayout {
    try {
      if (this.inSpan > 0) this.endSpan();
      this.loc.close();
    } catch (e) {
      this.abort();
      throw e;
    }
    this.ids.close();
    const spans = this.index.n;
    const index = new Float64Array(new SharedArrayBuffer(spans * 8));
    index.set(this.index.a.subarray(0, spans));
    const table = new Int32Array(new SharedArrayBuffer(spans * 4));
    table.set(this.spans.a.subarray(0, spans));
    return { loc: this.loc.file, ids: this.ids.file, count: this.count, index, spans: table };
  }

  /** Closes both files after a failed write (the caller's temporary directory removes them). */
  abort(): void {
    this.loc.abort();
    this.ids.abort();
  }
}

/** A direct-mapped cache of 4 KiB pages of a file of `entries` 8-byte entries. */
class PageCache {
  private readonly slots: number;
  private readonly slotPage: Float64Array;
  readonly data: Buffer;
  readonly f64: Float64Array;
  readonly i32: Int32Array;

  constructor(private readonly fd: number, private readonly file: string, private readonly entries: number, cacheBytes: number) {
    let slots = 1;
    while (slots * 2 * PAGE <= cacheBytes) slots *= 2;
    this.slots = slots;
    this.slotPage = new Float64Array(slots).fill(-1);
    this.data = Buffer.alloc(slots * PAGE);
    this.f64 = new Float64Array(this.data.buffer, this.data.byteOffset, slots * PAGE_ENTRIES);
    this.i32 = new Int32Array(this.data.buffer, this.data.byteOffset, slots * PAGE_ENTRIES * 2);
  }

  /** Where entry `k` is in `f64` (and at twice that in `i32`), its page read when absent. */
  at(k: number): number {
    const page = Math.floor(k / PAGE_ENTRIES);
    const slot = page & (this.slots - 1);
    if (this.slotPage[slot] !== page) this.load(page, slot);
    return slot * PAGE_ENTRIES + (k - page * PAGE_ENTRIES);
  }

  private load(page: number, slot: number): void {
    const want = Math.min(PAGE, (this.entries - page * PAGE_ENTRIES) * ENTRY);
    let got = 0;
    while (got < want) {
      const n = fs.readSync(this.fd, this.data, slot * PAGE + got, want - got, page * PAGE + got);
      if (n === 0) throw new TuilerieError('IO_ERROR', `temporary file ${this.file} is shorter than its writer left it: the disk or another process altered it; run the import again`);
      got += n;
    }
    this.slotPage[slot] = page;
  }
}

/**
 * The two files of a layout, opened for reading (one pair for many readers), or the descriptors another thread
 * opened them as (`borrowed`: reads are positional, so threads share them; their owner closes them, after the
 * threads are gone, and a worker that is terminated leaves nothing open).
 */
export class NodeFiles {
  readonly loc: number;
  readonly ids: number;
  /** Entries of the ids file (the stored spans, each padded to SPAN). */
  readonly idsEntries: number;
  private readonly owned: boolean;

  constructor(readonly layout: NodeFileLayout, borrowed?: { loc: number; ids: number }) {
    this.idsEntries = layout.spans.reduce((m, k) => Math.max(m, (k + 1) * SPAN), 0);
    this.owned = borrowed === undefined;
    if (borrowed) {
      this.loc = borrowed.loc;
      this.ids = borrowed.ids;
      return;
    }
    const open = (file: string): number => {
      try {
        return fs.openSync(file, 'r');
      } catch (e) {
        throw new TuilerieError('IO_ERROR', `cannot read temporary node file ${file}: ${(e as Error).message}`, { cause: e });
      }
    };
    this.loc = open(layout.loc);
    try {
      this.ids = open(layout.ids);
    } catch (e) {
      fs.closeSync(this.loc);
      throw e;
    }
  }

  /** Closes the files (borrowed ones: nothing, their owner does). */
  close(): void {
    if (!this.owned) return;
    fs.closeSync(this.loc);
    fs.closeSync(this.ids);
  }
}

/** Random reads of node files through page caches of `cacheBytes` in all (at least a page each). */
export class NodeLocationPages {
  private readonly loc: PageCache;
  private readonly ids: PageCache;
  private readonly index: Float64Array;
  private readonly spans: Int32Array;
  readonly count: number;
  readonly bytes: number;

  constructor(files: NodeFiles, cacheBytes: number) {
    const l = files.layout;
    this.count = l.count;
    this.index = l.index;
    this.spans = l.spans;
    // ids are read only in sparse spans, a few per lookup: a quarter of the cache
    this.loc = new PageCache(files.loc, l.loc, l.count, cacheBytes * 0.75);
    this.ids = new PageCache(files.ids, l.ids, files.idsEntries, cacheBytes * 0.25);
    this.bytes = this.loc.data.length + this.ids.data.length;
  }

  id(i: number): number {
    const s = Math.floor(i / SPAN);
    const k = this.spans[s];
    return k < 0 ? this.index[s] + (i - s * SPAN) : this.ids.f64[this.ids.at(k * SPAN + (i - s * SPAN))];
  }

  lon(i: number): number { return this.loc.i32[2 * this.loc.at(i)]; }
  lat(i: number): number { return this.loc.i32[2 * this.loc.at(i) + 1]; }

  /** The number of node `id` in span `s` (whose first id is at most `id`), or -1. */
  find(id: number, s: number): number {
    const start = s * SPAN;
    const len = Math.min(SPAN, this.count - start);
    const k = this.spans[s];
    if (k < 0) {
      const d = id - this.index[s];
      return d < len ? start + d : -1;
    }
    const base = this.ids.at(k * SPAN);
    const f = this.ids.f64;
    let a = 0, b = len - 1;
    while (a <= b) {
      const m = (a + b) >>> 1;
      const v = f[base + m];
      if (v === id) return start + m;
      if (v < id) a = m + 1;
      else b = m - 1;
    }
    return -1;
  }
}

/** Nodes merged between two ticks of the sort's progress. */
const PROGRESS_EVERY = 1 << 16;

/** Runs one merge reads at once: a cursor of three pages per run (12 KiB), whatever the order of the input. */
const FAN_IN = 64;

/**
 * One merge pass: the nodes of `files`, cut into ascending runs in one sequential scan, merged FAN_IN runs at a
 * time into `out` (repeated ids dropped, the first read kept). Returns the number of groups merged: each is an
 * ascending run of the output, so one group means `out` is sorted.
 */
function mergePass(files: NodeFiles, out: NodeLocationWriter, progress?: ProgressSink): number {
  const scan = new NodeLocationPages(files, 1 << 20);
  const n = scan.count;
  let groups = 0, i = 0, last = NaN, ticked = 0;
  while (i < n) {
    const runs: [number, number][] = [];
    let start = i, prev = -Infinity;
    for (; i < n; i++) {
      const id = scan.id(i);
      if (id < prev) {
        runs.push([start, i]);
        start = i;
        if (runs.length === FAN_IN) break;
      }
      prev = id;
    }
    if (i === n) runs.push([start, n]);
    // a cursor per run reads its run sequentially: two pages per file suffice
    const cursors = runs.map(([a]) => ({ pages: new NodeLocationPages(files, 4 * PAGE), pos: a }));
    const key = Float64Array.from(cursors, (c) => c.pages.id(c.pos));
    const heap = new RunHeap(key);
    while (!heap.empty) {
      const run = heap.top;
      const c = cursors[run];
      const id = key[run];
      if (id !== last) {
        out.add(id, c.pages.lon(c.pos), c.pages.lat(c.pos));
        last = id;
      }
      if (++c.pos < runs[run][1]) heap.advance(c.pages.id(c.pos));
      else heap.pop();
      if (++ticked === PROGRESS_EVERY) { progress?.tick(ticked); ticked = 0; }
    }
    groups++;
  }
  progress?.tick(ticked);
  return groups;
}

function removeFiles(l: NodeFileLayout): void {
  fs.rmSync(l.loc, { force: true });
  fs.rmSync(l.ids, { force: true });
}

/**
 * Writes the nodes of `src` (in ascending runs) to the files of `dst` sorted by id, the first of repeated ids kept
 * (from the run read first), and removes the files of `src`. Runs are merged FAN_IN at a time, in as many passes as
 * that takes (an input in descending order is a run per node), through files beside `dst`. `onPassWritten` is called
 * when a pass's output is complete and its input not yet removed: the most disk the sort takes. `progress` makes
 * a bar per pass, in nodes.
 */
export function sortNodeLocations(src: NodeFileLayout, dst: string, o: { onPassWritten?: () => void; progress?: ProgressFactory } = {}): NodeFileLayout {
  const { onPassWritten, progress } = o;
  let from = src;
  for (let pass = 0; ; pass++) {
    const files = new NodeFiles(from);
    let groups: number, layout: NodeFileLayout;
    try {
      const out = new NodeLocationWriter(`${dst}.pass${pass}`);
      const bar = progress?.(`node_sort pass ${pass + 1}`, 'nodes', from.count);
      try {
        groups = mergePass(files, out, bar);
        bar?.finish();
      } catch (e) {
        out.abort();
        throw e;
      }
      layout = out.close();
    } finally {
      files.close();
    }
    onPassWritten?.();
    removeFiles(from);
    from = layout;
    if (groups <= 1) break;
  }
  const loc = `${dst}.loc`, ids = `${dst}.ids`;
  fs.renameSync(from.loc, loc);
  fs.renameSync(from.ids, ids);
  return { ...from, loc, ids };
}
