/** Merging tile feature runs with a bounded fan-in: same stream as one pass over every run, few files open, none left. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom as rng } from '../../../src/core/seeded_random.js';
import { BLOCK_BYTES, CorruptTempFileError } from '../../../src/importer/compressed_blocks.js';
import { decodeRunRecords, mergeRunFiles, type RunInput } from '../../../src/importer/tile_feature_runs.js';
import { MAX_FAN_IN, MIN_FAN_IN, mergeFanIn, mergeRunsBounded, passGroups, RUN_READER_BYTES } from '../../../src/importer/tile_run_merge.js';
import type { TileFeature } from '../../../src/importer/tile_feature_store.js';
import { randomRecords, writeRun, type Written } from '../../helpers/run_records.js';
import { openFdCount } from '../../helpers/open_fds.js';
import { recordedProgress } from '../../helpers/recorded_progress.js';

/** Runs of several stores, as an import leaves them: each run sorted by key, some runs empty, seq bases per store. */
function randomRuns(r: () => number, dir: string, count: number): { inputs: RunInput[]; written: { seqBase: number; records: Written[] }[] } {
  const inputs: RunInput[] = [], written: { seqBase: number; records: Written[] }[] = [];
  for (let i = 0; i < count; i++) {
    const records = r() < 0.1 ? [] : randomRecords(r, 1 + Math.floor(r() * 40));
    const file = path.join(dir, `t-${i}.run`);
    writeRun(file, records, { blockBytes: 256 + Math.floor(r() * 4096) });
    const seqBase = Math.floor(i / 5) * 2 ** 32;
    inputs.push({ file, seqBase });
    written.push({ seqBase, records });
  }
  return { inputs, written };
}

/** The model: tile keys ascending, each tile's features run after run in input order, sequence numbers offset. */
function model(written: { seqBase: number; records: Written[] }[]): { key: number; features: TileFeature[] }[] {
  const keys = [...new Set(written.flatMap((w) => w.records.map((x) => x.key)))].sort((a, b) => a - b);
  return keys.map((key) => ({
    key,
    features: written.flatMap((w) => w.records.filter((x) => x.key === key).map((x) => ({ ...x.feature, seq: x.feature.seq + w.seqBase }))),
  }));
}

function collect(stream: Iterable<{ key: number; records: Uint8Array }>): { key: number; records: Buffer }[] {
  return [...stream].map((t) => ({ key: t.key, records: Buffer.from(t.records) }));
}

