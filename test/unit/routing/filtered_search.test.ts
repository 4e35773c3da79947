import assert from 'node:assert/strict';
import { osmFile } from '../../helpers/paths.js';
import { openOsmFile } from '../../../src/osm/open_osm_file.js';
import { buildRoutingFromSources, type RoutingBuildResult } from '../../../src/routing/build_routing_graph.js';
import { ChQuery } from '../../../src/routing/ch_query.js';
import { dijkstra } from '../../../src/routing/dijkstra.js';
import { FilteredSearch } from '../../../src/routing/filtered_search.js';
import { MinHeap } from '../../../src/routing/min_heap.js';
import type { ProfileGraph } from '../../../src/routing/profile_graph.js';
import { CLASS_BITS, arcClasses } from '../../../src/routing/road_classes.js';

/** The profile graph without the arcs of the `exclude` classes: the reference's input. */
function withoutClasses(g: ProfileGraph, edgeClasses: Uint8Array, exclude: number): ProfileGraph {
  const firstOut = new Int32Array(g.nodeCount + 1);
  const head: number[] = [];
  const weight: number[] = [];
  const geo: number[] = [];
  for (let v = 0; v < g.nodeCount; v++) {
    for (let a = g.firstOut[v]; a < g.firstOut[v + 1]; a++) {
      if (arcClasses(edgeClasses, g.arcGeo[a]) & exclude) continue;
      head.push(g.arcHead[a]);
      weight.push(g.arcWeight[a]);
      geo.push(g.arcGeo[a]);
    }
    firstOut[v + 1] = head.length;
  }
  return { ...g, firstOut, arcHead: Int32Array.from(head), arcWeight: Int32Array.from(weight), arcGeo: Int32Array.from(geo) };
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 22695477) + 1) >>> 0;
    return s / 4294967296;
  };
}

describe('routing: class-filtered search on Heidelberg @slow', function () {
  this.timeout(300000);
  let built: RoutingBuildResult;
  let search: FilteredSearch;
  let active: number[];
  before(async () => {
    built = await buildRoutingFromSources({ sources: [await openOsmFile(osmFile('heidelberg-routing.osm.pbf'))], profiles: ['car'] });
    search = new FilteredSearch(built.data.profiles.get('car')!, built.network.edgeClasses, built.network.edgeLength);
    const g = built.graphs.get('car')!;
    active = [];
    for (let v = 0; v < g.nodeCount; v++) if (g.firstOut[v + 1] > g.firstOut[v]) active.push(v);
  });

  it('the extract has motorways (A 5, A 656) to exclude', () => {
    let motorway = 0;
    for (let e = 0; e < built.network.edgeCount; e++) if (built.network.edgeClasses[e] & CLASS_BITS.motorway) motorway += built.network.edgeLength[e];
    assert.ok(motorway > 20000, `${motorway} m of motorway`);
  });

  it('excluding nothing, it finds the contraction hierarchy’s weight on 300 random pairs', () => {
    const q = new ChQuery(built.data.profiles.get('car')!.ch);
    const rnd = rng(7);
    for (let i = 0; i < 300; i++) {
      const s = active[Math.floor(rnd() * active.length)];
      const t = active[Math.floor(rnd() * active.length)];
      const ch = q.shortest([{ node: s, weight: 0, tag: 0 }], [{ node: t, weight: 0, tag: 0 }]);
      const f = search.shortest([{ node: s, weight: 0, tag: 0 }], [{ node: t, weight: 0, tag: 0 }], 0);
      assert.equal(f?.weight ?? null, ch?.weight ?? null, `pair ${s}→${t}`);
    }
  });

  it('excluding motorways, it matches plain Dijkstra without them on 1000 random pairs, on paths free of them', () => {
    const g = built.graphs.get('car')!;
    const classes = built.network.edgeClasses;
    const ref = withoutClasses(g, classes, CLASS_BITS.motorway);
    const p = built.data.profiles.get('car')!;
    const heap = new MinHeap(g.nodeCount);
    const rnd = rng(11);
    let differs = 0;
    const q = new ChQuery(p.ch);
    for (let i = 0; i < 1000; i++) {
      const s = active[Math.floor(rnd() * active.length)];
      const t = active[Math.floor(rnd() * active.length)];
      const want = dijkstra(ref, s, t, heap);
      const got = search.shortest([{ node: s, weight: 0, tag: 0 }], [{ node: t, weight: 0, tag: 0 }], CLASS_BITS.motorway);
      if (!want) {
        assert.equal(got, null, `pair ${s}→${t}`);
        continue;
      }
      assert.ok(got, `pair ${s}→${t}: no path found`);
      assert.equal(got.weight, want.weight, `pair ${s}→${t}`);
      let sum = 0;
      let at = s;
      for (const a of got.geoArcs) {
        assert.equal(arcClasses(classes, a) & CLASS_BITS.motorway, 0);
        assert.ok(p.geoTail[a] === at || p.extraTail.some((x, k) => x === at && p.extraGeo[k] === a), `arc ${a} does not leave ${at}`);
        sum += p.geoWeight[a];
        at = p.geoHead[a];
      }
      assert.equal(at, t);
      assert.equal(sum, got.weight);
      const free = q.shortest([{ node: s, weight: 0, tag: 0 }], [{ node: t, weight: 0, tag: 0 }]);
      if (free && free.weight < got.weight) differs++;
    }
    // The check is only meaningful if motorways matter for some pairs.
    assert.ok(differs >= 5, `only ${differs} pairs were faster on motorways`);
  });

  it('its table agrees with its one-to-one search', () => {
    const rnd = rng(3);
    const pick = (): number => active[Math.floor(rnd() * active.length)];
    const sources = Array.from({ length: 6 }, pick);
    const targets = Array.from({ length: 7 }, pick);
    const res = search.table(sources.map((node) => [{ node, weight: 0, dist: 0 }]), targets.map((node) => [{ node, weight: 0, dist: 0 }]), CLASS_BITS.motorway);
    sources.forEach((s, i) => targets.forEach((t, j) => {
      const one = search.shortest([{ node: s, weight: 0, tag: 0 }], [{ node: t, weight: 0, tag: 0 }], CLASS_BITS.motorway);
      assert.equal(res.weight[i * targets.length + j], one ? one.weight : Infinity);
      if (one) {
        const len = one.geoArcs.reduce((a, g) => a + built.network.edgeLength[g >> 1], 0);
        assert.ok(Math.abs(res.dist[i * targets.length + j] - len) < 1e-6 * Math.max(1, len) + 1, `${res.dist[i * targets.length + j]} vs ${len}`);
      }
    }));
  });
});
