/**
 * The directed graph one profile routes on, derived from the RoadNetwork.
 *
 * Every edge direction open to the profile is a "geo arc" (`edge * 2 + dir`, dir 0 =
 * along the way's drawing order). Two local node splits keep restrictions exact
 * in a plain node-based graph, so CH and Dijkstra see the same problem:
 * - a barrier node that stops the profile gets one copy per incident edge: one
 *   can drive up to a bollard and turn back, never through;
 * - at the via node of turn restrictions, each restricted incoming arc ends at its
 *   own copy of the node, whose outgoing arcs are only the permitted turns.
 * Parallel arcs keep the lightest; loops are dropped.
 */
import type { RoadNetwork } from './road_network.js';
import type { ProfileName } from './routing_profiles.js';

export interface ProfileGraph {
  profile: ProfileName;
  nodeCount: number;
  /** Arcs by tail (CSR). */
  firstOut: Int32Array;
  arcHead: Int32Array;
  arcWeight: Int32Array;
  arcGeo: Int32Array;
  /** Per geo arc: the node it leaves from and the node it reaches; -1 when closed to the profile. */
  geoTail: Int32Array;
  geoHead: Int32Array;
  geoWeight: Int32Array;
  /** Restriction copies that may also take a geo arc, sorted by geo arc: (extraGeo[i], extraTail[i]). */
  extraGeo: Int32Array;
  extraTail: Int32Array;
}

/**
 * At least the nodes and arcs buildProfileGraph(net, profile) makes, without building it (to size the
 * contraction lanes before any graph exists): one arc per open edge direction, plus, per turn restriction, a copy
 * of its via node with an arc per direction leaving it; a node copy per end of an edge at a barrier of the profile.
 */
export function profileGraphBound(net: RoadNetwork, profile: ProfileName): { nodeCount: number; arcs: number } {
  const w = net.weights[profile];
  if (!w) throw new Error(`no weights for profile ${profile}`);
  // as buildProfileGraph counts them: a barrier listed twice, or a loop at a barrier (twice in its incident edges), copies twice
  const blocked = new Uint8Array(net.nodeCount);
  for (const b of net.barriers[profile] ?? []) blocked[b] = Math.min(255, blocked[b] + 1);
  const restrictions = net.restrictions[profile] ?? [];
  // open arcs leaving each node, only needed at via nodes: none allocated for a profile without restrictions
  const leaving = restrictions.length > 0 ? new Int32Array(net.nodeCount) : undefined;
  let nodeCount = net.nodeCount, arcs = 0;
  for (let e = 0; e < net.edgeCount; e++) {
    const from = net.edgeFrom[e], to = net.edgeTo[e];
    if (w.forward[e] > 0) { arcs++; if (leaving) leaving[from]++; }
    if (w.backward[e] > 0) { arcs++; if (leaving) leaving[to]++; }
    const ends = blocked[from] + blocked[to];
    nodeCount += from === to ? 2 * ends : ends;
  }
  for (const r of restrictions) {
    nodeCount++;
    arcs += leaving![r.via];
  }
  return { nodeCount, arcs };
}

