/**
 * Shortest paths that avoid road classes (`exclude=`), where the contraction
 * hierarchy cannot help: its shortcuts mix classes. The profile's own graph is
 * rebuilt from the geo arcs the routing file keeps (geoTail/geoHead plus the
 * restriction copies' extra arcs, exactly the arcs the hierarchy was built from),
 * and searched with plain Dijkstra, skipping arcs of an excluded class:
 * bidirectional for one leg, one forward search per source for a table.
 * State arrays are reused between queries (one instance per profile).
 */
import { MinHeap } from './min_heap.js';
import { arcClasses } from './road_classes.js';
import type { ProfileData } from './routing_data.js';
import type { SearchEndpoint } from './ch_query.js';
import type { TableEndpoint } from './ch_table.js';

export interface FilteredResult {
  weight: number;
  sourceTag: number;
  targetTag: number;
  /** Geo arcs in travel order. */
  geoArcs: number[];
}

/** Arcs by one end (CSR): the other end and the geo arc. */
interface Csr { first: Int32Array; node: Int32Array; geo: Int32Array }

class Side {
  readonly heap: MinHeap;
  readonly dist: Float64Array;
  readonly len: Float64Array;
  readonly parent: Int32Array;
  readonly parentGeo: Int32Array;
  readonly origin: Int32Array;
  readonly touched: number[] = [];
  constructor(n: number) {
    this.heap = new MinHeap(n);
    this.dist = new Float64Array(n).fill(Infinity);
    this.len = new Float64Array(n);
    this.parent = new Int32Array(n);
    this.parentGeo = new Int32Array(n);
    this.origin = new Int32Array(n);
  }
  reset(): void {
    for (const v of this.touched) this.dist[v] = Infinity;
    this.touched.length = 0;
    this.heap.clear();
  }
  /** Labels node v (weight, length, parent node and arc, origin tag); positional, not an options object, as it runs in the search's inner loop. */
  label(v: number, w: number, len: number, parent: number, geo: number, origin: number): boolean {
    if (w >= this.dist[v]) return false;
    if (this.dist[v] === Infinity) this.touched.push(v);
    this.dist[v] = w;
    this.len[v] = len;
    this.parent[v] = parent;
    this.parentGeo[v] = geo;
    this.origin[v] = origin;
    this.heap.push(v, w);
    return true;
  }
}

export class FilteredSearch {
  private readonly out: Csr;
  private readonly inc: Csr;
  private readonly f: Side;
  private readonly b: Side;

  constructor(private readonly p: ProfileData, private readonly edgeClasses: Uint8Array, private readonly edgeLength: Float64Array) {
    const n = p.ch.nodeCount;
    const tails: number[] = [];
    const heads: number[] = [];
    const geos: number[] = [];
    const add = (t: number, g: number): void => {
      const h = p.geoHead[g];
      if (t === h) return;
      tails.push(t);
      heads.push(h);
      geos.push(g);
    };
    for (let g = 0; g < p.geoTail.length; g++) if (p.geoTail[g] >= 0) add(p.geoTail[g], g);
    for (let i = 0; i < p.extraGeo.length; i++) add(p.extraTail[i], p.extraGeo[i]);
    this.out = csr(n, tails, heads, geos);
    this.inc = csr(n, heads, tails, geos);
    this.f = new Side(n);
    this.b = new Side(n);
  }

