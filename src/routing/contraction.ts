/**
 * Contraction Hierarchies preprocessing. Nodes are contracted in order of a lazy
 * priority (edge difference, deleted neighbours, depth); a shortcut u→w through v is
 * added unless a limited witness search finds a path at most as heavy that avoids
 * v. The result keeps, per node, the arcs towards more important nodes: forward
 * (v→w) for the search from the source, backward (u→v, stored at v) for the search
 * from the target. Each arc carries its middle node for unpacking, or the geo arc
 * it stands for (as -geo-1) when it is an original arc.
 */
import type { ProfileGraph } from './profile_graph.js';
import { MinHeap } from './min_heap.js';

export interface ContractedGraph {
  nodeCount: number;
  fwdFirst: Int32Array;
  fwdNode: Int32Array;
  fwdWeight: Int32Array;
  fwdMid: Int32Array;
  fwdDist: Float32Array;
  bwdFirst: Int32Array;
  bwdNode: Int32Array;
  bwdWeight: Int32Array;
  bwdMid: Int32Array;
  bwdDist: Float32Array;
}

class Adj {
  node: number[] = [];
  weight: number[] = [];
  mid: number[] = [];
  dist: number[] = [];
  add(n: number, w: number, m: number, d: number): void {
    this.node.push(n);
    this.weight.push(w);
    this.mid.push(m);
    this.dist.push(d);
  }
  removeNode(n: number): void {
    let j = 0;
    for (let i = 0; i < this.node.length; i++) {
      if (this.node[i] === n) continue;
      if (j !== i) {
        this.node[j] = this.node[i];
        this.weight[j] = this.weight[i];
        this.mid[j] = this.mid[i];
        this.dist[j] = this.dist[i];
      }
      j++;
    }
    this.node.length = j;
    this.weight.length = j;
    this.mid.length = j;
    this.dist.length = j;
  }
  indexOf(n: number): number {
    return this.node.indexOf(n);
  }
}

export interface ContractOptions {
  /** Settled-node budget of one witness search. */
  witnessSettleLimit?: number;
  /** Called every few thousand contracted nodes. */
  onProgress?: (contracted: number, total: number) => void;
  /** Arc lengths in metres by geo arc (for distances of shortcuts). */
  geoLength: (geo: number) => number;
}

