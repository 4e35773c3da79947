/**
 * Growable adjacency lists of many nodes in three shared typed arrays (head node,
 * weight, middle node), for the contraction (distances are worked out once it is
 * done, from the middle nodes: see contraction.ts): one JS object and four JS
 * arrays per node and direction cost ~500 bytes a node before any arc, which is
 * what made a region's contraction outgrow the machine. Each list owns a block
 * [start, start + cap) of the pool; a full list moves to a block twice as large at
 * the pool's end, and when the abandoned blocks make up most of the pool it is
 * compacted. Order within a list is kept exactly (append, order-preserving removal),
 * so the contraction takes the same decisions as with plain arrays.
 */
import { collectGarbage } from '../core/collect_garbage.js';

export class AdjacencyPool {
  private readonly start: Int32Array;
  private readonly len: Int32Array;
  private readonly cap: Int32Array;
  node: Int32Array;
  weight: Int32Array;
  mid: Int32Array;
  /** First free slot at the pool's end. */
  private used = 0;
  /** Slots owned by lists (the rest below `used` is abandoned). */
  private owned = 0;

  /**
   * `lists` empty lists. With `capacities` (one per list), each list gets a block of
   * exactly that size up front, so filling them to those sizes moves nothing and
   * leaves no abandoned block; `initialSlots` then adds free room at the pool's end.
   */
  constructor(lists: number, initialSlots = lists * 4, capacities?: Int32Array) {
    this.start = new Int32Array(lists);
    this.len = new Int32Array(lists);
    this.cap = new Int32Array(lists);
    if (capacities) {
      for (let l = 0; l < lists; l++) {
        this.start[l] = this.used;
        this.cap[l] = capacities[l];
        this.used += capacities[l];
      }
      this.owned = this.used;
    }
    const n = Math.max(16, this.used + initialSlots);
    this.node = new Int32Array(n);
    this.weight = new Int32Array(n);
    this.mid = new Int32Array(n);
  }

  /** Index of the list's first entry in the pool arrays (valid until the next add). */
  begin(list: number): number { return this.start[list]; }
  /** One past the list's last entry. */
  end(list: number): number { return this.start[list] + this.len[list]; }
  size(list: number): number { return this.len[list]; }
  /** Bytes held by the pool arrays. */
  get bytes(): number { return this.node.length * 12 + this.start.length * 12; }

  add(list: number, n: number, w: number, m: number): void {
    if (this.len[list] === this.cap[list]) this.grow(list);
    const i = this.start[list] + this.len[list]++;
    this.node[i] = n;
    this.weight[i] = w;
    this.mid[i] = m;
  }

  /** Pool index of the first entry of `list` heading to `n`, -1 when none. */
  indexOf(list: number, n: number): number {
    for (let i = this.start[list], e = i + this.len[list]; i < e; i++) if (this.node[i] === n) return i;
    return -1;
  }

  /** Removes every entry heading to `n`, keeping the order of the others. */
  removeNode(list: number, n: number): void {
    const s = this.start[list];
    const e = s + this.len[list];
    let j = s;
    for (let i = s; i < e; i++) {
      if (this.node[i] === n) continue;
      if (j !== i) {
        this.node[j] = this.node[i];
        this.weight[j] = this.weight[i];
        this.mid[j] = this.mid[i];
      }
      j++;
    }
    this.len[list] = j - s;
  }

  /** Lets go of the arrays once no list is read again (the pool is then unusable). */
  free(): void {
    this.node = new Int32Array(0);
    this.weight = new Int32Array(0);
    this.mid = new Int32Array(0);
    this.used = 0;
    this.owned = 0;
  }

  /** Empties the list and gives its block back. */
  release(list: number): void {
    this.owned -= this.cap[list];
    this.len[list] = 0;
    this.cap[list] = 0;
  }

  private grow(list: number): void {
    const oldCap = this.cap[list];
    const newCap = oldCap < 2 ? 2 : oldCap * 2;
    const s = this.start[list];
    if (oldCap > 0 && s + oldCap === this.used && this.used + newCap - oldCap <= this.node.length) {
      // the last block: extend it in place
      this.used += newCap - oldCap;
    } else {
      if (this.used + newCap > this.node.length) this.makeRoom(newCap);
      const ns = this.used;
      const s2 = this.start[list];
      const l = this.len[list];
      this.node.copyWithin(ns, s2, s2 + l);
      this.weight.copyWithin(ns, s2, s2 + l);
      this.mid.copyWithin(ns, s2, s2 + l);
      this.start[list] = ns;
      this.used += newCap;
    }
    this.owned += newCap - oldCap;
    this.cap[list] = newCap;
  }