describe('importer/tile_run_merge (bounded fan-in)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'merge-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('yields the same tiles, records and order as one pass over every run, in one pre-merge pass or several (property)', () => {
    const r = rng(64);
    for (let trial = 0; trial < 12; trial++) {
      const count = 1 + Math.floor(r() * 60);
      const fanIn = 2 + Math.floor(r() * 6);
      const { inputs, written } = randomRuns(r, dir, count);
      const passes: number[] = [];
      const got = collect(mergeRunsBounded(inputs, { fanIn, dir, onPass: (p) => passes.push(p.left) }));
      const what = `${count} runs, fan-in ${fanIn}`;
      assert.deepEqual(got, collect(mergeRunFiles(inputs)), what);
      assert.deepEqual(got.map((t) => ({ key: t.key, features: decodeRunRecords(t.records) })), model(written), what);
      if (count > fanIn) assert.ok(passes.length > 0 && passes[passes.length - 1] <= fanIn, `${what}: runs left after each pass ${passes}`);
      else assert.deepEqual(passes, [], what);
      assert.deepEqual(fs.readdirSync(dir).sort(), inputs.map((i) => path.basename(i.file)).sort(), `${what}: only the given runs left`);
      for (const i of inputs) fs.rmSync(i.file);
    }
  });

  it('pre-merges as few runs as it takes to leave fan-in, and passes again when one pass cannot', () => {
    const { inputs } = randomRuns(rng(1), dir, 70);
    const passes: { runs: number; groups: number; left: number }[] = [];
    collect(mergeRunsBounded(inputs, { fanIn: 64, dir, onPass: (p) => passes.push(p) }));
    // one group of 7 runs: 63 untouched and the merged one
    assert.deepEqual(passes.map((p) => [p.runs, p.groups, p.left]), [[70, 1, 64]]);
    passes.length = 0;
    collect(mergeRunsBounded(inputs, { fanIn: 3, dir, onPass: (p) => passes.push(p) }));
    assert.deepEqual(passes.map((p) => [p.runs, p.left]), [[70, 24], [24, 8], [8, 3]]);
  });

  it('draws a bar per pre-merge pass: bytes written against the bytes of the runs it merges, finished', () => {
    const { inputs } = randomRuns(rng(7), dir, 70);
    const sizes = new Map(inputs.map((i) => [i.file, fs.statSync(i.file).size]));
    const { bars, factory } = recordedProgress();
    collect(mergeRunsBounded(inputs, { fanIn: 3, dir, progress: factory }));
    assert.deepEqual(bars.map((b) => b.name), ['pre-merge pass 1', 'pre-merge pass 2', 'pre-merge pass 3']);
    assert.ok(bars.every((b) => b.unit === 'bytes' && b.finished && b.ticks > 0));
    // the first pass merges given runs only: its total is their size on disk, the first ones in order
    const merged1 = passGroups(70, 3).reduce((a, b) => a + b, 0);
    assert.equal(bars[0].total, inputs.slice(0, merged1).reduce((t, i) => t + sizes.get(i.file)!, 0));
    // what is written is those records again, in bigger blocks (compressed better): some of what was read, not more
    for (const b of bars) assert.ok(b.ticked > b.total! / 10 && b.ticked <= b.total! * 1.1 + 64 * 1024, `${b.name}: ${b.ticked} of ${b.total}`);
    // no pass: no bar
    const few = recordedProgress();
    collect(mergeRunsBounded(inputs.slice(0, 3), { fanIn: 3, dir, progress: few.factory }));
    assert.deepEqual(few.bars, []);
  });

  it('plans the groups of a pass as the merge does: as few as leave fan-in, never more than fan-in each (property)', () => {
    const r = rng(9);
    for (let t = 0; t < 500; t++) {
      const runs = 1 + Math.floor(r() * 300), fanIn = 2 + Math.floor(r() * 64);
      const sizes = passGroups(runs, fanIn);
      assert.ok(sizes.every((s) => s >= 2 && s <= fanIn), `${runs} runs, fan-in ${fanIn}: ${sizes}`);
      const left = runs - sizes.reduce((a, s) => a + s - 1, 0);
      if (runs <= fanIn) assert.deepEqual(sizes, []);
      // one pass leaves fan-in runs when it can; else it merged every run (but a last one alone), fan-in at a time
      else assert.ok(left === fanIn || (left > fanIn && sizes.reduce((a, s) => a + s, 0) >= runs - 1), `${runs}/${fanIn}: ${left} left`);
    }
  });

  it('never has more than fan-in runs open while it streams the tiles', () => {
    const { inputs } = randomRuns(rng(2), dir, 40);
    const before = openFdCount();
    let most = 0;
    for (const t of mergeRunsBounded(inputs, { fanIn: 5, dir })) {
      most = Math.max(most, openFdCount() - before);
      assert.ok(t.records.length > 0);
    }
    assert.ok(most > 0 && most <= 5, `${most} files open at once`);
    assert.equal(openFdCount(), before);
  });

  it('removes its pre-merged runs when read, and the given ones too when asked to', () => {
    const { inputs } = randomRuns(rng(3), dir, 30);
    const seen: string[][] = [];
    const stream = mergeRunsBounded(inputs, { fanIn: 4, dir, prefix: 'pre', removeInputs: true });
    let first = true;
    for (const t of stream) {
      assert.ok(t.key >= 0);
      if (first) seen.push(fs.readdirSync(dir));
      first = false;
    }
    assert.ok(seen[0].some((f) => f.startsWith('pre-')), `no pre-merged run while merging: ${seen[0]}`);
    assert.ok(seen[0].length <= 4, `${seen[0].length} files while the last merge reads 4 at most`);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('removes its pre-merged runs and closes every file when the reader stops early or a run is corrupt', () => {
    const { inputs } = randomRuns(rng(4), dir, 20);
    const before = openFdCount();
    for (const t of mergeRunsBounded(inputs, { fanIn: 3, dir, prefix: 'pre' })) { assert.ok(t); break; }
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('pre-')), []);
    assert.equal(openFdCount(), before);
    // a run cut short in the middle of the list: the pass that reads it fails
    const cut = inputs[11].file;
    fs.writeFileSync(cut, fs.readFileSync(cut).subarray(0, 30));
    assert.throws(() => collect(mergeRunsBounded(inputs, { fanIn: 3, dir, prefix: 'pre' })), CorruptTempFileError);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('pre-')), []);
    assert.equal(openFdCount(), before);
  });

  it('reads as many runs at once as the budget has read buffers for, between the bounds', () => {
    assert.equal(RUN_READER_BYTES, 3 * BLOCK_BYTES);
    assert.equal(mergeFanIn(undefined), MAX_FAN_IN);
    assert.equal(mergeFanIn(0.15 * 2 ** 31), MAX_FAN_IN); // --max-memory 2G: its tile feature share
    assert.equal(mergeFanIn(20 * RUN_READER_BYTES + 1), 20);
    assert.equal(mergeFanIn(0.15 * 2 ** 20), MIN_FAN_IN); // --max-memory 1M
    assert.throws(() => mergeRunsBounded([], { fanIn: 1, dir }).next(), RangeError);
  });
});
