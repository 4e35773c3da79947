/**
 * `npm run bench:scale`: import and route-build at region scale (issue 13). For each
 * size, a scale extract of N copies of mulhouse + wehr + schopfheim (the shared
 * fast generator, cached under .bench/), also split into nine overlapping files
 * (the region's nine extracts), and a connected variant for routing:
 *   tuilerie import, defaults and --max-memory 2G (one file; nine files)
 *   tilemaker (OpenMapTiles example config, as bench:import) up to BENCH_TILEMAKER_MAX_NODES
 *   tuilerie route-build on the connected variant
 * tilemaker runs right after tuilerie's default run, so the two see the same load on a
 * shared machine; each row carries the 1-minute load average before and after it, and
 * tuilerie rows the wall and CPU time of each import stage (CPU/wall = cores busy).
 * prints wall, CPU, peak RSS, peak temporary disk, RSS bytes per node, tiles, and a
 * fit (least squares, intercept + slope per node) projected to 300 M nodes with a
 * verdict per target.
 *   BENCH_SCALE_COPIES        sizes, default 800,3200,6400
 *   BENCH_TILEMAKER_MAX_NODES default 54e6
 *   BENCH_SCALE_RUNS          runs to do (default all): tuilerie,tuilerie-2G,tuilerie-nine,tuilerie-nine-2G,tilemaker,route-build;
 *                             `report`: none, only the table and fit of the saved rows
 * Every row is saved in .bench/scale-rows.json (replacing the saved row of the same size and run), and
 * the closing table and fit cover all saved rows, so long runs can be done in several invocations;
 * each row says when it ran. Delete that file to start over. Outputs are named by the process id, so
 * invocations can run side by side (e.g. tuilerie and tilemaker under the same load).
 *   TUILERIE_TEST_DATA        shared data dir (default ../shared/data)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { timedRun, writeTilemakerConfig } from './bench_tools.js';
import { connectCopies } from './connect_copies.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = path.resolve(process.env.TUILERIE_TEST_DATA ?? path.join(root, '..', 'shared', 'data'));
const work = path.join(root, '.bench');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const sizes = (process.env.BENCH_SCALE_COPIES ?? '800,3200,6400').split(',').map(Number);
const tilemakerMax = Number(process.env.BENCH_TILEMAKER_MAX_NODES ?? 54e6);
const runs = new Set((process.env.BENCH_SCALE_RUNS ?? 'tuilerie,tuilerie-2G,tuilerie-nine,tuilerie-nine-2G,tilemaker,route-build').split(','));
const REGION_NODES = 300e6;
const GIB = 2 ** 30;

function out(s: string): void {
  process.stdout.write(s + '\n');
}

interface StageTime { stage: string; ms: number; cpuMs: number }
interface Row {
  size: number; nodes: number; run: string; seconds: number; cpu: number; rss: number; temp?: number; tiles?: number; pbf: number;
  /** The memory budget a tuilerie import ran with (its summary's maxMemoryBytes: --max-memory or the default). */
  budget?: number;
  /** 1-minute load average before and after the run. */
  load: [number, number];
  /** When the run ended (ISO). */
  at: string;
  stages?: StageTime[];
}
type Run = Omit<Row, 'size' | 'nodes' | 'pbf' | 'load' | 'at'>;
const savedRows = path.join(work, 'scale-rows.json');

function loadRows(): Row[] {
  return fs.existsSync(savedRows) ? JSON.parse(fs.readFileSync(savedRows, 'utf8')) as Row[] : [];
}

/** Saves `row` in place of a saved row of the same size and run (temp file, then rename). */
function saveRow(row: Row): void {
  const rows = loadRows().filter((r) => r.size !== row.size || r.run !== row.run);
  rows.push(row);
  rows.sort((a, b) => a.size - b.size);
  fs.writeFileSync(savedRows + '.tmp', JSON.stringify(rows, null, 1));
  fs.renameSync(savedRows + '.tmp', savedRows);
}

