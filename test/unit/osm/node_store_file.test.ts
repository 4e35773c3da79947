import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { NodeStore, type NodeSpillOptions } from '../../../src/osm/node_store.js';
import { NodeFiles } from '../../../src/osm/node_location_file.js';
import type { ProgressFactory } from '../../../src/core/progress.js';
import { PbfReader } from '../../../src/osm/pbf_reader.js';
import { osmFile } from '../../helpers/paths.js';
import { openFdCount } from '../../helpers/open_fds.js';
import { recordedProgress } from '../../helpers/recorded_progress.js';

interface Blocks { ids: Float64Array; lons: Float64Array; lats: Float64Array }

/** Blocks of nodes as inputs give them: ascending runs (files, or blocks out of order), some ids repeated in later runs. */
function randomBlocks(r: () => number, o: { runs: number; perRun: number; dense: boolean }): Blocks[] {
  const out: Blocks[] = [];
  for (let run = 0; run < o.runs; run++) {
    const ids: number[] = [];
    let id = o.dense ? 1 + Math.floor(r() * o.perRun * 2) : Math.floor(r() * 2 ** 34);
    for (let k = 0; k < o.perRun; k++) {
      ids.push(id);
      // dense: consecutive but for a gap now and then (spans with and without stored ids)
      id += o.dense ? (r() < 0.002 ? 2 + Math.floor(r() * 100) : 1) : 1 + Math.floor(r() * (r() < 0.01 ? 2 ** 33 : 1000));
    }
    for (let a = 0; a < ids.length;) {
      const b = Math.min(ids.length, a + 1 + Math.floor(r() * 5000));
      const part = ids.slice(a, b);
      out.push({
        ids: Float64Array.from(part),
        lons: Float64Array.from(part, () => Math.round((r() * 360 - 180) * 1e7) / 1e7),
        lats: Float64Array.from(part, () => Math.round((r() * 170 - 85) * 1e7) / 1e7),
      });
      a = b;
    }
  }
  return out;
}

function load(blocks: Blocks[], spill?: NodeSpillOptions, progress?: ProgressFactory): { store: NodeStore; removed: number } {
  const store = new NodeStore(spill);
  for (const b of blocks) store.addBlock(b.ids, b.lons, b.lats);
  const removed = store.seal(progress);
  return { store, removed };
}

/** Every id of the blocks and ids between and around them: same answer from both stores. */
function assertSameLookups(mem: NodeStore, disk: NodeStore, blocks: Blocks[], r: () => number): void {
  assert.equal(disk.size, mem.size);
  for (let i = 0; i < mem.size; i++) assert.equal(disk.idAt(i), mem.idAt(i), `id at ${i}`);
  const probes: number[] = [];
  for (const b of blocks) for (const id of b.ids) probes.push(id, id + 1, id - 1);
  for (let k = 0; k < 2000; k++) probes.push(Math.floor(r() * 2 ** 35));
  for (const id of probes) {
    const i = mem.get(id);
    assert.equal(disk.get(id), i, `get(${id})`);
    if (i >= 0) {
      assert.equal(disk.lon(i), mem.lon(i));
      assert.equal(disk.lat(i), mem.lat(i));
    }
  }
  // a way's refs in random order, some missing: same coordinates, same misses
  const refs = Float64Array.from({ length: 3000 }, () => probes[Math.floor(r() * probes.length)]);
  const missMem: number[] = [], missDisk: number[] = [];
  assert.deepEqual(disk.wayCoords(refs, (_ref, k) => missDisk.push(k)), mem.wayCoords(refs, (_ref, k) => missMem.push(k)));
  assert.deepEqual(missDisk, missMem);
}

