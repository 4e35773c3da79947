/**
 * Strongly connected components of a ProfileGraph (iterative Tarjan), to tell the
 * main road network from islands (a car park behind a private road, a footway
 * inside a courtyard). Snapping prefers the main network, as OSRM does, so that a
 * click near an island does not end in "NoRoute".
 */
import { GrowableInt32 } from '../core/growable_arrays.js';
import type { ProfileGraph } from './profile_graph.js';

export interface Components {
  /** Component id of each node. */
  component: Int32Array;
  /** Size of each component, by id. */
  size: Int32Array;
}

export function strongComponents(g: ProfileGraph): Components {
  const n = g.nodeCount;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let sp = 0;
  const callNode = new Int32Array(n);
  const callArc = new Int32Array(n);
  let counter = 0;
  // one entry per component, and a graph can have millions of them (every dead-end oneway)
  const sizes = new GrowableInt32();
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    let depth = 0;
    callNode[0] = root;
    callArc[0] = g.firstOut[root];
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth];
      const a = callArc[depth];
      if (a < g.firstOut[v + 1]) {
        callArc[depth] = a + 1;
        const w = g.arcHead[a];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          depth++;
          callNode[depth] = w;
          callArc[depth] = g.firstOut[w];
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      if (low[v] === index[v]) {
        const id = sizes.length;
        let size = 0;
        let x: number;
        do {
          x = stack[--sp];
          onStack[x] = 0;
          component[x] = id;
          size++;
        } while (x !== v);
        sizes.push(size);
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
  return { component, size: sizes.toArray() };
}

/**
 * Per edge of the network: 1 when some open direction of it joins two nodes of a
 * big component (at least `threshold` nodes, or the largest one when all are smaller).
 */
export function mainNetworkEdges(g: ProfileGraph, edgeCount: number, threshold = 1000): Uint8Array {
  const { component, size } = strongComponents(g);
  let largest = 0;
  for (const s of size) if (s > largest) largest = s;
  const big = Math.min(threshold, largest);
  const out = new Uint8Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    for (let d = 0; d < 2; d++) {
      const t = g.geoTail[2 * e + d];
      const h = g.geoHead[2 * e + d];
      if (t >= 0 && size[component[t]] >= big && size[component[h]] >= big) out[e] = 1;
    }
  }
  return out;
}
