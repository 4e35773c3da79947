/**
 * Joins coastline ways end to start by node id into chains, as osmcoastline does:
 * a way continues the one whose last node is its first node (direction matters:
 * land is on the left). A chain whose last node is its first is a closed ring;
 * others are open. Ways whose nodes are missing from the input make their chain
 * broken (its geometry would skip them and cut across land).
 */
import type { DataErrors } from '../../core/data_errors.js';
import type { NodeStore } from '../../osm/node_store.js';
import type { CoastlineWays } from './coastline_ways.js';

export interface CoastChain {
  /** World coordinates, flat [x0, y0, …]; a closed ring repeats its first point last. */
  coords: Float64Array;
  closed: boolean;
  /** Known to be wrong (missing nodes, forks): it may not take part in deciding what is sea. */
  broken: boolean;
}

export function joinCoastlines(ways: CoastlineWays, nodes: NodeStore, errors: DataErrors): CoastChain[] {
  const n = ways.size;
  const first = new Float64Array(n), last = new Float64Array(n);
  const byFirst = new Map<number, number>();
  const lastIds = new Set<number>();
  const forked = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = ways.refsAt(i);
    first[i] = r[0];
    last[i] = r[r.length - 1];
    const other = byFirst.get(first[i]);
    if (other !== undefined) {
      // two ways leave the same node: one of them runs the wrong way
      errors.count('coastline_fork');
      forked[i] = 1;
      forked[other] = 1;
    } else {
      byFirst.set(first[i], i);
    }
    lastIds.add(last[i]);
  }
  const used = new Uint8Array(n);
  const chains: CoastChain[] = [];
  const follow = (start: number): void => {
    const parts: Float64Array[] = [];
    let broken = false;
    let closed = false;
    for (let cur = start; ;) {
      used[cur] = 1;
      if (forked[cur]) broken = true;
      const r = ways.refsAt(cur);
      parts.push(parts.length === 0 ? r : r.subarray(1));
      if (first[start] === last[cur]) { closed = true; break; }
      const next = byFirst.get(last[cur]);
      if (next === undefined || used[next]) break;
      cur = next;
    }
    let total = 0;
    for (const p of parts) total += p.length;
    const refs = new Float64Array(total);
    let o = 0;
    for (const p of parts) { refs.set(p, o); o += p.length; }
    const missing: number[] = [];
    const coords = nodes.wayCoords(refs, (_ref, k) => { missing.push(k); });
    if (missing.length === 0) {
      const c = withoutRepeats(coords);
      if (c.length >= 4) chains.push({ coords: c, closed: closed && c.length >= 8, broken });
      return;
    }
    errors.count('coastline_missing_node', missing.length);
    // the runs of nodes that are there, each an open chain: an extract cut by osmium's `simple` strategy keeps whole
    // ways without the nodes outside its polygon, so these ends are the cut (or, inside the extent, open errors)
    for (const run of presentRuns(refs.length, missing, closed)) {
      const c = withoutRepeats(nodes.wayCoords(Float64Array.from(run, (k) => refs[k])));
      if (c.length >= 4) chains.push({ coords: c, closed: false, broken });
    }
  };
  // open chains start at a way that no other way leads into
  for (let i = 0; i < n; i++) if (!used[i] && !(lastIds.has(first[i]) && first[i] !== last[i])) follow(i);
  // what is left forms cycles
  for (let i = 0; i < n; i++) if (!used[i]) follow(i);
  return chains;
}

/** Index runs of present refs between missing ones; a closed chain's run through its closing node is one run. */
function presentRuns(n: number, missing: number[], closed: boolean): number[][] {
  const gone = new Set(missing);
  const runs: number[][] = [];
  let cur: number[] = [];
  for (let k = 0; k < n; k++) {
    if (gone.has(k)) {
      if (cur.length > 0) runs.push(cur);
      cur = [];
    } else {
      cur.push(k);
    }
  }
  if (cur.length > 0) runs.push(cur);
  if (closed && runs.length > 1 && !gone.has(0) && !gone.has(n - 1)) {
    // the last run ends at the closing node (the first node again): it continues into the first run
    const last = runs.pop()!;
    runs[0] = [...last, ...runs[0].slice(1)];
  }
  return runs;
}

/** Drops consecutive repeats of a point (distinct nodes at one place): they are no segment, and would look like a self-touch. */
function withoutRepeats(c: Float64Array): Float64Array {
  let o = 2;
  for (let i = 2; i < c.length; i += 2) {
    if (c[i] === c[o - 2] && c[i + 1] === c[o - 1]) continue;
    c[o] = c[i];
    c[o + 1] = c[i + 1];
    o += 2;
  }
  return o === c.length ? c : c.slice(0, o);
}
