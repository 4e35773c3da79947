import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isTuilerieError } from '../../../src/core/errors.js';
import { CompressedBlockWriter, CorruptTempFileError, type BlockWriterOptions } from '../../../src/importer/compressed_blocks.js';
import { mergeTileRuns, TileRunReader, TileRunWriter, type RunRecord } from '../../../src/importer/tile_feature_runs.js';
import { geometryMaxBytes, writeGeometryBytes, type TileFeature } from '../../../src/importer/tile_feature_store.js';
import type { TileGeometry } from '../../../src/tiling/feature_tiler.js';
import { seededRandom as rng } from '../../../src/core/seeded_random.js';
import { openFdCount } from '../../helpers/open_fds.js';

interface Written { key: number; feature: TileFeature }

/** Random records, sorted by key as a store writes them; some geometries span many blocks. */
function randomRecords(r: () => number, n: number): Written[] {
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const out: Written[] = [];
  let key = int(0, 100);
  for (let seq = 0; seq < n; seq++) {
    if (r() < 0.3) key += int(1, 1000);
    const type = int(1, 3) as 1 | 2 | 3;
    const parts: Int32Array[] = [];
    const long = r() < 0.05;
    for (let p = int(1, 3); p > 0; p--) parts.push(Int32Array.from({ length: 2 * (long ? int(500, 3000) : int(1, 20)) }, () => int(-300, 4400)));
    const geometry: TileGeometry = type === 3 ? { type, geometry: parts, ringsPerPolygon: [parts.length] } : { type, geometry: parts };
    const attrs = [{ class: 'primary', name: `Straße ${int(0, 3)}`, 'name:de': 'x'.repeat(int(0, 300)) }, { building: true, render_height: int(3, 40) / 2 }, {}][int(0, 2)];
    out.push({
      key,
      feature: {
        layer: int(0, 12), sortKey: r() < 0.5 ? 0 : int(-5, 5) / 2, seq, geometry, attrs,
        id: r() < 0.5 ? undefined : int(1, 2 ** 40),
        labelGrid: r() < 0.3 ? { sizePx: 64, limit: int(1, 4), ...(r() < 0.5 ? { rankAttr: 'rank', rankOffset: 1 } : {}) } : undefined,
        ...(r() < 0.5 ? { src: int(0, 2 ** 45) } : {}),
      },
    });
  }
  return out;
}

function writeRun(file: string, records: Written[], o: BlockWriterOptions = {}): TileRunWriter {
  const w = new TileRunWriter(file, o);
  for (const { key, feature: f } of records) {
    const geom = new Uint8Array(geometryMaxBytes(f.geometry));
    const len = writeGeometryBytes(geom, 0, f.geometry);
    const rec: RunRecord = { key, seq: f.seq, layer: f.layer, sortKey: f.sortKey, id: f.id, attrs: f.attrs, labelGrid: f.labelGrid, src: f.src };
    w.write(rec, geom.subarray(0, len));
  }
  w.close();
  return w;
}

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
