import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { osmFile, tempDir } from '../../helpers/paths.js';
import { openOsmFile } from '../../../src/osm/open_osm_file.js';
import { buildRoutingFromSources, type RoutingBuildResult } from '../../../src/routing/build_routing_graph.js';
import { ChQuery } from '../../../src/routing/ch_query.js';
import { dijkstra } from '../../../src/routing/dijkstra.js';
import { MinHeap } from '../../../src/routing/min_heap.js';
import type { ProfileGraph } from '../../../src/routing/profile_graph.js';
import { readRoutingData, writeRoutingData } from '../../../src/routing/routing_data.js';
import { Router } from '../../../src/routing/router.js';
import type { ProfileName } from '../../../src/routing/routing_profiles.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Multi-source, multi-target plain Dijkstra: the reference for snapped points. */
function referenceWeight(g: ProfileGraph, sources: Array<{ node: number; weight: number }>, targets: Array<{ node: number; weight: number }>): number {
  const heap = new MinHeap(g.nodeCount);
  const dist = new Float64Array(g.nodeCount).fill(Infinity);
  for (const s of sources) if (s.weight < dist[s.node]) { dist[s.node] = s.weight; heap.push(s.node, s.weight); }
  const extra = new Map<number, number>();
  for (const t of targets) extra.set(t.node, Math.min(extra.get(t.node) ?? Infinity, t.weight));
  let best = Infinity;
  while (heap.size > 0 && heap.peekKey() < best) {
    const d = heap.peekKey();
    const v = heap.pop();
    const x = extra.get(v);
    if (x !== undefined) best = Math.min(best, d + x);
    for (let a = g.firstOut[v]; a < g.firstOut[v + 1]; a++) {
      const h = g.arcHead[a];
      const nd = d + g.arcWeight[a];
      if (nd < dist[h]) { dist[h] = nd; heap.push(h, nd); }
    }
  }
  return best;
}

describe('routing: Contraction Hierarchies on Heidelberg @slow', function () {
  this.timeout(300000);
  let built: RoutingBuildResult;
  before(async () => {
    const reader = await openOsmFile(osmFile('heidelberg-routing.osm.pbf'));
    built = await buildRoutingFromSources({ sources: [reader] });
  });

  it('has a road network of realistic size', () => {
    assert.ok(built.network.nodeCount > 10000, `nodes ${built.network.nodeCount}`);
    assert.ok(built.summary.stats.restrictions > 50, `restrictions ${built.summary.stats.restrictions}`);
  });

  for (const profile of ['car', 'bicycle', 'foot'] as ProfileName[]) {
    const pairs = profile === 'car' ? 1000 : 300;
    it(`${profile}: CH weight equals plain Dijkstra on ${pairs} random node pairs, and unpacked paths sum to it`, () => {
      const g = built.graphs.get(profile)!;
      const q = new ChQuery(built.data.profiles.get(profile)!.ch);
      const heap = new MinHeap(g.nodeCount);
      const rnd = rng(42);
      // Junctions of ways this profile cannot use are isolated in its graph: draw among the others.
      const indegree = new Int32Array(g.nodeCount);
      for (const h of g.arcHead) indegree[h]++;
      const active: number[] = [];
      for (let v = 0; v < g.nodeCount; v++) if (g.firstOut[v + 1] > g.firstOut[v] && indegree[v] > 0) active.push(v);
      let reachable = 0;
      for (let i = 0; i < pairs; i++) {
        const s = active[Math.floor(rnd() * active.length)];
        const t = active[Math.floor(rnd() * active.length)];
        const ref = dijkstra(g, s, t, heap);
        const r = q.shortest([{ node: s, weight: 0, tag: 0 }], [{ node: t, weight: 0, tag: 0 }]);
        if (!ref) {
          assert.equal(r, null, `pair ${s}→${t}: CH found a path Dijkstra did not`);
          continue;
        }
        reachable++;
        assert.ok(r, `pair ${s}→${t}: CH found no path, Dijkstra ${ref.weight}`);
        assert.equal(r.weight, ref.weight, `pair ${s}→${t}`);
        if (s !== t) {
          const arcs = q.unpackPath(r.meet);
          const sum = arcs.reduce((acc, geo) => acc + g.geoWeight[geo], 0);
          assert.equal(sum, r.weight, `pair ${s}→${t}: unpacked path weight`);
        }
      }
      assert.ok(reachable > pairs * 0.5, `only ${reachable} reachable pairs`);
    });
  }

  it('car: routes between 300 random snapped coordinates weigh what Dijkstra finds from the same snaps', () => {
    const router = new Router(built.data);
    const g = built.graphs.get('car')!;
    const p = built.data.profiles.get('car')!;
    const b = built.network;
    const rnd = rng(7);
    const pick = (): [number, number] => {
      const i = Math.floor(rnd() * b.coordLon.length);
      return [b.coordLon[i] + (rnd() - 0.5) * 0.002, b.coordLat[i] + (rnd() - 0.5) * 0.002];
    };
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const a = router.snap('car', ...pick())[0];
      const c = router.snap('car', ...pick())[0];
      if (!a || !c || a.edge === c.edge) continue;
      const legs = router.leg('car', a, c);
      const srcs = [];
      if (p.geoTail[2 * a.edge] >= 0) srcs.push({ node: p.geoHead[2 * a.edge], weight: (1 - a.fraction) * p.geoWeight[2 * a.edge] });
      if (p.geoTail[2 * a.edge + 1] >= 0) srcs.push({ node: p.geoHead[2 * a.edge + 1], weight: a.fraction * p.geoWeight[2 * a.edge + 1] });
      const tgts = router.targetsOf(p, c);
      const ref = referenceWeight(g, srcs, tgts);
      if (ref === Infinity) {
        assert.equal(legs.length, 0);
        continue;
      }
      compared++;
      assert.ok(Math.abs(legs[0].weight - ref) < 1e-6 * Math.max(1, ref), `route ${i}: ${legs[0].weight} vs ${ref}`);
    }
    assert.ok(compared > 150, `only ${compared} routes compared`);
  });

  it('the routing file reads back to the same arrays', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'heidelberg.routing');
      writeRoutingData(file, built.data);
      const back = readRoutingData(file);
      assert.deepEqual(back.network.strings, built.network.strings);
      assert.deepEqual(back.network.coordLon, built.network.coordLon);
      for (const [name, prof] of built.data.profiles) {
        const other = back.profiles.get(name)!;
        assert.deepEqual(other.geoHead, prof.geoHead);
        assert.deepEqual(other.ch.fwdMid, prof.ch.fwdMid);
        assert.deepEqual(other.ch.bwdDist, prof.ch.bwdDist);
      }
      assert.deepEqual(fs.readdirSync(dir), ['heidelberg.routing'], 'no temporary file left behind');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
