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
import { AdjacencyPool, ArcStore } from './adjacency_pool.js';
import { MinHeap } from './min_heap.js';
import { collectGarbage } from '../core/collect_garbage.js';

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

export interface ContractOptions {
  /** Settled-node budget of one witness search. */
  witnessSettleLimit?: number;
  /** Called every few thousand contracted nodes. */
  onProgress?: (contracted: number, total: number) => void;
  /** Arc lengths in metres by geo arc (for distances of shortcuts). */
  geoLength: (geo: number) => number;
  /**
   * End a witness search once every node it is for is settled (default true): their
   * distances are final then, so the hierarchy is the same; false searches on to the
   * weight or settle limit, as before (tests compare the two).
   */
  stopAtTargets?: boolean;
  /** Counts the nodes the witness searches settle (all of them, priorities included). */
  stats?: { witnessSettled: number };
}

/** What the contraction reads of a profile graph (all a worker is sent). */
export type ContractInput = Pick<ProfileGraph, 'nodeCount' | 'firstOut' | 'arcHead' | 'arcWeight' | 'arcGeo'>;

export function contractGraph(g: ContractInput, opts: ContractOptions): ContractedGraph {
  const n = g.nodeCount;
  const limit = opts.witnessSettleLimit ?? 400;
  // Priorities only estimate: a cheaper search is enough there.
  const simLimit = Math.min(limit, 20);
  // Arcs per node, out and in, in typed pools: no object per node (see adjacency_pool.ts).
  // Each list starts in a block of its exact degree: filling the pools then moves
  // nothing, which would leave abandoned blocks and a compaction at 1.5 times the
  // arcs (the pools' peak on a region). A quarter of the arcs is room for shortcuts.
  const outDegree = new Int32Array(n);
  const inDegree = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    outDegree[v] = g.firstOut[v + 1] - g.firstOut[v];
    for (let a = g.firstOut[v]; a < g.firstOut[v + 1]; a++) inDegree[g.arcHead[a]]++;
  }
  const spare = Math.ceil(g.arcHead.length / 4);
  const out = new AdjacencyPool(n, spare, outDegree);
  const inn = new AdjacencyPool(n, spare, inDegree);
  for (let v = 0; v < n; v++) {
    for (let a = g.firstOut[v]; a < g.firstOut[v + 1]; a++) {
      const h = g.arcHead[a];
      const geo = g.arcGeo[a];
      out.add(v, h, g.arcWeight[a], -geo - 1);
      inn.add(h, v, g.arcWeight[a], -geo - 1);
    }
  }
  const contracted = new Uint8Array(n);
  const deleted = new Int32Array(n);
  const depth = new Int32Array(n);

  // Witness search state, reused.
  const wHeap = new MinHeap(n);
  const wDist = new Float64Array(n).fill(Infinity);
  const touched: number[] = [];
  // The nodes a witness search is for (v's out-neighbours still in the graph), marked
  // with the current round (no clearing between rounds), with the lightest arc v → x.
  const stopAtTargets = opts.stopAtTargets ?? true;
  const targetRound = new Int32Array(stopAtTargets ? n : 0);
  const targetWeight = new Int32Array(stopAtTargets ? n : 0);
  let round = 0;
  let targetCount = 0;
  const stats = opts.stats;
  /**
   * Distances from `source` avoiding `skip`, up to `maxWeight` or `settleLimit` settled nodes. The caller reads
   * only wDist[x] <= wSource + (weight of v → x) for targets x: a target is decided once settled (its distance is
   * final) or once its distance is under that bound (distances only drop); with every target decided the search
   * ends, the answers being those of a search run on to the limits.
   */
  const witness = (source: number, skip: number, maxWeight: number, settleLimit: number, wSource: number): void => {
    for (const t of touched) wDist[t] = Infinity;
    touched.length = 0;
    wHeap.clear();
    wDist[source] = 0;
    touched.push(source);
    wHeap.push(source, 0);
    let undecided = stopAtTargets ? targetCount - (targetRound[source] === round ? 1 : 0) : -1;
    let settled = 0;
    while (wHeap.size > 0 && undecided !== 0) {
      const d = wHeap.peekKey();
      if (d > maxWeight || settled++ > settleLimit) break;
      const u = wHeap.pop();
      if (stopAtTargets && targetRound[u] === round && u !== source && d > wSource + targetWeight[u]) undecided--;
      const node = out.node;
      const weight = out.weight;
      for (let i = out.begin(u), e = out.end(u); i < e; i++) {
        const x = node[i];
        if (x === skip || contracted[x]) continue;
        const nd = d + weight[i];
        if (nd < wDist[x]) {
          if (stopAtTargets && targetRound[x] === round && x !== source) {
            const bound = wSource + targetWeight[x];
            if (nd <= bound && wDist[x] > bound) undecided--;
          }
          if (wDist[x] === Infinity) touched.push(x);
          wDist[x] = nd;
          wHeap.push(x, nd);
        }
      }
    }
    if (stats) stats.witnessSettled += settled;
  };

  // Shortcuts needed to contract v: returned as flat [u, w, weight, …] when `collect`.
  const shortcutsFor = (v: number, collect: number[] | null, settleLimit: number): number => {
    let count = 0;
    let maxOut = 0;
    const oBegin = out.begin(v);
    const oEnd = out.end(v);
    round++;
    targetCount = 0;
    for (let j = oBegin; j < oEnd; j++) {
      const x = out.node[j];
      if (contracted[x]) continue;
      if (out.weight[j] > maxOut) maxOut = out.weight[j];
      if (!stopAtTargets) continue;
      if (targetRound[x] !== round) {
        targetRound[x] = round;
        targetWeight[x] = out.weight[j];
        targetCount++;
      } else if (out.weight[j] < targetWeight[x]) targetWeight[x] = out.weight[j];
    }
    for (let i = inn.begin(v), iEnd = inn.end(v); i < iEnd; i++) {
      const u = inn.node[i];
      if (contracted[u]) continue;
      const wu = inn.weight[i];
      witness(u, v, wu + maxOut, settleLimit, wu);
      for (let j = oBegin; j < oEnd; j++) {
        const x = out.node[j];
        if (x === u || contracted[x]) continue;
        const via = wu + out.weight[j];
        if (wDist[x] <= via) continue;
        count++;
        if (collect) collect.push(u, x, via);
      }
    }
    return count;
  };

  const degree = (v: number): number => {
    let d = 0;
    for (let i = out.begin(v), e = out.end(v); i < e; i++) if (!contracted[out.node[i]]) d++;
    for (let i = inn.begin(v), e = inn.end(v); i < e; i++) if (!contracted[inn.node[i]]) d++;
    return d;
  };
  const priority = (v: number): number => 2 * (shortcutsFor(v, null, simLimit) - degree(v)) + deleted[v] + depth[v];

  const queue = new MinHeap(n);
  for (let v = 0; v < n; v++) queue.push(v, priority(v));

  // Upward arcs, appended in contraction order to two shared stores (one object per
  // node would cost far more memory on a region), regrouped by node at the end.
  // v's arcs to nodes not yet contracted (the more important ones), appended to `store`; returns how many.
  const keepUpward = (pool: AdjacencyPool, v: number, store: ArcStore): number => {
    const before = store.length;
    for (let i = pool.begin(v), e = pool.end(v); i < e; i++) {
      if (contracted[pool.node[i]]) continue;
      store.add(pool.node[i], pool.weight[i], pool.mid[i]);
      neighbours.add(pool.node[i]);
    }
    return store.length - before;
  };
  const fwd = new ArcStore();
  const bwd = new ArcStore();
  const fStart = new Int32Array(n);
  const fLen = new Int32Array(n);
  const bStart = new Int32Array(n);
  const bLen = new Int32Array(n);
  const neighbours = new Set<number>();
  /** Nodes in the order contracted. */
  const order = new Int32Array(n);
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
    fStart[v] = fwd.length;
    fLen[v] = keepUpward(out, v, fwd);
    bStart[v] = bwd.length;
    bLen[v] = keepUpward(inn, v, bwd);
    contracted[v] = 1;
    order[done] = v;
    for (let k = 0; k < scratch.length; k += 3) {
      const u = scratch[k];
      const x = scratch[k + 1];
      const wgt = scratch[k + 2];
      const idx = out.indexOf(u, x);
      if (idx >= 0) {
        if (out.weight[idx] <= wgt) continue;
        out.weight[idx] = wgt;
        out.mid[idx] = v;
        const j = inn.indexOf(x, u);
        inn.weight[j] = wgt;
        inn.mid[j] = v;
      } else {
        out.add(u, x, wgt, v);
        inn.add(x, u, wgt, v);
      }
    }
    for (const x of neighbours) {
      out.removeNode(x, v);
      inn.removeNode(x, v);
      deleted[x]++;
      if (depth[x] < depth[v] + 1) depth[x] = depth[v] + 1;
    }
    out.release(v);
    inn.release(v);
    for (const x of neighbours) queue.push(x, priority(x));
    done++;
    if (opts.onProgress && done % 2000 === 0) opts.onProgress(done, n);
  }
  // The pools are at their largest now: let them go before the hierarchy is copied out.
  out.free();
  inn.free();
  collectGarbage();
  const { fDist, bDist } = upwardDistances({ order, fwd, bwd, fStart, fLen, bStart, bLen, geoLength: opts.geoLength });
  const f = fwd.toCsr(fStart, fLen, fDist);
  const b = bwd.toCsr(bStart, bLen, bDist);
  return {
    nodeCount: n,
    fwdFirst: f.first, fwdNode: f.node, fwdWeight: f.weight, fwdMid: f.mid, fwdDist: f.dist,
    bwdFirst: b.first, bwdNode: b.node, bwdWeight: b.weight, bwdMid: b.mid, bwdDist: b.dist,
  };
}

