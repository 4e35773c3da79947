import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { tileKey } from '../../../../src/core/tile_math.js';
import { TileFeatureStore, type TileFeature } from '../../../../src/importer/tile_feature_store.js';
import { mergeTileRuns } from '../../../../src/importer/tile_feature_runs.js';
import { canonicalOrder, decodeTileBlob, encodeTileBlob, replaceSources } from '../../../../src/importer/update/tile_feature_blob.js';
import { osmKey, SEA_KEY } from '../../../../src/importer/update/source_key.js';
import type { TileGeometry } from '../../../../src/tiling/feature_tiler.js';
import { seededRandom as rng } from '../../../../src/core/seeded_random.js';

function randomFeature(r: () => number, seq: number): TileFeature {
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const type = int(1, 3) as 1 | 2 | 3;
  const parts: Int32Array[] = [];
  for (let p = int(1, 3); p > 0; p--) parts.push(Int32Array.from({ length: 2 * int(1, 40) }, () => int(-300, 4400)));
  const geometry: TileGeometry = type === 3 ? { type, geometry: parts, ringsPerPolygon: [parts.length] } : { type, geometry: parts };
  const kinds = ['node', 'way', 'relation'] as const;
  // names a scanner of the header's JSON text could trip over: quotes, braces, brackets, backslashes, the separator
  const tricky = ['a"}{],"g":[\\', '}', '{"a":[', 'ü\u2028😀', '\\"'][int(0, 4)];
  const attrs = [{ class: 'primary', name: `Straße ${int(0, 3)}` }, { building: true, render_height: int(3, 40) }, {}, { name: tricky, rank: int(-2, 2) / 4 }][int(0, 3)];
  return {
    layer: int(0, 12), sortKey: r() < 0.5 ? 0 : int(-5, 5) / 2, seq, geometry, attrs: { ...attrs },
    id: r() < 0.5 ? undefined : int(1, 2 ** 40),
    labelGrid: r() < 0.3 ? { sizePx: 64, limit: int(1, 4), ...(r() < 0.5 ? { rankAttr: 'rank', rankOffset: 1 } : {}) } : undefined,
    src: r() < 0.1 ? 0 : r() < 0.1 ? SEA_KEY : osmKey(kinds[int(0, 2)], int(-5, 2 ** 36)),
  };
}

const int01 = (r: () => number): number => Math.floor(r() * 6);

