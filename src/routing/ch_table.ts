/**
 * Many-to-many shortest paths on a ContractedGraph (bucket method): one backward
 * upward search per target leaves (target, weight, distance) in a bucket at each
 * node it settles; one forward upward search per source scans the buckets of the
 * nodes it settles. Searches are complete upward spaces (small in a CH).
 */
import type { ContractedGraph } from './contraction.js';
import { MinHeap } from './min_heap.js';

export interface TableEndpoint {
  node: number;
  weight: number;
  dist: number;
}

export class ChTable {
  private readonly heap: MinHeap;
  private readonly w: Float64Array;
  private readonly d: Float64Array;
  private readonly touched: number[] = [];

  constructor(private readonly g: ContractedGraph) {
    this.heap = new MinHeap(g.nodeCount);
    this.w = new Float64Array(g.nodeCount).fill(Infinity);
    this.d = new Float64Array(g.nodeCount);
  }

  compute(sources: TableEndpoint[][], targets: TableEndpoint[][]): { weight: Float64Array; dist: Float64Array } {
    const S = sources.length;
    const T = targets.length;
    const weight = new Float64Array(S * T).fill(Infinity);
    const dist = new Float64Array(S * T).fill(Infinity);
    const buckets = new Map<number, number[]>();
    const g = this.g;
    for (let j = 0; j < T; j++) {
      this.search(targets[j], g.bwdFirst, g.bwdNode, g.bwdWeight, g.bwdDist, g.fwdFirst, g.fwdNode, g.fwdWeight, (v, w, d) => {
        let b = buckets.get(v);
        if (!b) buckets.set(v, (b = []));
        b.push(j, w, d);
      });
    }
    for (let i = 0; i < S; i++) {
      this.search(sources[i], g.fwdFirst, g.fwdNode, g.fwdWeight, g.fwdDist, g.bwdFirst, g.bwdNode, g.bwdWeight, (v, w, d) => {
        const b = buckets.get(v);
        if (!b) return;
        for (let k = 0; k < b.length; k += 3) {
          const idx = i * T + b[k];
          const total = w + b[k + 1];
          if (total < weight[idx]) {
            weight[idx] = total;
            dist[idx] = d + b[k + 2];
          }
        }
      });
    }
    return { weight, dist };
  }

  private search(
    starts: TableEndpoint[], first: Int32Array, node: Int32Array, wt: Int32Array, dt: Float32Array,
    oFirst: Int32Array, oNode: Int32Array, oWt: Int32Array,
    visit: (v: number, w: number, d: number) => void,
  ): void {
    const { heap, w, d, touched } = this;
    for (const v of touched) w[v] = Infinity;
    touched.length = 0;
    heap.clear();
    for (const s of starts) {
      if (s.weight < w[s.node]) {
        if (w[s.node] === Infinity) touched.push(s.node);
        w[s.node] = s.weight;
        d[s.node] = s.dist;
        heap.push(s.node, s.weight);
      }
    }
    while (heap.size > 0) {
      const v = heap.pop();
      const wv = w[v];
      let stalled = false;
      for (let a = oFirst[v]; a < oFirst[v + 1]; a++) {
        if (w[oNode[a]] + oWt[a] < wv) { stalled = true; break; }
      }
      if (stalled) continue;
      visit(v, wv, d[v]);
      for (let a = first[v]; a < first[v + 1]; a++) {
        const x = node[a];
        const nw = wv + wt[a];
        if (nw < w[x]) {
          if (w[x] === Infinity) touched.push(x);
          w[x] = nw;
          d[x] = d[v] + dt[a];
          heap.push(x, nw);
        }
      }
    }
  }
}