/**
 * The length in metres of every upward arc, by position in its store. The pools keep no distances
 * (8 bytes a slot in each direction, at the contraction's peak): a shortcut u → x through m is as long as
 * its halves, u → m (a backward arc kept at m, head u) and m → x (a forward arc kept at m, head x), summed in
 * doubles as they were when m was contracted; an original arc, as its geo arc. m was contracted before the
 * arc's owner, so in contraction order the halves are known when needed.
 */
function upwardDistances(o: {
  order: Int32Array; fwd: ArcStore; bwd: ArcStore; fStart: Int32Array; fLen: Int32Array; bStart: Int32Array; bLen: Int32Array;
  geoLength: (geo: number) => number;
}): { fDist: Float64Array; bDist: Float64Array } {
  const { fwd, bwd, fStart, fLen, bStart, bLen } = o;
  const fDist = new Float64Array(fwd.length);
  const bDist = new Float64Array(bwd.length);
  const find = (store: ArcStore, dist: Float64Array, start: number, len: number, head: number): number => {
    for (let i = start, e = start + len; i < e; i++) if (store.node(i) === head) return dist[i];
    throw new Error(`contraction: no upward arc to ${head} among ${len} from ${start}`);
  };
  for (let k = 0; k < o.order.length; k++) {
    const v = o.order[k];
    for (let i = fStart[v], e = i + fLen[v]; i < e; i++) {
      const m = fwd.mid(i);
      const h = fwd.node(i);
      // v → h through m: v → m, then m → h
      fDist[i] = m < 0 ? o.geoLength(-m - 1) : find(bwd, bDist, bStart[m], bLen[m], v) + find(fwd, fDist, fStart[m], fLen[m], h);
    }
    for (let i = bStart[v], e = i + bLen[v]; i < e; i++) {
      const m = bwd.mid(i);
      const h = bwd.node(i);
      // h → v through m: h → m, then m → v
      bDist[i] = m < 0 ? o.geoLength(-m - 1) : find(bwd, bDist, bStart[m], bLen[m], h) + find(fwd, fDist, fStart[m], fLen[m], v);
    }
  }
  return { fDist, bDist };
}
