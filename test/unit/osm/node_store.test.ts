import assert from 'node:assert/strict';
import { NodeStore } from '../../../src/osm/node_store.js';
import { PbfReader } from '../../../src/osm/pbf_reader.js';
import { XmlReader } from '../../../src/osm/xml_reader.js';
import { latToY, lonToX } from '../../../src/core/tile_math.js';
import type { OsmFileReader, OsmWay } from '../../../src/osm/types.js';
import { osmFile } from '../../helpers/paths.js';

function f64(a: number[]): Float64Array {
  return Float64Array.from(a);
}

/** A deterministic shuffle (no Math.random: failures must reproduce). */
function shuffled(n: number, seed: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

async function loadAll(reader: OsmFileReader): Promise<{ store: NodeStore; ways: OsmWay[]; ids: Set<number> }> {
  const store = new NodeStore();
  const ways: OsmWay[] = [];
  const ids = new Set<number>();
  for await (const b of reader.blocks({ threads: 2 })) {
    store.addBlock(b.nodeIds, b.nodeLons, b.nodeLats);
    for (const id of b.nodeIds) ids.add(id);
    ways.push(...b.ways);
  }
  store.seal();
  return { store, ways, ids };
}

describe('NodeStore', () => {
  it('finds nodes added in order, at 1e-7 degree precision', () => {
    const s = new NodeStore();
    s.addBlock(f64([10, 20, 30]), f64([7.1234567, -0.5, 179.9999999]), f64([47.7654321, 0.25, -85]));
    assert.equal(s.seal(), 0);
    const i = s.get(10);
    assert.equal(i, 0);
    assert.equal(s.lon(i), 7.1234567);
    assert.equal(s.lat(i), 47.7654321);
    assert.equal(s.lon(s.get(30)), 179.9999999);
    assert.equal(s.lat(s.get(20)), 0.25);
  });

  it('returns -1 for ids below, between and above those stored', () => {
    const s = new NodeStore();
    s.addBlock(f64([10, 20, 30]), f64([1, 2, 3]), f64([1, 2, 3]));
    s.seal();
    assert.deepEqual([5, 15, 25, 35].map((id) => s.get(id)), [-1, -1, -1, -1]);
  });

  it('sorts unsorted input at seal', () => {
    const n = 200_000;
    const order = shuffled(n, 42);
    const s = new NodeStore();
    for (let k = 0; k < n; k += 10_000) {
      const ids = order.slice(k, k + 10_000).map((i) => i * 3 + 1);
      s.addBlock(f64(ids), f64(ids.map((id) => (id % 3600) / 10 - 180)), f64(ids.map((id) => -(id % 800) / 10)));
    }
    s.seal();
    assert.equal(s.size, n);
    for (let i = 1; i < n; i++) assert.ok(s.idAt(i) > s.idAt(i - 1), `ids not increasing at ${i}`);
    for (const id of [1, 4, 3 * 99_999 + 1, 3 * (n - 1) + 1]) {
      const i = s.get(id);
      assert.equal(s.idAt(i), id);
      assert.ok(Math.abs(s.lon(i) - ((id % 3600) / 10 - 180)) < 1e-9);
      assert.equal(s.lat(i), -(id % 800) / 10);
    }
    assert.equal(s.get(2), -1);
  });

  it('removes duplicate ids from overlapping extracts, keeping the first read', () => {
    const s = new NodeStore();
    // Two sorted extracts sharing nodes 3 and 4 (the second with a different location, to see which wins).
    s.addBlock(f64([1, 2, 3, 4]), f64([1, 2, 3, 4]), f64([0, 0, 0, 0]));
    s.addBlock(f64([3, 4, 5, 6]), f64([30, 40, 5, 6]), f64([0, 0, 0, 0]));
    assert.equal(s.seal(), 2);
    assert.equal(s.size, 6);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((id) => s.lon(s.get(id))), [1, 2, 3, 4, 5, 6]);
  });

  it('removes an id repeated inside an otherwise sorted block', () => {
    const s = new NodeStore();
    s.addBlock(f64([1, 2, 2, 3]), f64([1, 2, 9, 3]), f64([0, 0, 0, 0]));
    assert.equal(s.seal(), 1);
    assert.deepEqual([1, 2, 3].map((id) => s.lon(s.get(id))), [1, 2, 3]);
  });

  it('handles negative ids (unsaved JOSM nodes)', () => {
    const s = new NodeStore();
    s.addBlock(f64([-5, -1, 7]), f64([1, 2, 3]), f64([4, 5, 6]));
    s.seal();
    assert.equal(s.lon(s.get(-5)), 1);
    assert.equal(s.lat(s.get(-1)), 5);
  });

  it('finds every id in dense runs and none in the gaps between them', () => {
    const s = new NodeStore();
    // Consecutive ids (the dense fast path) in runs of 1000 separated by gaps of 500.
    const ids: number[] = [];
    for (let r = 0; r < 300; r++) for (let k = 0; k < 1000; k++) ids.push(r * 1500 + k);
    s.addBlock(f64(ids), f64(ids.map((id) => (id % 360) - 180)), f64(ids.map(() => 0)));
    s.seal();
    for (let id = 0; id < 300 * 1500; id++) {
      const i = s.get(id);
      if (id % 1500 < 1000) assert.equal(s.idAt(i), id, `id ${id}`);
      else assert.equal(i, -1, `gap id ${id}`);
    }
  });

  it('gives way coordinates in world units and reports missing refs', () => {
    const s = new NodeStore();
    s.addBlock(f64([1, 2, 3]), f64([7.5, 7.6, 7.7]), f64([47.5, 47.6, 47.7]));
    s.seal();
    const missing: [number, number][] = [];
    const coords = s.wayCoords(f64([1, 99, 3]), (ref, index) => missing.push([ref, index]));
    assert.deepEqual(missing, [[99, 1]]);
    assert.deepEqual([...coords], [lonToX(7.5), latToY(47.5), lonToX(7.7), latToY(47.7)]);
  });

  it('refuses nodes after seal', () => {
    const s = new NodeStore();
    s.seal();
    assert.throws(() => s.addBlock(f64([1]), f64([0]), f64([0])), /after seal/);
  });

  it('uses about 16 bytes per node', () => {
    const s = new NodeStore();
    const n = 1_000_000;
    const ids = new Float64Array(n).map((_, i) => i * 2);
    s.addBlock(ids, new Float64Array(n), new Float64Array(n));
    s.seal();
    const perNode = s.bytes() / s.size;
    assert.ok(perNode >= 16 && perNode < 17.5, `${perNode} bytes per node`);
  });

  it('finds exactly the 133 way refs to nodes absent from freiburg-roads.osm.bz2', async () => {
    const { store, ways } = await loadAll(new XmlReader(osmFile('freiburg-roads.osm.bz2')));
    let missing = 0;
    for (const w of ways) store.wayCoords(w.refs, () => missing++);
    assert.equal(store.size, 23255);
    assert.equal(missing, 133);
  });

  it('agrees with a plain Set on every way ref of heidelberg-routing.osm.pbf @slow', async () => {
    const { store, ways, ids } = await loadAll(new PbfReader(osmFile('heidelberg-routing.osm.pbf')));
    let expected = 0, got = 0, refs = 0;
    for (const w of ways) {
      for (const r of w.refs) if (!ids.has(r)) expected++;
      const c = store.wayCoords(w.refs, () => got++);
      refs += w.refs.length;
      assert.equal(c.length, 2 * w.refs.length - 2 * [...w.refs].filter((r) => !ids.has(r)).length);
    }
    assert.ok(refs > 200_000);
    assert.equal(got, expected);
  });
});