  /** Lightest path from any source to any target using no arc of the `exclude` classes, or null. */
  shortest(sources: readonly SearchEndpoint[], targets: readonly SearchEndpoint[], exclude: number): FilteredResult | null {
    const { f, b, p } = this;
    f.reset();
    b.reset();
    for (const s of sources) f.label(s.node, s.weight, 0, -1, -1, s.tag);
    for (const t of targets) b.label(t.node, t.weight, 0, -1, -1, t.tag);
    let best = Infinity;
    let meet = -1;
    for (const v of b.touched) {
      if (f.dist[v] + b.dist[v] < best) {
        best = f.dist[v] + b.dist[v];
        meet = v;
      }
    }
    while (f.heap.peekKey() + b.heap.peekKey() < best) {
      const forward = f.heap.peekKey() <= b.heap.peekKey();
      const s = forward ? f : b;
      const o = forward ? b : f;
      const adj = forward ? this.out : this.inc;
      const v = s.heap.pop();
      const dv = s.dist[v];
      for (let a = adj.first[v]; a < adj.first[v + 1]; a++) {
        const g = adj.geo[a];
        if (exclude && arcClasses(this.edgeClasses, g) & exclude) continue;
        const x = adj.node[a];
        const nd = dv + p.geoWeight[g];
        if (s.label(x, nd, 0, v, g, s.origin[v]) && nd + o.dist[x] < best) {
          best = nd + o.dist[x];
          meet = x;
        }
      }
    }
    if (meet < 0) return null;
    const arcs: number[] = [];
    for (let v = meet; f.parentGeo[v] >= 0; v = f.parent[v]) arcs.push(f.parentGeo[v]);
    arcs.reverse();
    for (let v = meet; b.parentGeo[v] >= 0; v = b.parent[v]) arcs.push(b.parentGeo[v]);
    return { weight: best, sourceTag: f.origin[meet], targetTag: b.origin[meet], geoArcs: arcs };
  }

  /**
   * Weights and metres from every source to every target avoiding the `exclude`
   * classes (Infinity when unreachable), row-major like ChTable.compute.
   */
  table(sources: TableEndpoint[][], targets: TableEndpoint[][], exclude: number): { weight: Float64Array; dist: Float64Array } {
    const S = sources.length;
    const T = targets.length;
    const weight = new Float64Array(S * T).fill(Infinity);
    const dist = new Float64Array(S * T).fill(Infinity);
    const at = new Map<number, number[]>();
    targets.forEach((ends, j) => {
      for (const e of ends) {
        let l = at.get(e.node);
        if (!l) at.set(e.node, (l = []));
        l.push(j, e.weight, e.dist);
      }
    });
    const { f, p, out } = this;
    for (let i = 0; i < S; i++) {
      f.reset();
      for (const s of sources[i]) f.label(s.node, s.weight, s.dist, -1, -1, 0);
      const row = i * T;
      let unsettled = T;
      let worst = Infinity;
      // Every target is final once the frontier is past its best value.
      while (f.heap.size > 0 && f.heap.peekKey() < worst) {
        const v = f.heap.pop();
        const dv = f.dist[v];
        const here = at.get(v);
        if (here) {
          for (let k = 0; k < here.length; k += 3) {
            const idx = row + here[k];
            const w = dv + here[k + 1];
            if (w < weight[idx]) {
              if (weight[idx] === Infinity) unsettled--;
              weight[idx] = w;
              dist[idx] = f.len[v] + here[k + 2];
            }
          }
          if (unsettled === 0) {
            worst = 0;
            for (let j = 0; j < T; j++) worst = Math.max(worst, weight[row + j]);
          }
        }
        for (let a = out.first[v]; a < out.first[v + 1]; a++) {
          const g = out.geo[a];
          if (exclude && arcClasses(this.edgeClasses, g) & exclude) continue;
          f.label(out.node[a], dv + p.geoWeight[g], f.len[v] + this.edgeLength[g >> 1], v, g, 0);
        }
      }
    }
    return { weight, dist };
  }
}

function csr(n: number, from: number[], to: number[], geo: number[]): Csr {
  const first = new Int32Array(n + 1);
  for (const t of from) first[t + 1]++;
  for (let i = 0; i < n; i++) first[i + 1] += first[i];
  const fill = first.slice(0, n);
  const node = new Int32Array(from.length);
  const g = new Int32Array(from.length);
  for (let i = 0; i < from.length; i++) {
    const k = fill[from[i]]++;
    node[k] = to[i];
    g[k] = geo[i];
  }
  return { first, node, geo: g };
}
