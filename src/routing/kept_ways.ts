/**
 * The routable ways of a graph build, in typed arrays: no object per way, since a
 * region has tens of millions of them (more than a JS Set or Map can hold). Way w
 * has the node ids `refs[refStart[w], refStart[w + 1])`, a tag set (an index the
 * builder gives: ways share their few routing tags) and its name and ref as indices
 * into a string table, which keeps street names out of the tag sets.
 */
import { GrowableFloat64, GrowableInt32 } from '../core/growable_arrays.js';

export class KeptWays {
  private ids = new GrowableFloat64();
  private starts = new GrowableFloat64();
  private nodeRefs = new GrowableFloat64();
  private sets = new GrowableInt32();
  private names = new GrowableInt32();
  private refTags = new GrowableInt32();
  /** Way ids ascending, with the way index of each (lookups by id). */
  private sortedIds: Float64Array | null = null;
  private sortedIndex: Int32Array | null = null;
  /** Strings of names and refs in the order first added; 0 is the empty string. */
  private readonly stringList: string[] = [''];
  private readonly stringIndex = new Map<string, number>([['', 0]]);

  get count(): number {
    return this.ids.length;
  }

  /** Node ids of all ways end to end (see `refStart`). */
  get refs(): Float64Array {
    return this.nodeRefs.data;
  }

  /** Total number of node ids of all ways. */
  get refCount(): number {
    return this.nodeRefs.length;
  }

  /** Where each way's node ids start, and after `seal`, one past the last way's. */
  get refStart(): Float64Array {
    return this.starts.data;
  }

  tagSet(w: number): number {
    return this.sets.data[w];
  }

  /** String index of the way's name (0 when none). */
  name(w: number): number {
    return this.names.data[w];
  }

  /** String index of the way's ref (0 when none). */
  ref(w: number): number {
    return this.refTags.data[w];
  }

  string(i: number): string {
    return this.stringList[i];
  }

  add(way: { id: number; refs: ArrayLike<number>; tagSet: number; name?: string; ref?: string }): void {
    this.ids.push(way.id);
    this.starts.push(this.nodeRefs.length);
    for (let i = 0; i < way.refs.length; i++) this.nodeRefs.push(way.refs[i]);
    this.sets.push(way.tagSet);
    this.names.push(this.intern(way.name));
    this.refTags.push(this.intern(way.ref));
  }

  /**
   * After the last `add`: drops the later copies of ways added twice (overlapping
   * inputs), keeping the first in input order, and indexes the ways by id.
   */
  seal(): void {
    const n = this.ids.length;
    const ids = this.ids.data;
    let order: Int32Array = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    let increasing = true;
    for (let i = 1; i < n && increasing; i++) if (!(ids[i] > ids[i - 1])) increasing = false;
    if (!increasing) {
      order.sort((a, b) => ids[a] - ids[b] || a - b);
      const drop = new Uint8Array(n);
      let dropped = 0;
      for (let k = 1; k < n; k++) {
        if (ids[order[k]] === ids[order[k - 1]]) {
          drop[order[k]] = 1;
          dropped++;
        }
      }
      if (dropped > 0) order = this.compact(drop, order);
    }
    this.starts.push(this.nodeRefs.length);
    this.sortedIndex = order;
    this.sortedIds = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) this.sortedIds[k] = this.ids.data[order[k]];
  }

  /** Index of the way with this id, -1 when none. */
  indexOf(id: number): number {
    const at = searchSorted(this.sortedIds!, id);
    return at < 0 ? -1 : this.sortedIndex![at];
  }

  /** Lets go of the arrays (the string table stays). */
  release(): void {
    this.ids = new GrowableFloat64(0);
    this.starts = new GrowableFloat64(0);
    this.nodeRefs = new GrowableFloat64(0);
    this.sets = new GrowableInt32(0);
    this.names = new GrowableInt32(0);
    this.refTags = new GrowableInt32(0);
    this.sortedIds = null;
    this.sortedIndex = null;
  }

  private intern(s: string | undefined): number {
    if (!s) return 0;
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.stringList.length;
      this.stringList.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  /** Removes the dropped ways in place (kept ones move down only); returns `order` renumbered without them. */
  private compact(drop: Uint8Array, order: Int32Array): Int32Array {
    const n = drop.length;
    const newIndex = new Int32Array(n).fill(-1);
    const ids = this.ids.data;
    const starts = this.starts.data;
    const refs = this.nodeRefs.data;
    const total = this.nodeRefs.length;
    let w = 0;
    let r = 0;
    for (let i = 0; i < n; i++) {
      if (drop[i]) continue;
      const from = starts[i];
      const to = i + 1 < n ? starts[i + 1] : total;
      newIndex[i] = w;
      ids[w] = ids[i];
      this.sets.data[w] = this.sets.data[i];
      this.names.data[w] = this.names.data[i];
      this.refTags.data[w] = this.refTags.data[i];
      starts[w] = r;
      refs.copyWithin(r, from, to);
      r += to - from;
      w++;
    }
    for (const g of [this.ids, this.starts, this.sets, this.names, this.refTags]) g.length = w;
    this.nodeRefs.length = r;
    let o = 0;
    for (let k = 0; k < n; k++) if (!drop[order[k]]) order[o++] = newIndex[order[k]];
    return order.slice(0, o);
  }
}

/** Position of `id` in the ascending array `a`, -1 when absent. */
export function searchSorted(a: Float64Array, id: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid];
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
