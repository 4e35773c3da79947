/**
 * Shortest paths on a ContractedGraph: bidirectional Dijkstra on the upward
 * graphs with stall-on-demand, started from several weighted nodes on each side
 * (a snapped point reaches both ends of its edge). One instance per thread of
 * queries: the state arrays are reused between queries.
 */
import type { ContractedGraph } from './contraction.js';
import { MinHeap } from './min_heap.js';

export interface SearchEndpoint {
  node: number;
  /** Weight already spent (source) or still to spend (target) off the graph. */
  weight: number;
  /** Index of the endpoint in the caller's list, returned with the result. */
  tag: number;
}

export interface ChResult {
  weight: number;
  meet: number;
  sourceTag: number;
  targetTag: number;
}

class Side {
  readonly heap: MinHeap;
  readonly dist: Float64Array;
  readonly parent: Int32Array;
  readonly parentArc: Int32Array;
  readonly origin: Int32Array;
  readonly touched: number[] = [];
  constructor(n: number) {
    this.heap = new MinHeap(n);
    this.dist = new Float64Array(n).fill(Infinity);
    this.parent = new Int32Array(n);
    this.parentArc = new Int32Array(n);
    this.origin = new Int32Array(n);
  }
  reset(): void {
    for (const v of this.touched) this.dist[v] = Infinity;
    this.touched.length = 0;
    this.heap.clear();
  }
  start(e: SearchEndpoint): void {
    if (e.weight < this.dist[e.node]) {
      if (this.dist[e.node] === Infinity) this.touched.push(e.node);
      this.dist[e.node] = e.weight;
      this.parent[e.node] = -1;
      this.parentArc[e.node] = -1;
      this.origin[e.node] = e.tag;
      this.heap.push(e.node, e.weight);
    }
  }
}

export class ChQuery {
  private readonly f: Side;
  private readonly b: Side;
  /** Nodes settled by both searches in the last query (for alternatives). */
  readonly meetings: number[] = [];

  constructor(readonly g: ContractedGraph) {
    this.f = new Side(g.nodeCount);
    this.b = new Side(g.nodeCount);
  }

  /**
   * Lightest path from any source to any target, or null. `slack` > 1 lets both
   * searches run past the optimum so meetings holds candidates for alternatives.
   */
  shortest(sources: readonly SearchEndpoint[], targets: readonly SearchEndpoint[], slack = 1): ChResult | null {
    const { f, b, g } = this;
    f.reset();
    b.reset();
    this.meetings.length = 0;
    for (const s of sources) f.start(s);
    for (const t of targets) b.start(t);
    let best = Infinity;
    let meet = -1;
    const stall = slack === 1;
    for (;;) {
      const fk = f.heap.peekKey();
      const bk = b.heap.peekKey();
      const bound = best * slack;
      const fOpen = fk < bound;
      const bOpen = bk < bound;
      if (!fOpen && !bOpen) break;
      const useForward = fOpen && (!bOpen || fk <= bk);
      const s = useForward ? f : b;
      const o = useForward ? b : f;
      const v = s.heap.pop();
      const dv = s.dist[v];
      if (o.dist[v] < Infinity) {
        const total = dv + o.dist[v];
        if (total < best) {
          best = total;
          meet = v;
        }
        if (slack > 1) this.meetings.push(v);
      }
      const first = useForward ? g.fwdFirst : g.bwdFirst;
      const node = useForward ? g.fwdNode : g.bwdNode;
      const weight = useForward ? g.fwdWeight : g.bwdWeight;
      if (stall) {
        // Stall-on-demand: an arc from a higher node into v in the opposite
        // orientation proves v's label is not shortest; do not expand it.
        const of = useForward ? g.bwdFirst : g.fwdFirst;
        const on = useForward ? g.bwdNode : g.fwdNode;
        const ow = useForward ? g.bwdWeight : g.fwdWeight;
        let stalled = false;
        for (let a = of[v]; a < of[v + 1]; a++) {
          if (s.dist[on[a]] + ow[a] < dv) {
            stalled = true;
            break;
          }
        }
        if (stalled) continue;
      }
      for (let a = first[v]; a < first[v + 1]; a++) {
        const x = node[a];
        const nd = dv + weight[a];
        if (nd < s.dist[x]) {
          if (s.dist[x] === Infinity) s.touched.push(x);
          s.dist[x] = nd;
          s.parent[x] = v;
          s.parentArc[x] = a;
          s.origin[x] = s.origin[v];
          s.heap.push(x, nd);
        }
      }
    }
    if (meet < 0) return null;
    return { weight: best, meet, sourceTag: f.origin[meet], targetTag: b.origin[meet] };
  }

  forwardDist(v: number): number { return this.f.dist[v]; }
  backwardDist(v: number): number { return this.b.dist[v]; }
  sourceTagOf(v: number): number { return this.f.origin[v]; }
  targetTagOf(v: number): number { return this.b.origin[v]; }

  /** The geo arcs (see ProfileGraph) of the last query's path through `meet`, in travel order. */
  unpackPath(meet: number): number[] {
    const out: number[] = [];
    const up: number[] = [];
    for (let v = meet; this.f.parent[v] >= 0 && this.f.parentArc[v] >= 0; v = this.f.parent[v]) up.push(v);
    for (let i = up.length - 1; i >= 0; i--) {
      const v = up[i];
      const a = this.f.parentArc[v];
      this.unpackArc(this.f.parent[v], v, this.g.fwdMid[a], out);
    }
    for (let v = meet; this.b.parent[v] >= 0 && this.b.parentArc[v] >= 0; v = this.b.parent[v]) {
      const a = this.b.parentArc[v];
      // Backward arcs are stored at the lower node v' = parent, pointing to v: real direction v → parent.
      this.unpackArc(v, this.b.parent[v], this.g.bwdMid[a], out);
    }
    return out;
  }

  /** Appends the geo arcs of the arc x→y (middle `mid`) in travel order. */
  unpackArc(x: number, y: number, mid: number, out: number[]): void {
    if (mid < 0) {
      out.push(-mid - 1);
      return;
    }
    const g = this.g;
    // x→mid is stored at mid's backward list (x is higher); mid→y at mid's forward list.
    let a1 = -1;
    for (let a = g.bwdFirst[mid]; a < g.bwdFirst[mid + 1]; a++) if (g.bwdNode[a] === x) { a1 = a; break; }
    let a2 = -1;
    for (let a = g.fwdFirst[mid]; a < g.fwdFirst[mid + 1]; a++) if (g.fwdNode[a] === y) { a2 = a; break; }
    if (a1 < 0 || a2 < 0) throw new Error(`broken shortcut ${x}->${y} via ${mid}`);
    const m1 = g.bwdMid[a1];
    const m2 = g.fwdMid[a2];
    this.unpackArc(x, mid, m1, out);
    this.unpackArc(mid, y, m2, out);
  }
}