export function contractGraph(g: ProfileGraph, opts: ContractOptions): ContractedGraph {
  const n = g.nodeCount;
  const limit = opts.witnessSettleLimit ?? 400;
  // Priorities only estimate: a cheaper search is enough there.
  const simLimit = Math.min(limit, 20);
  const out: Adj[] = new Array(n);
  const inn: Adj[] = new Array(n);
  for (let v = 0; v < n; v++) {
    out[v] = new Adj();
    inn[v] = new Adj();
  }
  for (let v = 0; v < n; v++) {
    for (let a = g.firstOut[v]; a < g.firstOut[v + 1]; a++) {
      const h = g.arcHead[a];
      const geo = g.arcGeo[a];
      const d = opts.geoLength(geo);
      out[v].add(h, g.arcWeight[a], -geo - 1, d);
      inn[h].add(v, g.arcWeight[a], -geo - 1, d);
    }
  }
  const contracted = new Uint8Array(n);
  const deleted = new Int32Array(n);
  const depth = new Int32Array(n);

  // Witness search state, reused.
  const wHeap = new MinHeap(n);
  const wDist = new Float64Array(n).fill(Infinity);
  const touched: number[] = [];
  const witness = (source: number, skip: number, maxWeight: number, settleLimit: number): void => {
    for (const t of touched) wDist[t] = Infinity;
    touched.length = 0;
    wHeap.clear();
    wDist[source] = 0;
    touched.push(source);
    wHeap.push(source, 0);
    let settled = 0;
    while (wHeap.size > 0) {
      const d = wHeap.peekKey();
      if (d > maxWeight || settled++ > settleLimit) break;
      const u = wHeap.pop();
      const adj = out[u];
      for (let i = 0; i < adj.node.length; i++) {
        const x = adj.node[i];
        if (x === skip || contracted[x]) continue;
        const nd = d + adj.weight[i];
        if (nd < wDist[x]) {
          if (wDist[x] === Infinity) touched.push(x);
          wDist[x] = nd;
          wHeap.push(x, nd);
        }
      }
    }
  };

  // Shortcuts needed to contract v: returned as flat [u, w, weight, dist, …] when `collect`.
  const shortcutsFor = (v: number, collect: number[] | null, settleLimit: number): number => {
    const ins = inn[v];
    const outs = out[v];
    let count = 0;
    let maxOut = 0;
    for (let j = 0; j < outs.node.length; j++) if (!contracted[outs.node[j]] && outs.weight[j] > maxOut) maxOut = outs.weight[j];
    for (let i = 0; i < ins.node.length; i++) {
      const u = ins.node[i];
      if (contracted[u]) continue;
      const wu = ins.weight[i];
      witness(u, v, wu + maxOut, settleLimit);
      for (let j = 0; j < outs.node.length; j++) {
        const x = outs.node[j];
        if (x === u || contracted[x]) continue;
        const via = wu + outs.weight[j];
        if (wDist[x] <= via) continue;
        count++;
        if (collect) collect.push(u, x, via, ins.dist[i] + outs.dist[j]);
      }
    }
    return count;
  };

  const degree = (v: number): number => {
    let d = 0;
    for (const x of out[v].node) if (!contracted[x]) d++;
    for (const x of inn[v].node) if (!contracted[x]) d++;
    return d;
  };
  const priority = (v: number): number => 2 * (shortcutsFor(v, null, simLimit) - degree(v)) + deleted[v] + depth[v];

  const queue = new MinHeap(n);
  for (let v = 0; v < n; v++) queue.push(v, priority(v));

  // Upward arcs, appended in contraction order to two shared stores (one object per
  // node would cost far more memory on a region), regrouped by node at the end.
  const fwd = new Adj();
  const bwd = new Adj();
  const fStart = new Int32Array(n);
  const fLen = new Int32Array(n);
  const bStart = new Int32Array(n);
  const bLen = new Int32Array(n);
  const neighbours = new Set<number>();
  let done = 0;
  const scratch: number[] = [];
  while (queue.size > 0) {
    const v = queue.pop();
    // Lazy update: re-evaluate; if it is no longer the smallest, put it back.
    const p = priority(v);
    if (queue.size > 0 && p > queue.peekKey()) {
      queue.push(v, p);
      continue;
    }
    scratch.length = 0;
    shortcutsFor(v, scratch, limit);
    neighbours.clear();
    fStart[v] = fwd.node.length;
    const o = out[v];
    for (let i = 0; i < o.node.length; i++) {
      if (contracted[o.node[i]]) continue;
      fwd.add(o.node[i], o.weight[i], o.mid[i], o.dist[i]);
      neighbours.add(o.node[i]);
    }
    fLen[v] = fwd.node.length - fStart[v];
    bStart[v] = bwd.node.length;
    const ii = inn[v];
    for (let i = 0; i < ii.node.length; i++) {
      if (contracted[ii.node[i]]) continue;
      bwd.add(ii.node[i], ii.weight[i], ii.mid[i], ii.dist[i]);
      neighbours.add(ii.node[i]);
    }
    bLen[v] = bwd.node.length - bStart[v];
    contracted[v] = 1;
    for (let k = 0; k < scratch.length; k += 4) {
      const u = scratch[k];
      const x = scratch[k + 1];
      const wgt = scratch[k + 2];
      const dist = scratch[k + 3];
      const ou = out[u];
      const idx = ou.indexOf(x);
      if (idx >= 0) {
        if (ou.weight[idx] <= wgt) continue;
        ou.weight[idx] = wgt;
        ou.mid[idx] = v;
        ou.dist[idx] = dist;
        const ix = inn[x];
        const j = ix.indexOf(u);
        ix.weight[j] = wgt;
        ix.mid[j] = v;
        ix.dist[j] = dist;
      } else {
        ou.add(x, wgt, v, dist);
        inn[x].add(u, wgt, v, dist);
      }
    }
    for (const x of neighbours) {
      out[x].removeNode(v);
      inn[x].removeNode(v);
      deleted[x]++;
      if (depth[x] < depth[v] + 1) depth[x] = depth[v] + 1;
    }
    out[v] = new Adj();
    inn[v] = new Adj();
    for (const x of neighbours) queue.push(x, priority(x));
    done++;
    if (opts.onProgress && done % 2000 === 0) opts.onProgress(done, n);
  }
  return { nodeCount: n, ...toCsr('fwd', fwd, fStart, fLen), ...toCsr('bwd', bwd, bStart, bLen) } as ContractedGraph;
}

function toCsr(prefix: 'fwd' | 'bwd', store: Adj, start: Int32Array, len: Int32Array): Record<string, Int32Array | Float32Array> {
  const n = start.length;
  const first = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) first[v + 1] = first[v] + len[v];
  const m = first[n];
  const node = new Int32Array(m);
  const weight = new Int32Array(m);
  const mid = new Int32Array(m);
  const dist = new Float32Array(m);
  for (let v = 0; v < n; v++) {
    const o = first[v];
    const s = start[v];
    for (let i = 0; i < len[v]; i++) {
      node[o + i] = store.node[s + i];
      weight[o + i] = store.weight[s + i];
      mid[o + i] = store.mid[s + i];
      dist[o + i] = store.dist[s + i];
    }
  }
  return { [`${prefix}First`]: first, [`${prefix}Node`]: node, [`${prefix}Weight`]: weight, [`${prefix}Mid`]: mid, [`${prefix}Dist`]: dist };
}
