/**
 * The `natural=coastline` ways of the input, kept during the OSM read whatever the
 * profile wants: ids and node refs only, in growing typed arrays (no object per
 * way). A way read twice (overlapping extracts) is kept once.
 */
import type { OsmWay } from '../../osm/types.js';
import { withCapacity } from '../../core/growable_arrays.js';

export function isCoastline(way: OsmWay): boolean {
  return way.tags.natural === 'coastline';
}

export class CoastlineWays {
  private ids = new Float64Array(64);
  private starts = new Float64Array(65);
  private refs = new Float64Array(1024);
  private count = 0;
  private refCount = 0;
  private readonly seen = new Set<number>();

  get size(): number {
    return this.count;
  }

  /** Keeps the way when it is a coastline; returns whether it was kept. */
  offer(way: OsmWay): boolean {
    if (!isCoastline(way) || way.refs.length < 2 || this.seen.has(way.id)) return false;
    this.seen.add(way.id);
    if (this.count + 1 >= this.ids.length) {
      this.ids = withCapacity(this.ids, this.ids.length * 2);
      this.starts = withCapacity(this.starts, this.starts.length * 2);
    }
    if (this.refCount + way.refs.length > this.refs.length) {
      this.refs = withCapacity(this.refs, this.refCount + way.refs.length);
    }
    this.ids[this.count] = way.id;
    this.starts[this.count] = this.refCount;
    this.refs.set(way.refs, this.refCount);
    this.refCount += way.refs.length;
    this.count++;
    this.starts[this.count] = this.refCount;
    return true;
  }

  idAt(i: number): number {
    return this.ids[i];
  }

  /** Node ids of way i (a view: do not keep it past the next offer). */
  refsAt(i: number): Float64Array {
    return this.refs.subarray(this.starts[i], this.starts[i + 1]);
  }

  /** Every node id of the coastline ways, sorted (repeats kept). */
  sortedNodeIds(): Float64Array {
    return this.refs.slice(0, this.refCount).sort();
  }

  bytes(): number {
    return this.ids.byteLength + this.starts.byteLength + this.refs.byteLength;
  }
}
