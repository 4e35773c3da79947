/**
 * `npm run bench:import`: tuilerie vs tilemaker (Debian, OpenMapTiles example
 * config) on the same input in the same run: wall time, peak memory, ratios; then
 * per-layer z14 feature counts on Mulhouse for both.
 *   TUILERIE_TEST_DATA   shared data dir (default ../shared/data)
 *   BENCH_COPIES         copies for the scale extract (default 200)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { timedRun, writeTilemakerConfig } from './bench_tools.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = path.resolve(process.env.TUILERIE_TEST_DATA ?? path.join(root, '..', 'shared', 'data'));
const work = path.join(root, '.bench');
const copies = Number(process.env.BENCH_COPIES ?? 200);
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const timed = timedRun;
const tilemakerConfig = (): { config: string; process: string } => writeTilemakerConfig(work);

function out(s: string): void {
  process.stdout.write(s + '\n');
}

/**
 * z14 features per layer: all feature instances, and "owned" ones counted only in
 * the tile holding their first vertex, so that the tools' different tile buffers
 * (tilemaker does not copy points into neighbours' buffers) do not skew the comparison.
 */
function z14Counts(file: string): { all: Map<string, number>; owned: Map<string, number> } {
  const db = new Database(file, { readonly: true });
  const all = new Map<string, number>(), owned = new Map<string, number>();
  for (const row of db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = 14').iterate() as Iterable<{ tile_data: Buffer }>) {
    const data = row.tile_data[0] === 0x1f ? zlib.gunzipSync(row.tile_data) : row.tile_data;
    const vt = new VectorTile(new PbfReader(data));
    for (const [name, layer] of Object.entries(vt.layers)) {
      all.set(name, (all.get(name) ?? 0) + layer.length);
      for (let i = 0; i < layer.length; i++) {
        const p = layer.feature(i).loadGeometry()[0]?.[0];
        if (p && p.x >= 0 && p.y >= 0 && p.x < layer.extent && p.y < layer.extent) owned.set(name, (owned.get(name) ?? 0) + 1);
      }
    }
  }
  db.close();
  return { all, owned };
}

function runPair(label: string, input: string, tm: { config: string; process: string }): { tuilerie: ReturnType<typeof timed>; tilemaker: ReturnType<typeof timed>; tuilerieOut: string; tilemakerOut: string } {
  const tuilerieOut = path.join(work, `${label}-tuilerie.mbtiles`);
  const tilemakerOut = path.join(work, `${label}-tilemaker.mbtiles`);
  for (const f of [tuilerieOut, tilemakerOut]) fs.rmSync(f, { force: true });
  const tuilerie = timed(process.execPath, [cli, 'import', '--quiet', '--out', tuilerieOut, input]);
  const tilemaker = timed('tilemaker', ['--input', input, '--output', tilemakerOut, '--config', tm.config, '--process', tm.process]);
  return { tuilerie, tilemaker, tuilerieOut, tilemakerOut };
}

function main(): void {
  fs.mkdirSync(work, { recursive: true });
  const tm = tilemakerConfig();
  const srcs = ['mulhouse.osm.pbf', 'wehr.osm.pbf', 'schopfheim.osm.pbf'].map((f) => path.join(shared, 'osm', f));
  const scale = path.join(work, `scale-${copies}.osm.pbf`);
  if (!fs.existsSync(scale)) {
    out(`building ${scale} (${copies} copies of mulhouse, wehr, schopfheim)…`);
    execFileSync('python3', [path.join(shared, '..', 'scripts', 'make-scale-extract.py'), scale, String(copies), ...srcs], { stdio: 'inherit' });
  }
  const info = execFileSync('osmium', ['fileinfo', '-e', '-g', 'data.count.nodes', scale], { encoding: 'utf8' }).trim();
  out(`\n== scale extract: ${path.basename(scale)}, ${Number(info).toLocaleString('en')} nodes`);
  const s = runPair('scale', scale, tm);
  out('tool        wall (s)   CPU (s)   peak RSS (MiB)');
  for (const [name, r] of [['tuilerie', s.tuilerie], ['tilemaker', s.tilemaker]] as const) {
    out(`${name.padEnd(10)}  ${r.seconds.toFixed(1).padStart(8)}  ${r.cpuSeconds.toFixed(1).padStart(8)}   ${(r.peakKb / 1024).toFixed(0).padStart(14)}`);
  }
  out(`ratio tuilerie/tilemaker: wall ${(s.tuilerie.seconds / s.tilemaker.seconds).toFixed(2)}x (target ≤ 1.00), ` +
    `CPU ${(s.tuilerie.cpuSeconds / s.tilemaker.cpuSeconds).toFixed(2)}x, peak memory ${(s.tuilerie.peakKb / s.tilemaker.peakKb).toFixed(2)}x (target ≤ 1.50)`);
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  out(`(1-minute load average at the end: ${load} on ${os.cpus().length} cores: wall times depend on other processes, CPU times much less)`);

  out('\n== Mulhouse: z14 features per layer');
  const m = runPair('mulhouse', srcs[0], tm);
  const a = z14Counts(m.tuilerieOut), b = z14Counts(m.tilemakerOut);
  out('                       all instances in tiles         owned (first vertex in tile)');
  out('layer                  tuilerie  tilemaker  ratio     tuilerie  tilemaker  ratio');
  const ratio = (x: number, y: number) => (y ? (x / y).toFixed(2) : '-').padStart(6);
  for (const layer of [...new Set([...a.all.keys(), ...b.all.keys()])].sort()) {
    const x = a.all.get(layer) ?? 0, y = b.all.get(layer) ?? 0, xo = a.owned.get(layer) ?? 0, yo = b.owned.get(layer) ?? 0;
    out(`${layer.padEnd(22)} ${String(x).padStart(8)} ${String(y).padStart(10)} ${ratio(x, y)}    ${String(xo).padStart(8)} ${String(yo).padStart(10)} ${ratio(xo, yo)}`);
  }
}

main();
