/**
 * A set of OSM ids for any number of them, without one JS entry per id (a JS `Set`
 * stops at 2^24 entries): ids are kept as sorted runs, each a sequence of
 * delta varints in 1 MiB byte chunks with a checkpoint (absolute id, byte
 * position) every 64 ids. Sorted input (one OSM file after another) makes one run
 * per file, 1–3 bytes an id. Lookups in sorted order walk each run forward from
 * where the previous lookup stopped, so a pass over a sorted file costs O(1) per
 * id and run; out-of-order lookups binary-search the checkpoints. Too many runs
 * (unsorted input) are merged into one.
 */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;
/** Ids between checkpoints. */
const STEP = 64;
/** More runs than this are merged into one (lookups cost a step per run). */
const MAX_RUNS = 32;

class GrowF64 {
  a = new Float64Array(256);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
}

interface Run {
  /** Index of the run's first checkpoint (its first id). */
  ck: number;
  count: number;
  last: number;
  // lookup cursor: `val` is the id at index `idx - 1`, `pos` the byte position of the id at `idx`; `val` is the first
  // id at or after `probe`, the last id looked up (or the run's last id)
  probe: number;
  idx: number;
  val: number;
  pos: number;
}

export class IdRunSet {
  private chunks: Uint8Array[] = [];
  /** Global byte position of the next write. */
  private end = 0;
  private ckVal = new GrowF64();
  private ckPos = new GrowF64();
  private runs: Run[] = [];
  private total = 0;

  /** Ids held (an id added twice in a row counts once; unsorted repeats are counted until runs merge). */
  get size(): number {
    return this.total;
  }

  /** Bytes held by the encoded ids and checkpoints. */
  get bytes(): number {
    return this.chunks.length * CHUNK + this.ckVal.a.byteLength * 2;
  }

  add(id: number): void {
    let run = this.runs[this.runs.length - 1];
    if (run && id === run.last) return;
    if (!run || id < run.last) {
      if (this.runs.length >= MAX_RUNS) {
        this.compact();
        this.add(id);
        return;
      }
      run = { ck: this.ckVal.n, count: 1, last: id, probe: id, idx: 1, val: id, pos: 0 };
      this.runs.push(run);
      this.ckVal.push(id);
      this.ckPos.push(this.end);
      run.pos = this.end;
      this.total++;
      return;
    }
    this.writeVarint(id - run.last);
    run.last = id;
    if (run.count % STEP === 0) {
      this.ckVal.push(id);
      this.ckPos.push(this.end);
    }
    run.count++;
    this.total++;
  }

  has(id: number): boolean {
    for (const run of this.runs) if (this.runHas(run, id)) return true;
    return false;
  }

  private runHas(run: Run, id: number): boolean {
    if (id > run.last || id < this.ckVal.a[run.ck]) return false;
    const nextCk = Math.floor((run.idx - 1) / STEP) + 1;
    if (id <= run.val && id >= run.probe) return id === run.val;
    run.probe = id;
    if (id < run.val || (nextCk * STEP < run.count && this.ckVal.a[run.ck + nextCk] <= id)) this.seek(run, id);
    let val = run.val, idx = run.idx, pos = run.pos;
    while (val < id && idx < run.count) {
      pos = this.readDelta(pos);
      val += this.delta;
      idx++;
    }
    run.val = val; run.idx = idx; run.pos = pos;
    return val === id;
  }

  /** Puts the run's cursor on the last checkpoint at or before `id`. */
  private seek(run: Run, id: number): void {
    const cks = Math.ceil(run.count / STEP);
    const vals = this.ckVal.a;
    let lo = 0, hi = cks - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (vals[run.ck + mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    run.idx = lo * STEP + 1;
    run.val = vals[run.ck + lo];
    run.pos = this.ckPos.a[run.ck + lo];
  }

  private writeVarint(v: number): void {
    let o = this.end & (CHUNK - 1);
    let c = this.end >>> CHUNK_BITS;
    if (c === this.chunks.length || o + 10 > CHUNK) {
      // the rest of the current chunk stays zero: readers skip to the next one
      if (c < this.chunks.length) { c++; o = 0; }
      this.chunks.push(new Uint8Array(CHUNK));
    }
    const chunk = this.chunks[c];
    while (v >= 128) {
      chunk[o++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    chunk[o++] = v;
    this.end = c * CHUNK + o;
  }

  /** The delta read by the last readDelta(). */
  private delta = 0;

  /** Reads the delta at byte position `pos` into `this.delta`; returns the position after it. */
  private readDelta(pos: number): number {
    let c = pos >>> CHUNK_BITS, o = pos & (CHUNK - 1);
    let chunk = this.chunks[c];
    // a zero byte is padding at a chunk's end (deltas are at least 1): the id is in the next chunk
    if (chunk[o] === 0) { c++; o = 0; chunk = this.chunks[c]; }
    let v = 0, mul = 1, b: number;
    do { b = chunk[o++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
    this.delta = v;
    return c * CHUNK + o;
  }

  /** Every id in ascending order, each once. */
  private sortedIds(): Float64Array {
    const ids = new Float64Array(this.total);
    let n = 0;
    for (const run of this.runs) {
      let val = this.ckVal.a[run.ck], pos = this.ckPos.a[run.ck];
      ids[n++] = val;
      for (let i = 1; i < run.count; i++) {
        pos = this.readDelta(pos);
        val += this.delta;
        ids[n++] = val;
      }
    }
    ids.sort();
    let u = 0;
    for (let i = 0; i < n; i++) if (i === 0 || ids[i] !== ids[u - 1]) ids[u++] = ids[i];
    return ids.subarray(0, u);
  }

  /** Merges every run into one (transient memory: 8 bytes an id). */
  private compact(): void {
    const ids = this.sortedIds();
    this.chunks = [];
    this.end = 0;
    this.ckVal = new GrowF64();
    this.ckPos = new GrowF64();
    this.runs = [];
    this.total = 0;
    for (let i = 0; i < ids.length; i++) this.add(ids[i]);
  }
}