/** The scale extract of `copies` copies (generated once), its node count, and its nine-file split and connected variant. */
async function inputs(copies: number): Promise<{ file: string; nodes: number; nine: string[]; connected: string }> {
  const file = path.join(work, `scale-${copies}.osm.pbf`);
  const sources = ['mulhouse.osm.pbf', 'wehr.osm.pbf', 'schopfheim.osm.pbf'].map((f) => path.join(shared, 'osm', f));
  if (!fs.existsSync(file)) {
    out(`generating ${file} …`);
    execFileSync('python3', [path.join(shared, '..', 'scripts', 'make-big-extract.py'), file + '.part.osm.pbf', String(copies), ...sources], { stdio: 'inherit' });
    fs.renameSync(file + '.part.osm.pbf', file);
  }
  const { nodes, bbox } = fileInfo(file);
  const nine = Array.from({ length: 9 }, (_, i) => path.join(work, `scale-${copies}-part${i}.osm.pbf`));
  if ((runs.has('tuilerie-nine') || runs.has('tuilerie-nine-2G')) && !nine.every((f) => fs.existsSync(f))) {
    const [w, s, e, n] = bbox;
    const dx = (e - w) / 3, dy = (n - s) / 3, mx = dx * 0.03, my = dy * 0.03;
    // 3 × 3 boxes overlapping by 3% of a box at their edges, as neighbouring regional extracts do
    const extracts = nine.map((f, i) => {
      const cx = i % 3, cy = Math.floor(i / 3);
      return { output: path.basename(f), bbox: [w + cx * dx - mx, s + cy * dy - my, w + (cx + 1) * dx + mx, s + (cy + 1) * dy + my] };
    });
    const config = path.join(work, `scale-${copies}-split.json`);
    fs.writeFileSync(config, JSON.stringify({ directory: work, extracts }));
    out(`splitting ${file} into nine overlapping files …`);
    execFileSync('osmium', ['extract', '--overwrite', '-c', config, file], { stdio: 'inherit' });
  }
  const connected = path.join(work, `scale-${copies}-connected.osm.pbf`);
  if (runs.has('route-build') && !fs.existsSync(connected)) {
    out(`connecting the copies of ${file} …`);
    const n = await connectCopies(file, connected + '.part.osm.pbf');
    fs.renameSync(connected + '.part.osm.pbf', connected);
    out(`  ${n} connector ways`);
  }
  return { file, nodes, nine, connected };
}

/** Node count and bounding box of `file` (one full read by osmium, kept beside it for the next runs). */
function fileInfo(file: string): { nodes: number; bbox: number[] } {
  const cached = file.replace(/\.osm\.pbf$/, '.info.json');
  if (fs.existsSync(cached) && fs.statSync(cached).mtimeMs >= fs.statSync(file).mtimeMs) return JSON.parse(fs.readFileSync(cached, 'utf8'));
  const info = JSON.parse(execFileSync('osmium', ['fileinfo', '-e', '-j', file], { encoding: 'utf8', maxBuffer: 1 << 24 })) as {
    data: { count: { nodes: number }; bbox: number[] };
  };
  const r = { nodes: info.data.count.nodes, bbox: info.data.bbox };
  fs.writeFileSync(cached, JSON.stringify(r));
  return r;
}

function size(f: string): number {
  return fs.statSync(f).size;
}

function tuilerie(label: string, args: string[], ins: string[]): Run {
  const o = path.join(work, `bench-scale-${process.pid}-${label}.mbtiles`);
  fs.rmSync(o, { force: true });
  const r = timedRun(process.execPath, [cli, 'import', '--json', ...args, '--out', o, ...ins]);
  const s = JSON.parse(r.stdout) as { tiles: number; peakTempBytes: number; stages: StageTime[]; maxMemoryBytes?: number };
  fs.rmSync(o, { force: true });
  return {
    run: label, seconds: r.seconds, cpu: r.cpuSeconds, rss: r.peakKb * 1024, temp: s.peakTempBytes, tiles: s.tiles, stages: s.stages, budget: s.maxMemoryBytes,
  };
}

function tilemaker(file: string, tm: { config: string; process: string }): Run {
  const o = path.join(work, `bench-scale-${process.pid}-tilemaker.mbtiles`);
  fs.rmSync(o, { force: true });
  const r = timedRun('tilemaker', ['--input', file, '--output', o, '--config', tm.config, '--process', tm.process]);
  const tiles = Number(execFileSync('sqlite3', [o, 'SELECT count(*) FROM tiles'], { encoding: 'utf8' }).trim());
  fs.rmSync(o, { force: true });
  return { run: 'tilemaker', seconds: r.seconds, cpu: r.cpuSeconds, rss: r.peakKb * 1024, tiles };
}

