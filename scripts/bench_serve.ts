/**
 * `npm run bench:serve`: serves one MBTiles with tuilerie and with
 * tileserver-gl-light (installed on demand into .bench/, never a project
 * dependency), replays the same z10–z14 tile list against each with autocannon
 * at 64 connections, and prints req/s, p50 and p99 for each and the ratio.
 *
 * Options: --mbtiles FILE (default: tilemaker import of heidelberg-routing into
 * .bench/), --duration S (default 20), --connections N (default 64),
 * --tileserver-version V (default 5.6.0), --workers N (also measure tuilerie
 * with N processes, default 2; 1 to skip; tuilerie with 1 and N processes is also
 * measured with clients that do not accept gzip, where each request costs the
 * server more than the load generator, and with WMS GetFeatureInfo clicks, which
 * cost the server far more than the generator: there the gain of more processes
 * shows), --tool autocannon|wrk, --baseline (also measure plain node
 * http with a fixed body: the ceiling of this machine and load generator).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { seededRandom } from '../src/core/seeded_random.js';
import { freePort, out } from './serve_harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BENCH = path.join(ROOT, '.bench');
const SHARED = path.resolve(process.env.TUILERIE_TEST_DATA ?? path.join(ROOT, '..', 'shared', 'data'));


function ensureTileserver(version: string): string {
  const dir = path.join(BENCH, 'tsgl');
  const main = path.join(dir, 'node_modules', 'tileserver-gl-light', 'src', 'main.js');
  if (!fs.existsSync(main)) {
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"bench-tsgl","private":true}\n');
    out(`installing tileserver-gl-light@${version} into ${dir} …`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `tileserver-gl-light@${version}`], { cwd: dir, stdio: 'inherit' });
  }
  return main;
}

function ensureMbtiles(): string {
  const file = path.join(BENCH, 'data', 'heidelberg.mbtiles');
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const examples = '/usr/share/doc/tilemaker/examples';
  const config = JSON.parse(fs.readFileSync(path.join(examples, 'config-openmaptiles.json'), 'utf8'));
  for (const [name, layer] of Object.entries(config.layers as Record<string, { source?: string }>)) if (layer.source) delete config.layers[name];
  const cfg = path.join(BENCH, 'data', 'tilemaker-config.json');
  fs.writeFileSync(cfg, JSON.stringify(config));
  out('importing heidelberg-routing.osm.pbf with tilemaker …');
  execFileSync('tilemaker', ['--input', path.join(SHARED, 'osm', 'heidelberg-routing.osm.pbf'), '--output', file, '--config', cfg, '--process', path.join(examples, 'process-openmaptiles.lua')], { cwd: path.dirname(file), stdio: 'ignore' });
  return file;
}

function tileList(file: string): string[] {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT zoom_level AS z, tile_column AS x, tile_row AS row FROM tiles WHERE zoom_level BETWEEN 10 AND 14 ORDER BY zoom_level, tile_column, tile_row').all() as Array<{ z: number; x: number; row: number }>;
  db.close();
  return rows.map((r) => `${r.z}/${r.x}/${(1 << r.z) - 1 - r.row}`);
}

async function waitHttp(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering ${url}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

interface Figures { name: string; rps: number; p50: number; p99: number; errors: number; non2xx: number; requests: number }

interface LoadOptions {
  duration: number;
  connections: number;
  tool: 'autocannon' | 'wrk';
  /** Clients that accept gzip (browsers, QGIS) get the stored bytes; others (curl, some GIS clients) get them inflated. */
  gzip: boolean;
}

/** wrk (C, lighter on the shared CPU than autocannon) cycling through the tile list, figures printed as JSON by its Lua `done`. */
function wrkRun(target: { base: string; paths: string[] }, o: { duration: number; connections: number; gzip: boolean }): Figures {
  const { base, paths } = target;
  const { duration, connections, gzip } = o;
  const script = path.join(BENCH, 'wrk-tiles.lua');
  fs.writeFileSync(script, `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], ${gzip ? '{ ["Accept-Encoding"] = "gzip, deflate, br" }' : '{}'})
end
done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format('JSON{"rps":%f,"p50":%f,"p99":%f,"requests":%d,"errors":%d,"non2xx":%d}\\n',
    s.requests / (s.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, s.requests,
    e.connect + e.read + e.write + e.timeout, e.status))
end
`);
  const text = execFileSync('wrk', ['-t2', `-c${connections}`, `-d${duration}s`, '--timeout', '10s', '-s', script, base], { encoding: 'utf8' });
  const m = /JSON(\{.*\})/.exec(text);
  if (!m) throw new Error(`no figures in wrk output:\n${text}`);
  const f = JSON.parse(m[1]) as Omit<Figures, 'name'>;
  return { name: '', ...f };
}