export function buildProfileGraph(net: RoadNetwork, profile: ProfileName): ProfileGraph {
  const w = net.weights[profile];
  if (!w) throw new Error(`no weights for profile ${profile}`);
  const E = net.edgeCount;
  let nodeCount = net.nodeCount;

  // Incident edges per node (CSR), needed by both splits.
  const incStart = new Int32Array(net.nodeCount + 1);
  for (let e = 0; e < E; e++) {
    incStart[net.edgeFrom[e] + 1]++;
    incStart[net.edgeTo[e] + 1]++;
  }
  for (let i = 0; i < net.nodeCount; i++) incStart[i + 1] += incStart[i];
  const incEdge = new Int32Array(incStart[net.nodeCount]);
  const fill = incStart.slice(0, net.nodeCount);
  for (let e = 0; e < E; e++) {
    incEdge[fill[net.edgeFrom[e]]++] = e;
    incEdge[fill[net.edgeTo[e]]++] = e;
  }

  const blocked = new Uint8Array(net.nodeCount);
  const endCopy = new Int32Array(2 * E).fill(-1);
  for (const b of net.barriers[profile] ?? []) {
    blocked[b] = 1;
    for (let i = incStart[b]; i < incStart[b + 1]; i++) {
      const e = incEdge[i];
      if (net.edgeFrom[e] === b) endCopy[2 * e] = nodeCount++;
      if (net.edgeTo[e] === b) endCopy[2 * e + 1] = nodeCount++;
    }
  }
  const endNode = (e: number, end: number): number => {
    const c = endCopy[2 * e + end];
    return c >= 0 ? c : end === 0 ? net.edgeFrom[e] : net.edgeTo[e];
  };
  const weightOf = (g: number): number => ((g & 1) === 0 ? w.forward[g >> 1] : w.backward[g >> 1]);
  const geoTail = new Int32Array(2 * E);
  const geoHead = new Int32Array(2 * E);
  const geoWeight = new Int32Array(2 * E);
  for (let e = 0; e < E; e++) {
    for (let d = 0; d < 2; d++) {
      const g = 2 * e + d;
      const open = weightOf(g) > 0;
      geoWeight[g] = weightOf(g);
      geoTail[g] = open ? endNode(e, d) : -1;
      geoHead[g] = open ? endNode(e, 1 - d) : -1;
    }
  }

  // Restrictions grouped by the arc arriving at the via node.
  const groups = new Map<number, { via: number; no: Set<number>; only: Set<number> }>();
  for (const r of net.restrictions[profile] ?? []) {
    if (blocked[r.via]) continue;
    const fe = r.fromEdge;
    const te = r.toEdge;
    if (net.edgeFrom[fe] === net.edgeTo[fe] || net.edgeFrom[te] === net.edgeTo[te]) continue;
    const fromArc = net.edgeTo[fe] === r.via ? 2 * fe : 2 * fe + 1;
    const toArc = net.edgeFrom[te] === r.via ? 2 * te : 2 * te + 1;
    if (geoHead[fromArc] < 0) continue;
    let g = groups.get(fromArc);
    if (!g) groups.set(fromArc, (g = { via: r.via, no: new Set(), only: new Set() }));
    (r.only ? g.only : g.no).add(toArc);
  }
  const extra: Array<[number, number]> = [];
  const copyArcs: Array<[number, number]> = [];
  for (const [fromArc, g] of groups) {
    const copy = nodeCount++;
    geoHead[fromArc] = copy;
    for (let i = incStart[g.via]; i < incStart[g.via + 1]; i++) {
      const e = incEdge[i];
      for (let d = 0; d < 2; d++) {
        const arc = 2 * e + d;
        const leavesVia = d === 0 ? net.edgeFrom[e] === g.via : net.edgeTo[e] === g.via;
        if (!leavesVia || geoTail[arc] < 0) continue;
        const allowed = g.only.size > 0 ? g.only.has(arc) : !g.no.has(arc);
        if (!allowed) continue;
        copyArcs.push([copy, arc]);
        extra.push([arc, copy]);
      }
    }
  }
  extra.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  // Arcs (tail, head, weight, geo) in typed arrays, bucketed by tail (stable, so
  // geo order then copy order), each bucket ordered by head then weight; the first
  // of parallels is the lightest. No JS array entry per arc: a region has tens of millions.
  let arcCount = 0;
  const tailOf = (i: number): number => (i < 2 * E ? geoTail[i] : copyArcs[i - 2 * E][0]);
  const geoOf = (i: number): number => (i < 2 * E ? i : copyArcs[i - 2 * E][1]);
  const total = 2 * E + copyArcs.length;
  const kept = (i: number): boolean => tailOf(i) >= 0 && tailOf(i) !== geoHead[geoOf(i)];
  const bucket = new Int32Array(nodeCount + 1);
  for (let i = 0; i < total; i++) if (kept(i)) { bucket[tailOf(i) + 1]++; arcCount++; }
  for (let v = 0; v < nodeCount; v++) bucket[v + 1] += bucket[v];
  const sortedGeo = new Int32Array(arcCount);
  const at = bucket.slice(0, nodeCount);
  for (let i = 0; i < total; i++) if (kept(i)) sortedGeo[at[tailOf(i)]++] = geoOf(i);
  const firstOut = new Int32Array(nodeCount + 1);
  const arcHead = new Int32Array(arcCount);
  const arcWeight = new Int32Array(arcCount);
  const arcGeo = new Int32Array(arcCount);
  let m = 0;
  for (let v = 0; v < nodeCount; v++) {
    const s = bucket[v];
    const e = bucket[v + 1];
    // insertion sort by (head, weight), stable: buckets hold a node's few arcs
    for (let i = s + 1; i < e; i++) {
      const g = sortedGeo[i];
      const h = geoHead[g];
      const wg = geoWeight[g];
      let j = i - 1;
      while (j >= s && (geoHead[sortedGeo[j]] > h || (geoHead[sortedGeo[j]] === h && geoWeight[sortedGeo[j]] > wg))) {
        sortedGeo[j + 1] = sortedGeo[j];
        j--;
      }
      sortedGeo[j + 1] = g;
    }
    let lastH = -1;
    for (let i = s; i < e; i++) {
      const g = sortedGeo[i];
      if (geoHead[g] === lastH) continue;
      lastH = geoHead[g];
      arcHead[m] = lastH;
      arcWeight[m] = geoWeight[g];
      arcGeo[m] = g;
      m++;
    }
    firstOut[v + 1] = m;
  }
  return {
    profile,
    nodeCount,
    firstOut,
    arcHead: arcHead.slice(0, m),
    arcWeight: arcWeight.slice(0, m),
    arcGeo: arcGeo.slice(0, m),
    geoTail,
    geoHead,
    geoWeight,
    extraGeo: Int32Array.from(extra.map((x) => x[0])),
    extraTail: Int32Array.from(extra.map((x) => x[1])),
  };
}
