/**
 * Growable adjacency lists of many nodes in four shared typed arrays (head node,
 * weight, middle node, distance), for the contraction: one JS object and four JS
 * arrays per node and direction cost ~500 bytes a node before any arc, which is
 * what made a region's contraction outgrow the machine. Each list owns a block
 * [start, start + cap) of the pool; a full list moves to a block twice as large at
 * the pool's end, and when the abandoned blocks make up most of the pool it is
 * compacted. Order within a list is kept exactly (append, order-preserving removal),
 * so the contraction takes the same decisions as with plain arrays.
 */
import { grownCapacity } from './growable_arrays.js';

export class AdjacencyPool {
  private readonly start: Int32Array;
  private readonly len: Int32Array;
  private readonly cap: Int32Array;
  node: Int32Array;
  weight: Int32Array;
  mid: Int32Array;
  dist: Float64Array;
  /** First free slot at the pool's end. */
  private used = 0;
  /** Slots owned by lists (the rest below `used` is abandoned). */
  private owned = 0;

  constructor(lists: number, initialSlots = lists * 4) {
    this.start = new Int32Array(lists);
    this.len = new Int32Array(lists);
    this.cap = new Int32Array(lists);
    const n = Math.max(16, initialSlots);
    this.node = new Int32Array(n);
    this.weight = new Int32Array(n);
    this.mid = new Int32Array(n);
    this.dist = new Float64Array(n);
  }

  /** Index of the list's first entry in the pool arrays (valid until the next add). */
  begin(list: number): number { return this.start[list]; }
  /** One past the list's last entry. */
  end(list: number): number { return this.start[list] + this.len[list]; }
  size(list: number): number { return this.len[list]; }
  /** Bytes held by the pool arrays. */
  get bytes(): number { return this.node.length * 20 + this.start.length * 12; }

  add(list: number, n: number, w: number, m: number, d: number): void {
    if (this.len[list] === this.cap[list]) this.grow(list);
    const i = this.start[list] + this.len[list]++;
    this.node[i] = n;
    this.weight[i] = w;
    this.mid[i] = m;
    this.dist[i] = d;
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
        this.dist[j] = this.dist[i];
      }
      j++;
    }
    this.len[list] = j - s;
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
      this.dist.copyWithin(ns, s2, s2 + l);
      this.start[list] = ns;
      this.used += newCap;
    }
    this.owned += newCap - oldCap;
    this.cap[list] = newCap;
  }

  /** Compacts into arrays with room for `extra` more slots (and some slack). */
  private makeRoom(extra: number): void {
    const size = Math.max(16, Math.ceil((this.owned + extra) * 1.5));
    const node = new Int32Array(size);
    const weight = new Int32Array(size);
    const mid = new Int32Array(size);
    const dist = new Float64Array(size);
    let o = 0;
    for (let list = 0; list < this.start.length; list++) {
      const c = this.cap[list];
      if (c === 0) continue;
      const s = this.start[list];
      const l = this.len[list];
      node.set(this.node.subarray(s, s + l), o);
      weight.set(this.weight.subarray(s, s + l), o);
      mid.set(this.mid.subarray(s, s + l), o);
      dist.set(this.dist.subarray(s, s + l), o);
      this.start[list] = o;
      o += c;
    }
    this.node = node;
    this.weight = weight;
    this.mid = mid;
    this.dist = dist;
    this.used = o;
  }
}

/** Append-only arcs (head, weight, middle, distance) in typed arrays that double when full. */
export class ArcStore {
  node = new Int32Array(1024);
  weight = new Int32Array(1024);
  mid = new Int32Array(1024);
  dist = new Float64Array(1024);
  length = 0;

  add(n: number, w: number, m: number, d: number): void {
    if (this.length === this.node.length) {
      const size = grownCapacity(this.length);
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (k: number) => T): T => { const b = make(size); b.set(a); return b; };
      this.node = grow(this.node, (k) => new Int32Array(k));
      this.weight = grow(this.weight, (k) => new Int32Array(k));
      this.mid = grow(this.mid, (k) => new Int32Array(k));
      this.dist = grow(this.dist, (k) => new Float64Array(k));
    }
    const i = this.length++;
    this.node[i] = n;
    this.weight[i] = w;
    this.mid[i] = m;
    this.dist[i] = d;
  }
}