/** A server under load: its label in the results, base URL and the paths cycled through. */
interface Target { name: string; base: string; paths: string[] }

const tilePaths = (prefix: string, tiles: string[]) => tiles.map((t) => `${prefix}/${t}.pbf`);

const EARTH_HALF = 20037508.342789244;

/**
 * Server-bound requests: WMS GetFeatureInfo clicks (seeded) on the archive's z14
 * tiles through the osm-bright style, each decoding a tile and testing its
 * features in the server (no rendering), light on the load generator.
 */
function featureInfoPaths(tiles: string[], count = 400): string[] {
  const z14 = tiles.filter((t) => t.startsWith('14/'));
  const random = seededRandom(14);
  const paths: string[] = [];
  for (let i = 0; i < count && z14.length; i++) {
    const [z, x, y] = z14[Math.floor(random() * z14.length)].split('/').map(Number);
    const size = (2 * EARTH_HALF) / 2 ** z;
    const bbox = [-EARTH_HALF + x * size, EARTH_HALF - (y + 1) * size, -EARTH_HALF + (x + 1) * size, EARTH_HALF - y * size].map((v) => v.toFixed(2)).join(',');
    paths.push(`/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=bright&QUERY_LAYERS=bright&STYLES=&CRS=EPSG:3857&BBOX=${bbox}&WIDTH=256&HEIGHT=256&I=${Math.floor(random() * 256)}&J=${Math.floor(random() * 256)}&INFO_FORMAT=application/json&FEATURE_COUNT=5`);
  }
  return paths;
}