  /**
   * Compacts into arrays with room for `extra` more slots and a quarter of the
   * owned ones (half made the pools of a region's contraction a third larger).
   */
  private makeRoom(extra: number): void {
    const size = Math.max(16, Math.ceil((this.owned + extra) * 1.25));
    const oldSlots = this.node.length;
    const node = new Int32Array(size);
    const weight = new Int32Array(size);
    const mid = new Int32Array(size);
    let o = 0;
    for (let list = 0; list < this.start.length; list++) {
      const c = this.cap[list];
      if (c === 0) continue;
      const s = this.start[list];
      const l = this.len[list];
      node.set(this.node.subarray(s, s + l), o);
      weight.set(this.weight.subarray(s, s + l), o);
      mid.set(this.mid.subarray(s, s + l), o);
      this.start[list] = o;
      o += c;
    }
    this.node = node;
    this.weight = weight;
    this.mid = mid;
    this.used = o;
    // big old arrays (12 bytes a slot) go now rather than at V8's next whim
    if (oldSlots >= 1 << 20) collectGarbage();
  }
}

/** Entries per chunk of an ArcStore (a power of two: positions split by shift and mask). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

interface ArcChunk { node: Int32Array; weight: Int32Array; mid: Int32Array }

/** Arcs grouped by node (CSR): `first[v]` to `first[v + 1]` are v's. */
export interface ArcCsr { first: Int32Array; node: Int32Array; weight: Int32Array; mid: Int32Array; dist: Float32Array }

/**
 * Append-only arcs (head, weight, middle) in fixed-size chunks: growing copies
 * nothing and leaves at most one chunk unused, where doubling arrays held up to
 * twice the arcs, three times while copying. Distances are not kept here: the
 * contraction works them out at the end (by position, see `toCsr`).
 */
export class ArcStore {
  private chunks: ArcChunk[] = [];
  length = 0;

  add(n: number, w: number, m: number): void {
    const c = this.length >>> CHUNK_BITS;
    if (c === this.chunks.length) {
      this.chunks.push({ node: new Int32Array(CHUNK), weight: new Int32Array(CHUNK), mid: new Int32Array(CHUNK) });
    }
    const chunk = this.chunks[c];
    const i = this.length++ & (CHUNK - 1);
    chunk.node[i] = n;
    chunk.weight[i] = w;
    chunk.mid[i] = m;
  }

  /** Arc i as [head, weight, middle]. */
  get(i: number): [number, number, number] {
    const c = this.chunks[i >>> CHUNK_BITS];
    const k = i & (CHUNK - 1);
    return [c.node[k], c.weight[k], c.mid[k]];
  }

  /** Head of arc i. */
  node(i: number): number {
    return this.chunks[i >>> CHUNK_BITS].node[i & (CHUNK - 1)];
  }

  /** Middle node of arc i (-geo - 1 for an original arc). */
  mid(i: number): number {
    return this.chunks[i >>> CHUNK_BITS].mid[i & (CHUNK - 1)];
  }

  /** Bytes held by the chunks. */
  get bytes(): number {
    return this.chunks.length * CHUNK * 12;
  }

  /**
   * The arcs regrouped by node: node v's are the `len[v]` appended from `start[v]`;
   * `dist[i]`: the distance of arc i, stored as Float32. Empties the store, one field
   * at a time, so the copy never holds more than the store plus one field of the result.
   */
  toCsr(start: Int32Array, len: Int32Array, dist: Float64Array): ArcCsr {
    const n = start.length;
    const first = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) first[v + 1] = first[v] + len[v];
    const m = first[n];
    const gather = (field: keyof ArcChunk, out: Int32Array): Int32Array => {
      for (let v = 0; v < n; v++) {
        const o = first[v];
        const s = start[v];
        for (let i = 0; i < len[v]; i++) {
          const p = s + i;
          out[o + i] = this.chunks[p >>> CHUNK_BITS][field][p & (CHUNK - 1)];
        }
      }
      // The field's chunks are not read again: let them go before the next field is allocated.
      for (const c of this.chunks) c[field] = new Int32Array(0);
      collectGarbage();
      return out;
    };
    const distOut = new Float32Array(m);
    for (let v = 0; v < n; v++) for (let i = 0; i < len[v]; i++) distOut[first[v] + i] = dist[start[v] + i];
    const node = gather('node', new Int32Array(m));
    const weight = gather('weight', new Int32Array(m));
    const mid = gather('mid', new Int32Array(m));
    this.chunks = [];
    this.length = 0;
    return { first, node, weight, mid, dist: distOut };
  }
}