describe('NodeStore on disk (past its spill budget)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodes-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const c of [
    { name: 'one sorted dense input', runs: 1, dense: true },
    { name: 'one sorted sparse input', runs: 1, dense: false },
    { name: 'several overlapping dense inputs', runs: 4, dense: true },
    { name: 'several sparse inputs, merged', runs: 7, dense: false },
  ]) {
    it(`answers every lookup as the in-memory store does: ${c.name} (property)`, () => {
      const r = seededRandom(c.runs * 31 + (c.dense ? 1 : 0));
      const blocks = randomBlocks(r, { runs: c.runs, perRun: 40_000, dense: c.dense });
      const mem = load(blocks);
      // a budget below one chunk: the store moves to disk at its first block; a cache of three pages
      const disk = load(blocks, { dir, budgetBytes: 1, cacheBytes: 3 * 4096 });
      assert.ok(disk.store.onDisk && !mem.store.onDisk);
      assert.equal(disk.removed, mem.removed);
      assertSameLookups(mem.store, disk.store, blocks, r);
      assert.ok(disk.store.bytes() < 40_000 * c.runs, `${disk.store.bytes()} bytes held in memory`);
      disk.store.close();
    });
  }

  it('moves to disk mid-way past its budget, keeping what it held', () => {
    const r = seededRandom(77);
    const blocks = randomBlocks(r, { runs: 3, perRun: 150_000, dense: false });
    const mem = load(blocks);
    const disk = load(blocks, { dir, budgetBytes: 2 * 65536 * 16, cacheBytes: 1 << 16 });
    assert.ok(disk.store.onDisk);
    assertSameLookups(mem.store, disk.store, blocks, r);
    disk.store.close();
  });

  it('is read by another thread from its shared form with a cache of its own', () => {
    const r = seededRandom(5);
    const blocks = randomBlocks(r, { runs: 2, perRun: 20_000, dense: false });
    const disk = load(blocks, { dir, budgetBytes: 1, cacheBytes: 4096 });
    const shared = structuredClone(disk.store.toShared());
    const other = NodeStore.fromShared(shared);
    assertSameLookups(disk.store, other, blocks, r);
    other.close();
    disk.store.close();
  });

  it("is read from its shared form through the store's files: a view opens none, so a terminated worker leaves none open", () => {
    const r = seededRandom(8);
    const blocks = randomBlocks(r, { runs: 2, perRun: 5_000, dense: false });
    const disk = load(blocks, { dir, budgetBytes: 1, cacheBytes: 4096 });
    const before = openFdCount();
    const view = NodeStore.fromShared(structuredClone(disk.store.toShared()));
    assert.equal(openFdCount(), before, 'the view opened files');
    assertSameLookups(disk.store, view, blocks, r);
    view.close();
    assert.equal(openFdCount(), before, "the view closed the store's files");
    disk.store.close();
    assert.equal(openFdCount(), before - 2);
  });

  it('leaves only the sorted files in its directory, 8 bytes a node when ids are dense, 16 when sparse', () => {
    for (const dense of [true, false]) {
      const blocks = randomBlocks(seededRandom(9), { runs: 3, perRun: 10_000, dense });
      const disk = load(blocks, { dir, budgetBytes: 1, cacheBytes: 4096 });
      assert.deepEqual(fs.readdirSync(dir).sort(), ['nodes-1.ids', 'nodes-1.loc']);
      const bytes = fs.statSync(path.join(dir, 'nodes-1.loc')).size + fs.statSync(path.join(dir, 'nodes-1.ids')).size;
      // sparse: every span's ids stored, the last one padded to 64
      assert.ok(dense ? bytes < disk.store.size * 10 : bytes >= disk.store.size * 16, `${bytes} bytes for ${disk.store.size} nodes`);
      disk.store.close();
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
    }
  });

  it('sorts nodes read in many short runs (blocks out of order, repeats) as the in-memory store does (property)', () => {
    const r = seededRandom(41);
    // ~6,000 ascending runs: more than one merge pass can take at once
    const ids = Array.from({ length: 60_000 }, () => Math.floor(r() * 80_000) - 40_000);
    const blocks: Blocks[] = [];
    for (let a = 0; a < ids.length;) {
      const b = Math.min(ids.length, a + 1 + Math.floor(r() * 20));
      const part = ids.slice(a, b).sort((x, y) => x - y);
      blocks.push({ ids: Float64Array.from(part), lons: Float64Array.from(part, () => Math.round(r() * 1e9) / 1e7), lats: Float64Array.from(part, () => Math.round(r() * 8e8) / 1e7) });
      a = b;
    }
    const memBars = recordedProgress(), diskBars = recordedProgress();
    const mem = load(blocks, undefined, memBars.factory);
    const disk = load(blocks, { dir, budgetBytes: 1, cacheBytes: 3 * 4096 }, diskBars.factory);
    assert.equal(disk.removed, mem.removed);
    assertSameLookups(mem.store, disk.store, blocks, r);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['nodes-1.ids', 'nodes-1.loc']);
    // a bar for the sort: in memory one, on disk one per merge pass (the first reads every node, the next what is left)
    assert.deepEqual(memBars.bars.map((b) => [b.name, b.total, b.ticked, b.finished]), [['node_sort', ids.length, ids.length, true]]);
    const passes = diskBars.bars;
    assert.ok(passes.length >= 2, `${passes.length} passes`);
    assert.deepEqual(passes.map((b) => b.name), passes.map((_, k) => `node_sort pass ${k + 1}`));
    assert.equal(passes[0].total, ids.length);
    for (const b of passes) assert.ok(b.finished && b.ticked === b.total, `${b.name}: ${b.ticked} of ${b.total}`);
    // each pass drops repeats it meets: never more nodes in a pass than in the one before, nor fewer than are kept
    for (let k = 1; k < passes.length; k++) assert.ok(passes[k].total! <= passes[k - 1].total! && passes[k].total! >= mem.store.size);
    disk.store.close();
  });

  it('sorts nodes given in descending order (new objects of an editor: -1, -2, …) in bounded memory', () => {
    const n = 60_000;
    const ids = Float64Array.from({ length: n }, (_, k) => -1 - k);
    const lons = Float64Array.from(ids, (id) => -id / 1e5), lats = Float64Array.from(ids, (id) => -id / 2e5);
    const store = new NodeStore({ dir, budgetBytes: 1, cacheBytes: 3 * 4096 });
    for (let a = 0; a < n; a += 8000) store.addBlock(ids.subarray(a, a + 8000), lons.subarray(a, a + 8000), lats.subarray(a, a + 8000));
    const before = process.memoryUsage().arrayBuffers;
    store.seal();
    // one run per node: a page cache per run held at once would take 12 KiB a node (700 MiB here)
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 64 * 2 ** 20, `${(grown / 2 ** 20).toFixed(0)} MiB of buffers after sorting ${n} nodes`);
    assert.equal(store.size, n);
    for (let i = 0; i < n; i++) {
      const id = -n + i;
      assert.equal(store.idAt(i), id);
      assert.equal(store.get(id), i);
      assert.equal(store.lon(i), -id / 1e5);
    }
    store.close();
  });

  describe('a write that fails (a full disk) leaves no file open', () => {
    const full = (e: unknown): boolean => isTuilerieError(e, 'IO_ERROR') && /no space left/.test((e as Error).message);

    it('while loading: the store closes the file it was appending to', () => {
      fs.symlinkSync('/dev/full', path.join(dir, 'nodes-0.ids'));
      const before = openFdCount();
      const store = new NodeStore({ dir, budgetBytes: 1, cacheBytes: 4096 });
      // sparse ids: the ids file is written (and fails) on sealing at the latest
      assert.throws(() => {
        for (const b of randomBlocks(seededRandom(3), { runs: 1, perRun: 300_000, dense: false })) store.addBlock(b.ids, b.lons, b.lats);
        store.seal();
      }, full);
      store.close();
      assert.equal(openFdCount(), before);
    });

    it('while sorting: the pass being written and the files read are closed', () => {
      fs.symlinkSync('/dev/full', path.join(dir, 'nodes-1.pass0.loc'));
      const before = openFdCount();
      const store = new NodeStore({ dir, budgetBytes: 1, cacheBytes: 4096 });
      for (const b of randomBlocks(seededRandom(4), { runs: 3, perRun: 5_000, dense: true })) store.addBlock(b.ids, b.lons, b.lats);
      assert.throws(() => store.seal(), full);
      store.close();
      assert.equal(openFdCount(), before);
    });

    it('opening the files of a layout with one missing closes the other', () => {
      const disk = load(randomBlocks(seededRandom(6), { runs: 1, perRun: 1_000, dense: false }), { dir, budgetBytes: 1, cacheBytes: 4096 });
      const layout = disk.store.toShared();
      disk.store.close();
      assert.ok('layout' in layout);
      fs.rmSync(layout.layout.ids);
      const before = openFdCount();
      assert.throws(() => new NodeFiles(layout.layout), (e: unknown) => isTuilerieError(e, 'IO_ERROR') && (e as Error).message.includes(layout.layout.ids));
      assert.equal(openFdCount(), before);
    });
  });

  it('finds every node of a real extract as the in-memory store does', async () => {
    const blocks: Blocks[] = [];
    for await (const b of new PbfReader(osmFile('wehr.osm.pbf')).blocks({ threads: 1 })) {
      if (b.nodeIds.length > 0) blocks.push({ ids: b.nodeIds, lons: b.nodeLons, lats: b.nodeLats });
    }
    const mem = load(blocks);
    const disk = load(blocks, { dir, budgetBytes: 1, cacheBytes: 1 << 16 });
    assertSameLookups(mem.store, disk.store, blocks, seededRandom(1));
    disk.store.close();
  });
});