async function loadPaths(target: Target, opts: LoadOptions): Promise<Figures> {
  const { name, base, paths } = target;
  const headers: Record<string, string> = opts.gzip ? { 'accept-encoding': 'gzip, deflate, br' } : {};
  if (opts.tool === 'wrk') {
    wrkRun(target, { duration: 3, connections: opts.connections, gzip: opts.gzip }); // warm-up: caches and JIT, same for every server
    return { ...wrkRun(target, opts), name };
  }
  const requests = paths.map((p) => ({ method: 'GET', path: p, headers }));
  await autocannon({ url: base, connections: opts.connections, duration: 3, requests });
  const r = await autocannon({ url: base, connections: opts.connections, duration: opts.duration, requests });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, requests: r.requests.total };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mbtiles: { type: 'string' }, duration: { type: 'string', default: '20' }, connections: { type: 'string', default: '64' }, 'tileserver-version': { type: 'string', default: '5.6.0' }, baseline: { type: 'boolean', default: false }, workers: { type: 'string', default: '2' }, tool: { type: 'string', default: 'autocannon' } } });
  if (values.tool !== 'autocannon' && values.tool !== 'wrk') throw new Error(`--tool must be autocannon or wrk (got ${values.tool})`);
  const tool = values.tool;
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const cli = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} missing: run npm run build first`);
  const tsglMain = ensureTileserver(values['tileserver-version']!);
  const mbtiles = path.resolve(values.mbtiles ?? ensureMbtiles());
  const tiles = tileList(mbtiles);
  if (tiles.length === 0) throw new Error(`${mbtiles} has no tiles between z10 and z14`);
  out(`archive ${mbtiles}: ${tiles.length} tiles z10–z14; ${tool}, ${connections} connections, ${duration} s per server, Accept-Encoding: gzip`);

  const results: Figures[] = [];
  const id = 'bench';
  const sourceId = path.basename(mbtiles).replace(/\.mbtiles$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '-');
  const workerCounts = [1, ...(values.workers && values.workers !== '1' ? [Number(values.workers)] : [])];
  const oursConfig = path.join(BENCH, 'bench-serve.json');
  fs.writeFileSync(oursConfig, JSON.stringify({ dataDir: path.join(BENCH, 'bench-serve-data'), styles: { bright: { path: path.join(SHARED, 'styles', 'osm-bright', 'style.json') } } }));
  for (const workers of workerCounts) {
    const port1 = await freePort();
    const ours = spawn(process.execPath, [cli, 'serve', '--config', oursConfig, '--port', String(port1), '--host', '127.0.0.1', '--no-watch', '--workers', String(workers), mbtiles], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TUILERIE_LOG_LEVEL: 'warn' } });
    try {
      await waitHttp(`http://127.0.0.1:${port1}/health`, ours);
      if (workers > 1) await new Promise((r) => setTimeout(r, 2000)); // every worker up, not just the first
      const name = workers > 1 ? `tuilerie --workers ${workers}` : 'tuilerie';
      results.push(await loadPaths({ name, base: `http://127.0.0.1:${port1}`, paths: tilePaths(`/data/${sourceId}`, tiles) }, { duration, connections, tool, gzip: true }));
      // the workers' gain where each request costs the server more than the load generator: clients without gzip
      if (workerCounts.length > 1) {
        results.push(await loadPaths({ name: `${name} (identity)`, base: `http://127.0.0.1:${port1}`, paths: tilePaths(`/data/${sourceId}`, tiles) }, { duration, connections, tool, gzip: false }));
        results.push(await loadPaths({ name: `${name} (GetFeatureInfo)`, base: `http://127.0.0.1:${port1}`, paths: featureInfoPaths(tiles) }, { duration, connections, tool, gzip: true }));
      }
    } finally {
      await stop(ours);
    }
  }

  const port2 = await freePort();
  const cfgDir = path.join(BENCH, 'tsgl-run');
  fs.mkdirSync(cfgDir, { recursive: true });
  const cfg = path.join(cfgDir, 'config.json');
  fs.writeFileSync(cfg, JSON.stringify({ options: { paths: { root: cfgDir, mbtiles: path.dirname(mbtiles) } }, data: { [id]: { mbtiles: path.basename(mbtiles) } } }));
  const theirs = spawn(process.execPath, [tsglMain, '--config', cfg, '--port', String(port2), '--bind', '127.0.0.1', '--silent'], { cwd: cfgDir, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitHttp(`http://127.0.0.1:${port2}/data/${id}.json`, theirs);
    results.push(await loadPaths({ name: 'tileserver-gl-light', base: `http://127.0.0.1:${port2}`, paths: tilePaths(`/data/${id}`, tiles) }, { duration, connections, tool, gzip: true }));
  } finally {
    await stop(theirs);
  }

  if (values.baseline) {
    // The machine's ceiling under the same load generator: plain node http sending a fixed 5 kB body.
    const port3 = await freePort();
    const code = `const b=Buffer.alloc(5000,1);require('node:http').createServer((q,r)=>{r.setHeader('Content-Type','application/x-protobuf');r.setHeader('Content-Length',b.length);r.end(b)}).listen(${port3},'127.0.0.1')`;
    const raw = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
    try {
      await waitHttp(`http://127.0.0.1:${port3}/`, raw);
      results.push(await loadPaths({ name: 'node http baseline', base: `http://127.0.0.1:${port3}`, paths: tilePaths('/data/x', tiles) }, { duration, connections, tool, gzip: true }));
    } finally {
      await stop(raw);
    }
  }

  out('');
  out('server                                   req/s      p50 ms   p99 ms   requests   errors  non-2xx');
  for (const r of results) {
    out(`${r.name.padEnd(38)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(9)} ${r.p99.toFixed(1).padStart(8)} ${String(r.requests).padStart(10)} ${String(r.errors).padStart(8)} ${String(r.non2xx).padStart(8)}`);
  }
  const them = results.find((r) => r.name === 'tileserver-gl-light')!;
  out('');
  for (const r of results.filter((x) => x.name.startsWith('tuilerie') && !x.name.endsWith(')'))) {
    out(`${r.name}: ${(r.rps / them.rps).toFixed(2)}× tileserver-gl-light req/s (target ≥ 3×); p99 ${r.p99.toFixed(1)} ms (target < 20 ms)`);
  }
  if (workerCounts.length > 1) {
    const n = workerCounts[1];
    const gain = (suffix: string) => {
      const one = results.find((r) => r.name === `tuilerie${suffix}`)!;
      const many = results.find((r) => r.name === `tuilerie --workers ${n}${suffix}`)!;
      return (many.rps / one.rps).toFixed(2);
    };
    out(`--workers ${n} over one worker: ${gain('')}× on tiles with gzip clients, ${gain(' (identity)')}× with identity clients (load generator and server share the machine's ${os.availableParallelism()} cores), ${gain(' (GetFeatureInfo)')}× on server-bound WMS GetFeatureInfo`);
  }
  const a = results[0];
  process.exitCode = a.errors + a.non2xx > 0 ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`bench_serve: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