describe('update/tile_feature_blob', () => {
  it('round-trips every field of random tile features, in the order given (property)', () => {
    const r = rng(18);
    for (let t = 0; t < 200; t++) {
      const features = Array.from({ length: Math.floor(r() * 30) }, (_, i) => randomFeature(r, i));
      const back = decodeTileBlob(encodeTileBlob(features));
      assert.deepEqual(back, features.map((f, i) => ({ ...f, seq: i })));
      // some layers only: their rows, seq still the position among all, attribute sets read from the header in place
      const some = new Set([int01(r), int01(r) + 5]);
      assert.deepEqual(decodeTileBlob(encodeTileBlob(features), some), features.map((f, i) => ({ ...f, seq: i })).filter((f) => some.has(f.layer)));
    }
  });

  it('orders features as a single-threaded import emits them: Natural Earth, nodes, sea, ways, relations, by id, stable', () => {
    const g: TileGeometry = { type: 1, geometry: [new Int32Array([1, 1])] };
    const f = (src: number, seq: number): TileFeature => ({ layer: 0, sortKey: 0, seq, geometry: g, attrs: {}, src });
    const input = [f(osmKey('relation', 1), 0), f(osmKey('way', 7), 1), f(SEA_KEY, 2), f(osmKey('way', 7), 3), f(osmKey('node', 2 ** 40), 4),
      f(SEA_KEY, 5), f(0, 6), f(osmKey('node', -3), 7), f(0, 8), f(osmKey('way', 2), 9)];
    assert.deepEqual(canonicalOrder(input).map((x) => x.seq), [6, 8, 7, 4, 2, 5, 9, 1, 3, 0]);
  });

  it('replaces the features of some sources as decoding, filtering, merging and encoding again would (property)', () => {
    const r = rng(42);
    const strip = (fs: TileFeature[]): unknown[] => fs.map((f) => ({ ...f, seq: 0, attrs: JSON.stringify(f.attrs), labelGrid: JSON.stringify(f.labelGrid) }));
    let unchanged = 0, emptied = 0;
    for (let t = 0; t < 300; t++) {
      const old = canonicalOrder(Array.from({ length: Math.floor(r() * 25) }, (_, i) => randomFeature(r, i)));
      const blob = encodeTileBlob(old);
      const srcs = [...new Set(old.map((f) => f.src!))];
      // now and then every object of the tile, giving nothing: the tile is left empty
      const emptying = t % 30 === 0;
      const replaced = new Set(srcs.filter(() => emptying || r() < 0.4));
      if (r() < 0.3) replaced.add(osmKey('way', 2 ** 37 + t)); // an object new in this tile
      const mode = r();
      let fresh: TileFeature[];
      if (emptying) fresh = [];
      else if (mode < 0.25) {
        // the same features again, as new objects (equal content): nothing changes
        fresh = decodeTileBlob(blob).filter((f) => replaced.has(f.src!)).map((f) => ({ ...f, attrs: { ...f.attrs } }));
      } else {
        fresh = [];
        for (const src of replaced) for (let k = Math.floor(r() * 3); k > 0; k--) fresh.push({ ...randomFeature(r, fresh.length), src });
        fresh = canonicalOrder(fresh);
      }
      const expected = canonicalOrder([...old.filter((f) => !replaced.has(f.src!)), ...fresh.map((f, i) => ({ ...f, seq: 1000 + i }))]);
      const swapped = replaceSources(blob, replaced, fresh);
      const got = swapped === 'unchanged' ? swapped : swapped.blob;
      // a layer's features in order: what encoding a layer sees
      const inLayer = (fs: TileFeature[], l: number): unknown[] => strip(fs.filter((f) => f.layer === l));
      const differing = [...new Set([...expected, ...old].map((f) => f.layer))].filter((l) => !isDeepStrictEqual(inLayer(expected, l), inLayer(old, l))).sort((a, b) => a - b);
      assert.deepEqual(swapped === 'unchanged' ? [] : swapped.layers, differing, 'the layers said changed are those whose features differ');
      if (got === 'unchanged') {
        unchanged++;
      } else if (got === null) {
        emptied++;
        assert.equal(expected.length, 0);
      } else {
        assert.deepEqual(strip(decodeTileBlob(got)), strip(expected));
        if (mode < 0.25) assert.notDeepEqual(strip(expected), strip(old));
      }
    }
    assert.ok(unchanged > 20 && emptied > 0, `cases covered: ${unchanged} unchanged, ${emptied} emptied`);
  });

  it('keeps source keys through a store that records them, held or spilled to runs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blob-'));
    try {
      const r = rng(7);
      const store = new TileFeatureStore({ dir, prefix: 't', budgetBytes: 2000 }, true);
      const added: TileFeature[] = [];
      for (let i = 0; i < 200; i++) {
        const f = randomFeature(r, i);
        added.push(f);
        store.add(12, i % 3, 0, f);
      }
      assert.ok(store.runs.length > 1, 'the budget makes the store spill');
      store.finishRuns();
      const got = new Map<number, number[]>();
      for (const t of mergeTileRuns([store.runs], () => 0)) got.set(t.key, t.features.map((x) => x.src!));
      for (let x = 0; x < 3; x++) assert.deepEqual(got.get(tileKey(12, x, 0)), added.filter((_, i) => i % 3 === x).map((a) => a.src));
      const held = new TileFeatureStore(undefined, true);
      for (const a of added) held.add(3, 0, 0, a);
      assert.deepEqual(held.take(tileKey(3, 0, 0)).map((x) => x.src), added.map((a) => a.src));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
