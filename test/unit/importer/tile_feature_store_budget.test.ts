import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TileFeatureStore, type TileFeature } from '../../../src/importer/tile_feature_store.js';
import { mergeTileRuns } from '../../../src/importer/tile_feature_runs.js';
import { seededRandom as rng } from '../../../src/core/seeded_random.js';

const MiB = 2 ** 20;

/** Adds `n` features to a store: points, and a share `lines` of long lines. */
function fill(store: TileFeatureStore, r: () => number, n: number, o: { lines: number; onAdd?: () => void }): void {
  for (let i = 0; i < n; i++) {
    const line = r() < o.lines;
    const g = line
      ? { type: 2 as const, geometry: [Int32Array.from({ length: 2 * (2 + Math.floor(r() * 400)) }, () => Math.floor(r() * 4096))] }
      : { type: 1 as const, geometry: [Int32Array.of(Math.floor(r() * 4096), Math.floor(r() * 4096))] };
    store.add(14, Math.floor(r() * 64), Math.floor(r() * 64), { layer: Math.floor(r() * 5), sortKey: Math.floor(r() * 3), geometry: g, attrs: { class: `c${Math.floor(r() * 20)}` } });
    o.onAdd?.();
  }
}

describe('importer/TileFeatureStore under a spill budget', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-budget-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('never allocates more than its budget and one geometry chunk, however many runs it writes', function () {
    this.timeout(120_000);
    // points take 50 bytes a row: the budget is passed a little after 2^19 rows
    const budgetBytes = 28 * MiB;
    const store = new TileFeatureStore({ dir, prefix: 't', budgetBytes });
    let max = 0;
    // with doubling, the row arrays alone would reach 2^20 rows × 42 bytes = 42 MiB
    fill(store, rng(7), 1_200_000, { lines: 0, onAdd: () => { if (store.bytesUsed > max) max = store.bytesUsed; } });
    assert.ok(store.runs.length >= 2, `${store.runs.length} runs`);
    assert.ok(max <= budgetBytes + 8 * MiB, `allocated ${(max / MiB).toFixed(1)} MiB against a budget of ${budgetBytes / MiB} MiB`);
  });

  it('writes the same features by tile, in the same order, as a store without a budget, across runs written into reused arrays', () => {
    const free = new TileFeatureStore();
    fill(free, rng(11), 60_000, { lines: 0.01 });
    const bounded = new TileFeatureStore({ dir, prefix: 'b', budgetBytes: 256 * 1024 });
    fill(bounded, rng(11), 60_000, { lines: 0.01 });
    bounded.finishRuns();
    assert.ok(bounded.runs.length > 5, `${bounded.runs.length} runs`);
    const got: { key: number; features: TileFeature[] }[] = [...mergeTileRuns([bounded.runs], () => 0)];
    const want = free.keys().map((key) => ({ key, features: free.take(key) }));
    assert.deepEqual(got.map((t) => t.key), want.map((t) => t.key));
    for (let i = 0; i < want.length; i++) {
      // runs carry no label grid / id when unset: compare what both carry
      const strip = (f: TileFeature) => ({ layer: f.layer, sortKey: f.sortKey, seq: f.seq, geometry: f.geometry, attrs: f.attrs });
      assert.deepEqual(got[i].features.map(strip), want[i].features.map(strip), `tile ${want[i].key}`);
    }
  });

  it('lets its arrays go once every feature is in runs (the tiles stage reads only the runs)', () => {
    const store = new TileFeatureStore({ dir, prefix: 'f', budgetBytes: 1 * MiB });
    fill(store, rng(3), 50_000, { lines: 0 });
    assert.ok(store.bytesUsed > 0);
    store.finishRuns();
    assert.equal(store.bytesUsed, 0);
    assert.equal(store.featureCount, 50_000);
  });
});
