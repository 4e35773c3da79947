/**
 * Plain Dijkstra on a ProfileGraph: the reference the CH is checked against, and
 * the fallback for one-off queries on graphs without a hierarchy.
 */
import type { ProfileGraph } from './profile_graph.js';
import { MinHeap } from './min_heap.js';

export interface DijkstraResult {
  weight: number;
  /** Geo arcs in travel order. */
  geoArcs: number[];
}

export function dijkstra(g: ProfileGraph, source: number, target: number, heap = new MinHeap(g.nodeCount)): DijkstraResult | null {
  heap.clear();
  const dist = new Map<number, number>();
  const parentArc = new Map<number, number>();
  dist.set(source, 0);
  heap.push(source, 0);
  while (heap.size > 0) {
    const d = heap.peekKey();
    const v = heap.pop();
    if (v === target) {
      const arcs: number[] = [];
      for (let x = v; x !== source; ) {
        const a = parentArc.get(x)!;
        arcs.push(g.arcGeo[a]);
        x = tailOfArc(g, a);
      }
      return { weight: d, geoArcs: arcs.reverse() };
    }
    for (let a = g.firstOut[v]; a < g.firstOut[v + 1]; a++) {
      const x = g.arcHead[a];
      const nd = d + g.arcWeight[a];
      if (nd < (dist.get(x) ?? Infinity)) {
        dist.set(x, nd);
        parentArc.set(x, a);
        heap.push(x, nd);
      }
    }
  }
  return null;
}

function tailOfArc(g: ProfileGraph, a: number): number {
  // CSR: the tail is the node whose range holds a.
  let lo = 0;
  let hi = g.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (g.firstOut[mid] <= a) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
