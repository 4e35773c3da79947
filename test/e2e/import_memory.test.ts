/**
 * `import --max-memory`: tile features past the budget go to sorted runs in temporary files and are merged back tile
 * by tile, node locations past theirs to a file read through a page cache; the tiles must not change, the temporary
 * files must go, whatever happens to the import.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CLI, osmFile, tempDir } from '../helpers/paths.js';
import { tileContents } from '../helpers/tile_contents.js';
import { heapLimits } from '../../src/importer/heap_limits.js';
import { MIN_FAN_IN } from '../../src/importer/tile_run_merge.js';

const ALL = ['mulhouse.osm.pbf', 'wehr.osm.pbf', 'schopfheim.osm.pbf', 'freiburg-roads.osm.bz2', 'heidelberg-routing.osm.pbf'].map(osmFile);

function importJson(args: string[], env: NodeJS.ProcessEnv = {}): { peakTempBytes: number; tiles: number; nodesOnDisk: boolean; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'import', '--json', ...args], { encoding: 'utf8', timeout: 900_000, env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return { ...JSON.parse(r.stdout), stderr: r.stderr };
}

/** Every tile's bytes, by z/x/y. */
function tileBytes(file: string): Map<string, string> {
  const db = new Database(file, { readonly: true });
  const m = new Map<string, string>();
  for (const r of db.prepare('SELECT zoom_level z, tile_column x, tile_row y, tile_data d FROM tiles').all() as { z: number; x: number; y: number; d: Buffer }[]) {
    m.set(`${r.z}/${r.x}/${r.y}`, crypto.createHash('sha1').update(r.d).digest('hex'));
  }
  db.close();
  return m;
}

function assertSameTiles(a: Map<string, string>, b: Map<string, string>): void {
  assert.ok(a.size > 10, `only ${a.size} tiles`);
  assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
  for (const [k, v] of a) assert.equal(b.get(k), v, `tile ${k}`);
}

function importDirs(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.startsWith('.tuilerie-import-'));
}