/** Least squares y = a + b·x (through the origin when there is one point). */
function fit(xs: number[], ys: number[]): (x: number) => number {
  if (xs.length === 1) return (x) => (ys[0] / xs[0]) * x;
  const n = xs.length, mx = xs.reduce((a, b) => a + b) / n, my = ys.reduce((a, b) => a + b) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; }
  const b = sxy / sxx;
  return (x) => my + b * (x - mx);
}

async function main(): Promise<void> {
  fs.mkdirSync(work, { recursive: true });
  const tm = writeTilemakerConfig(work);
  for (const copies of runs.has('report') ? [] : sizes) {
    const inp = await inputs(copies);
    const base = { size: copies, nodes: inp.nodes, pbf: size(inp.file) };
    const add = (label: string, run: () => Run): void => {
      if (!runs.has(label)) return;
      const before = os.loadavg()[0];
      const row: Row = { ...base, ...run(), load: [before, os.loadavg()[0]], at: new Date().toISOString() };
      saveRow(row);
      print([row]);
    };
    add('tuilerie', () => tuilerie('tuilerie', [], [inp.file]));
    if (inp.nodes <= tilemakerMax) add('tilemaker', () => tilemaker(inp.file, tm));
    add('tuilerie-2G', () => tuilerie('tuilerie-2G', ['--max-memory', '2G'], [inp.file]));
    add('tuilerie-nine', () => tuilerie('tuilerie-nine', [], inp.nine));
    add('tuilerie-nine-2G', () => tuilerie('tuilerie-nine-2G', ['--max-memory', '2G'], inp.nine));
    add('route-build', () => {
      const g = path.join(work, `bench-scale-${process.pid}.routing`);
      const r = timedRun(process.execPath, [cli, 'route-build', '--out', g, inp.connected]);
      fs.rmSync(g, { force: true });
      return { run: 'route-build', seconds: r.seconds, cpu: r.cpuSeconds, rss: r.peakKb * 1024 };
    });
  }
  const rows = loadRows();
  out(`\n## all saved runs (${savedRows})`);
  print(rows);
  verdicts(rows);
}

function print(rows: Row[]): void {
  for (const r of rows) {
    out(`${String(r.size).padStart(5)} copies ${(r.nodes / 1e6).toFixed(1).padStart(6)} M nodes  ${r.run.padEnd(17)} wall ${r.seconds.toFixed(0).padStart(5)} s  CPU ${r.cpu.toFixed(0).padStart(5)} s  ` +
      `peak RSS ${(r.rss / 2 ** 20).toFixed(0).padStart(6)} MiB (${(r.rss / r.nodes).toFixed(1)} B/node)  ` +
      `temp ${r.temp === undefined ? '   -' : (r.temp / 2 ** 20).toFixed(0).padStart(4) + ' MiB'}  tiles ${r.tiles ?? '-'}  ` +
      (r.budget === undefined ? '' : `budget ${(r.budget / GIB).toFixed(2)} GiB  `) +
      `load ${r.load[0].toFixed(1)}→${r.load[1].toFixed(1)}  ${r.at.slice(0, 16)}`);
    if (r.stages) {
      out('        ' + r.stages.map((t) => `${t.stage} ${(t.ms / 1000).toFixed(0)} s/${(t.cpuMs / 1000).toFixed(0)} s CPU (${(t.cpuMs / Math.max(1, t.ms)).toFixed(2)} cores)`).join(', '));
    }
  }
}

