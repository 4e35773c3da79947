import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isTuilerieError } from '../../../src/core/errors.js';
import { CompressedBlockWriter, CorruptTempFileError } from '../../../src/importer/compressed_blocks.js';
import { decodeRunRecords, mergeTileRuns, RecordBuffer, TileRunReader, TileRunWriter } from '../../../src/importer/tile_feature_runs.js';
import { seededRandom as rng } from '../../../src/core/seeded_random.js';
import { randomRecords, writeRun, type Written } from '../../helpers/run_records.js';
import { openFdCount } from '../../helpers/open_fds.js';

function readAll(files: string[]): Written[] {
  const out: Written[] = [];
  for (const t of mergeTileRuns([files], () => 0)) for (const feature of t.features) out.push({ key: t.key, feature });
  return out;
}

describe('importer/tile_feature_runs (compressed run files)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runs-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads back every record as written, records spanning tiny blocks (property)', () => {
    const r = rng(13);
    for (const blockBytes of [7, 64, 1000, undefined]) {
      const records = randomRecords(r, 300);
      const file = path.join(dir, `b${blockBytes}.run`);
      writeRun(file, records, { blockBytes });
      assert.deepEqual(readAll([file]), records, `block size ${blockBytes}`);
    }
  });

  it('reads back a single record many blocks long', () => {
    const r = rng(5);
    const [rec] = randomRecords(r, 1);
    rec.feature.geometry = { type: 2, geometry: [Int32Array.from({ length: 200_000 }, () => Math.floor(r() * 1e6))] };
    const file = path.join(dir, 'one.run');
    writeRun(file, [rec], { blockBytes: 4096 });
    assert.deepEqual(readAll([file]), [rec]);
  });

  it('merges several runs by tile key', () => {
    const r = rng(99);
    const a = randomRecords(r, 200), b = randomRecords(r, 200).map((x) => ({ ...x, feature: { ...x.feature, seq: x.feature.seq + 1000 } }));
    writeRun(path.join(dir, 'a.run'), a, { blockBytes: 512 });
    writeRun(path.join(dir, 'b.run'), b, { blockBytes: 512 });
    const got = readAll([path.join(dir, 'a.run'), path.join(dir, 'b.run')]);
    const keys = got.map((x) => x.key);
    assert.deepEqual(keys, [...keys].sort((x, y) => x - y));
    const bySeq = (x: Written, y: Written): number => x.feature.seq - y.feature.seq;
    assert.deepEqual([...got].sort(bySeq), [...a, ...b].sort(bySeq));
  });

  it('reads each tile\'s records into one reused buffer, sequence numbers offset by the reader\'s base', () => {
    const records = randomRecords(rng(21), 400);
    const file = path.join(dir, 'r.run');
    writeRun(file, records, { blockBytes: 300 });
    const reader = new TileRunReader(file, 5000);
    // a tiny buffer: it grows over records that span blocks, and is reused from tile to tile
    const out = new RecordBuffer(16);
    const got: Written[] = [];
    try {
      while (reader.key !== Infinity) {
        const key = reader.key;
        out.length = 0;
        reader.readTileBytes(key, out);
        for (const feature of decodeRunRecords(out.take())) got.push({ key, feature });
      }
    } finally {
      reader.close();
    }
    assert.deepEqual(got, records.map((x) => ({ ...x, feature: { ...x.feature, seq: x.feature.seq + 5000 } })));
  });

  it('a record buffer keeps what it holds as it grows, and takes a copy of its own', () => {
    const b = new RecordBuffer(4);
    const bytes = Array.from({ length: 100 }, (_, i) => (i * 7) & 255);
    for (const [i, v] of bytes.entries()) assert.equal(b.reserve(1), i), b.buf[i] = v;
    const taken = b.take();
    assert.deepEqual([...taken], bytes);
    b.length = 0;
    b.buf[b.reserve(1)] = 1;
    assert.equal(taken[0], bytes[0]);
    assert.equal(taken.buffer.byteLength, 100);
  });

  it('takes less disk than the raw records and reports the bytes on disk', () => {
    const records = randomRecords(rng(3), 2000);
    const file = path.join(dir, 'c.run');
    const w = writeRun(file, records);
    assert.equal(w.bytes, fs.statSync(file).size);
    const stored = writeRun(path.join(dir, 'stored.run'), records, { level: 0 });
    assert.ok(w.bytes < stored.bytes, `compressed ${w.bytes} B, stored uncompressed ${stored.bytes} B`);
  });

  it('rejects a truncated run file with a typed error wherever it is cut', () => {
    const records = randomRecords(rng(21), 400);
    const file = path.join(dir, 'full.run');
    writeRun(file, records, { blockBytes: 2048 });
    const whole = fs.readFileSync(file);
    for (const cut of [0, 3, 8, 12, 20, Math.floor(whole.length / 2), whole.length - 1]) {
      const f = path.join(dir, `cut${cut}.run`);
      fs.writeFileSync(f, whole.subarray(0, cut));
      assert.throws(() => readAll([f]), (e: unknown) => e instanceof CorruptTempFileError && isTuilerieError(e, 'IO_ERROR') && e.message.includes(f), `cut at ${cut}`);
    }
  });

  it('closes a truncated run file it rejects, wherever it is cut', () => {
    const records = randomRecords(rng(23), 400);
    const file = path.join(dir, 'full.run');
    writeRun(file, records, { blockBytes: 2048 });
    const good = path.join(dir, 'good.run');
    writeRun(good, randomRecords(rng(24), 50));
    const whole = fs.readFileSync(file);
    // cut in the magic, in the first block's header or data (the reader's first peek), then further on
    for (const cut of [0, 3, 8, 12, 16, 40, Math.floor(whole.length / 2), whole.length - 1]) {
      const f = path.join(dir, `cut${cut}.run`);
      fs.writeFileSync(f, whole.subarray(0, cut));
      const before = openFdCount();
      if (cut < 100) assert.throws(() => new TileRunReader(f, 0), CorruptTempFileError, `cut at ${cut}, opened`);
      assert.throws(() => readAll([f]), CorruptTempFileError, `cut at ${cut}`);
      // after a good run is open: the merge closes it too
      assert.throws(() => readAll([good, f]), CorruptTempFileError, `cut at ${cut}, merged`);
      assert.equal(openFdCount(), before, `file descriptors left open by a file cut at ${cut}`);
    }
  });

  it('closes the file of a run writer whose header cannot be written (a full disk)', () => {
    const before = openFdCount();
    assert.throws(() => new CompressedBlockWriter('/dev/full'), (e: unknown) => isTuilerieError(e, 'IO_ERROR') && /no space left/.test((e as Error).message));
    assert.throws(() => new TileRunWriter('/dev/full'), (e: unknown) => isTuilerieError(e, 'IO_ERROR'));
    assert.equal(openFdCount(), before);
  });

  it('rejects an altered run file with a typed error', () => {
    const records = randomRecords(rng(22), 400);
    const file = path.join(dir, 'full.run');
    writeRun(file, records, { blockBytes: 2048 });
    const whole = fs.readFileSync(file);
    const r = rng(1);
    for (let t = 0; t < 100; t++) {
      const bad = Buffer.from(whole);
      const at = t < 16 ? t : Math.floor(r() * bad.length);
      bad[at] ^= 1 + Math.floor(r() * 255);
      const f = path.join(dir, `bad${t}.run`);
      fs.writeFileSync(f, bad);
      assert.throws(() => readAll([f]), CorruptTempFileError, `byte ${at} altered`);
    }
  });
});