describe('e2e: import --max-memory (tile features spilled to sorted runs)', function () {
  this.timeout(1_200_000);
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the same tile bytes on Mulhouse with every feature spilled as without a limit', () => {
    const free = path.join(dir, 'free.mbtiles'), bounded = path.join(dir, 'bounded.mbtiles');
    const a = importJson(['--threads', '1', '--max-memory', '64G', '--out', free, osmFile('mulhouse.osm.pbf')]);
    // two runs read at once: Mulhouse's runs are pre-merged before the tiles stream
    const b = importJson(['--threads', '1', '--max-memory', '1M', '--out', bounded, osmFile('mulhouse.osm.pbf')], { TUILERIE_MERGE_FAN_IN: '2' });
    assert.equal(a.peakTempBytes, 0);
    assert.ok(b.peakTempBytes > 0, 'the bounded run wrote no run file');
    assert.ok(!a.nodesOnDisk && b.nodesOnDisk, 'node locations on disk in the bounded run only');
    const runs = /merging (\d+) feature runs, at most 2 at once/.exec(b.stderr);
    assert.ok(runs && Number(runs[1]) > 2, `not more than 2 runs: ${runs?.[0]}`);
    assert.match(b.stderr, /pre-merge pass 1: /);
    assertSameTiles(tileBytes(free), tileBytes(bounded));
    assert.deepEqual(importDirs(dir), [], 'temporary directory left behind');
  });

  it('counts in its peak temporary disk the node files sorted on disk, unsorted and sorted ones together', () => {
    // nodes in descending id order (as an editor numbers new ones): unsorted, 16 bytes a node (no span of consecutive
    // ids); sorted, 8 (consecutive); while sorting both are on disk
    const n = 100_000;
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6">'];
    for (let k = 1; k <= n; k++) lines.push(`<node id="-${k}" lat="${(47.6 + (k % 300) * 1e-4).toFixed(7)}" lon="${(7.9 + Math.floor(k / 300) * 1e-4).toFixed(7)}"/>`);
    lines.push('<way id="1"><nd ref="-1"/><nd ref="-2"/><nd ref="-3"/><tag k="highway" v="residential"/><tag k="name" v="Rue"/></way>', '</osm>');
    const input = path.join(dir, 'descending.osm');
    fs.writeFileSync(input, lines.join('\n'));
    const b = importJson(['--threads', '1', '--max-memory', '1M', '--maxzoom', '12', '--out', path.join(dir, 'out.mbtiles'), input]);
    assert.ok(b.nodesOnDisk);
    assert.ok(b.peakTempBytes >= 20 * n, `peak temporary disk ${b.peakTempBytes} bytes for ${n} nodes sorted on disk (24 a node while sorting)`);
    assert.deepEqual(importDirs(dir), [], 'temporary directory left behind');
  });

  it('writes the same tiles from all shared extracts together with feature threads spilling too', () => {
    const free = path.join(dir, 'free.mbtiles'), bounded = path.join(dir, 'bounded.mbtiles');
    const tmp = path.join(dir, 'tmp');
    importJson(['--threads', '2', '--max-memory', '64G', '--out', free, ...ALL]);
    const b = importJson(['--threads', '2', '--max-memory', '1M', '--tmp-dir', tmp, '--out', bounded, ...ALL]);
    assert.ok(b.peakTempBytes > 0);
    assert.ok(b.nodesOnDisk, 'node locations of several inputs merged on disk');
    // 1M leaves the merge read buffers for the fewest runs at once; the three stores wrote more runs than that
    assert.match(b.stderr, new RegExp(`merging \\d+ feature runs, at most ${MIN_FAN_IN} at once`));
    assert.match(b.stderr, /pre-merge pass 1: /);
    assertSameTiles(tileContents(free), tileContents(bounded));
    assert.deepEqual(importDirs(tmp), [], 'temporary directory left behind');
  });

  it('limits the heap of the import and of each encoder and feature thread to what --max-memory leaves them', () => {
    const out = path.join(dir, 'out.mbtiles');
    const { stderr } = importJson(['--threads', '2', '--max-memory', '3G', '--out', out, ...ALL], { TUILERIE_DEBUG: '1' });
    const want = heapLimits(3 * 2 ** 30, 2);
    const encoder = /encoder threads: (\{.*\})/.exec(stderr);
    assert.ok(encoder, 'no encoder thread started');
    assert.equal(JSON.parse(encoder[1]).maxOldGenerationSizeMb, want.encoderMb);
    const features = /feature threads: (\{.*\})/.exec(stderr);
    assert.ok(features, 'no feature thread started');
    assert.equal(JSON.parse(features[1]).maxOldGenerationSizeMb, want.encoderMb);
    assert.equal(JSON.parse(encoder[1]).maxYoungGenerationSizeMb, want.workerYoungMb);
    assert.equal(JSON.parse(features[1]).maxYoungGenerationSizeMb, want.workerYoungMb);
    // V8's limit adds the young generation to the old one
    const limits = [...stderr.matchAll(/memory at end .*\(limit (\d+)\)/g)].map((m) => Number(m[1]));
    assert.ok(limits.length >= 3, stderr);
    for (const l of limits) assert.ok(l >= want.mainMb && l <= want.mainMb + 64, `heap limit ${l} MiB, derived ${want.mainMb} MiB`);
  });

  it('gives the import\'s threads larger young generations from a large budget (fewer scavenges), with the same tiles', () => {
    const small = path.join(dir, 'small.mbtiles'), large = path.join(dir, 'large.mbtiles');
    importJson(['--threads', '2', '--max-memory', '2G', '--out', small, ...ALL]);
    const { stderr } = importJson(['--threads', '2', '--max-memory', '16G', '--out', large, ...ALL], { TUILERIE_DEBUG: '1' });
    const want = heapLimits(16 * 2 ** 30, 2);
    assert.match(stderr, new RegExp(`heap set by .*--max-semi-space-size=${want.mainSemiSpaceMb}\\b`));
    const encoder = /encoder threads: (\{.*\})/.exec(stderr);
    assert.ok(encoder, 'no encoder thread started');
    assert.equal(JSON.parse(encoder[1]).maxYoungGenerationSizeMb, want.workerYoungMb);
    assert.ok(want.workerYoungMb > heapLimits(2 * 2 ** 30, 2).workerYoungMb);
    assertSameTiles(tileContents(small), tileContents(large));
  });

  it('imports again without the heap limit when it is too small for the input, with the same tiles', () => {
    const free = path.join(dir, 'free.mbtiles'), bounded = path.join(dir, 'bounded.mbtiles');
    importJson(['--threads', '2', '--max-memory', '64G', '--out', free, osmFile('mulhouse.osm.pbf')]);
    const b = importJson(['--threads', '2', '--max-memory', '1M', '--out', bounded, osmFile('mulhouse.osm.pbf')], { TUILERIE_IMPORT_HEAP_MB: '10' });
    assert.match(b.stderr, /heap limit derived from --max-memory \(10 MiB\) is too small/);
    assert.deepEqual(tileBytes(bounded), tileBytes(free));
    assert.deepEqual(importDirs(dir), [], 'temporary directory left behind');
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'temporary archive left behind');
  });

  it('leaves no temporary file and the old output intact when killed with SIGTERM mid-way', async () => {
    const out = path.join(dir, 'out.mbtiles');
    const tmp = path.join(dir, 'tmp');
    importJson(['--threads', '1', '--out', out, osmFile('mulhouse.osm.pbf')]);
    const before = fs.readFileSync(out);
    const child = spawn(process.execPath, [CLI, 'import', '--quiet', '--max-memory', '1M', '--tmp-dir', tmp, '--out', out, ...ALL], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? -1 : code)));
    // mid-way: once the first run file of tile features is on disk
    const deadline = Date.now() + 600_000;
    let running = true;
    child.on('exit', () => { running = false; });
    for (;;) {
      const d = fs.existsSync(tmp) ? importDirs(tmp) : [];
      // a file, not a directory: the import may run in a heap-limited child whose own temporary directory is inside
      const filesIn = (top: string): string[] => {
        try {
          return (fs.readdirSync(top, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(top, f), { throwIfNoEntry: false })?.isFile());
        } catch {
          return []; // a directory removed while listed: look again
        }
      };
      if (d.length > 0 && filesIn(path.join(tmp, d[0])).length > 0) break;
      assert.ok(running, 'the import ended before writing a run file');
      assert.ok(Date.now() < deadline, 'no run file written in 10 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGTERM');
    assert.notEqual(await exited, 0);
    assert.deepEqual(importDirs(tmp), [], 'temporary directory left behind');
    assert.ok(fs.readFileSync(out).equals(before), 'the old output changed');
  });
});