function verdicts(rows: Row[]): void {
  out(`\n## projection to ${REGION_NODES / 1e6} M nodes (fit over ${new Set(rows.map((r) => r.size)).size} size(s))`);
  const project = (run: string, key: 'seconds' | 'cpu' | 'rss'): number | undefined => {
    const rs = rows.filter((r) => r.run === run);
    return rs.length === 0 ? undefined : fit(rs.map((r) => r.nodes), rs.map((r) => r[key]))(REGION_NODES);
  };
  const verdict = (what: string, value: number | undefined, target: number, unit: (v: number) => string): void => {
    if (value === undefined) return;
    out(`  ${what.padEnd(44)} ${unit(value).padStart(12)}  target ≤ ${unit(target).padEnd(10)} ${value <= target ? 'MET' : 'NOT MET'}`);
  };
  const min = (v: number): string => `${(v / 60).toFixed(1)} min`;
  const gib = (v: number): string => `${(v / GIB).toFixed(2)} GiB`;
  const x = (v: number): string => `${v.toFixed(2)}x`;
  verdict('import wall (defaults)', project('tuilerie', 'seconds'), 20 * 60, min);
  // the fit weighs small sizes that fit in memory; the two largest give the cost of each node added past them
  const defaults = rows.filter((r) => r.run === 'tuilerie');
  if (defaults.length > 2) {
    const [a, b] = defaults.slice(-2);
    verdict('import wall (defaults), two largest sizes', fit([a.nodes, b.nodes], [a.seconds, b.seconds])(REGION_NODES), 20 * 60, min);
  }
  const fitted = project('tuilerie', 'rss');
  const fitted2G = project('tuilerie-2G', 'rss');
  verdict('import peak RSS (defaults), straight-line fit', fitted, 6 * GIB, gib);
  // an import keeps its peak under its budget whatever the input (what does not fit spills): the fit is capped by the
  // default budget, but only when every measured run kept under its own
  const budgeted = rows.filter((r) => r.budget !== undefined);
  const defaultBudget = rows.filter((r) => r.run === 'tuilerie' && r.budget !== undefined).pop()?.budget;
  if (budgeted.length > 0) {
    const worst = budgeted.reduce((a, b) => (a.rss / a.budget! > b.rss / b.budget! ? a : b));
    verdict(`peak RSS / budget, worst run (${worst.run}, ${(worst.nodes / 1e6).toFixed(0)} M)`, worst.rss / worst.budget!, 1, x);
    if (worst.rss <= worst.budget!) {
      if (fitted !== undefined && defaultBudget !== undefined) {
        verdict(`import peak RSS (defaults), within its ${gib(defaultBudget)} budget`, Math.min(fitted, defaultBudget), 6 * GIB, gib);
      }
      if (fitted2G !== undefined) verdict('import peak RSS (--max-memory 2G), within it', Math.min(fitted2G, 2 * GIB), 2.2 * GIB, gib);
    }
  }
  verdict('import peak RSS (--max-memory 2G), largest size', rows.filter((r) => r.run === 'tuilerie-2G').pop()?.rss, 2.2 * GIB, gib);
  verdict('import peak RSS (--max-memory 2G), straight-line fit', fitted2G, 2.2 * GIB, gib);
  verdict('nine inputs peak RSS (defaults), projected', project('tuilerie-nine', 'rss'), 6 * GIB, gib);
  verdict('route-build wall', project('route-build', 'seconds'), 30 * 60, min);
  verdict('route-build peak RSS', project('route-build', 'rss'), 6 * GIB, gib);
  const pairs = rows.filter((r) => r.run === 'tilemaker').flatMap((t) => {
    const own = rows.find((r) => r.run === 'tuilerie' && r.size === t.size);
    return own ? [[own, t] as const] : [];
  });
  const last = pairs.pop();
  if (last) {
    verdict(`wall vs tilemaker at ${(last[1].nodes / 1e6).toFixed(1)} M nodes`, last[0].seconds / last[1].seconds, 0.67, x);
    verdict(`CPU vs tilemaker at ${(last[1].nodes / 1e6).toFixed(1)} M nodes`, last[0].cpu / last[1].cpu, 0.67, x);
  }
  const imports = rows.filter((r) => r.run === 'tuilerie');
  if (imports.length > 1) {
    const a = imports[0], b = imports[imports.length - 1];
    verdict('CPU per M nodes, largest / smallest size', (b.cpu / b.nodes) / (a.cpu / a.nodes), 1.2, x);
  }
  const temps = rows.filter((r) => r.temp !== undefined);
  if (temps.length > 0) verdict('peak temp disk / input PBF (worst run)', Math.max(...temps.map((r) => r.temp! / r.pbf)), 3, x);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
