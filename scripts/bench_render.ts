/**
 * `npm run bench:render`: raster rendering figures on this machine.
 *   1. latency of one uncached tile (browser cold, then warm)
 *   2. cold seeding of z14 over the scale extract, tiles/s (256 px, metatiles of 4x4), with
 *      CPU time (node, browser), load average, and where a metatile's time goes: the
 *      renderer's stages (page setup, draw, SwiftShader raster, readPixels, run coding, protocol transfer, unpack
 *      in a worker) and the rest of the seeding wall time (cut, encode, store)
 *   3. warm (cached) req/s at 64 connections with autocannon
 *   4. peak memory (node RSS + Chromium PSS) over N renders (static 256 px maps, never cached)
 * Data: a scale extract (copies of wehr, schopfheim and mulhouse tiled over a grid by
 * ../shared/scripts/make-scale-extract.py) imported with our importer into .bench/.
 *
 * The load generator runs in a child process, so the server keeps its event loop.
 * Options: --copies N (default 16), --seed-tiles N (default 2000), --renders N (default 2000),
 * --duration S (autocannon, default 10), --connections N (default 64), --style ID (default osm-bright).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';

type AutocannonOptions = Parameters<typeof autocannon>[0];
type AutocannonResult = Awaited<ReturnType<typeof autocannon>>;
import { loadConfig } from '../src/config/load_config.js';
import { silentLogger } from '../src/core/logger.js';
import { tileRange, xToLon, yToLat, type Bounds } from '../src/core/tile_math.js';
import { TuilerieServer } from '../src/server/tuilerie_server.js';
import { seedTiles } from '../src/render/raster_seeder.js';
import { commandOf, processTree, statCpu } from './serve_harness.js';
import { ChromiumRenderer } from '../src/render/chromium_renderer.js';
import type { RenderHooks, RenderRequest } from '../src/render/renderer.js';

/** Where a render's time goes: the renderer's own stages summed over renders (ms), and how many. */
class PhaseTotals {
  renders = 0;
  total = 0;
  readonly ms = new Map<string, number>();
  add(timings: Record<string, number>, total: number): void {
    this.renders++;
    this.total += total;
    for (const [k, v] of Object.entries(timings)) this.ms.set(k, (this.ms.get(k) ?? 0) + v);
  }
  snapshot(): { renders: number; total: number; ms: Map<string, number> } {
    return { renders: this.renders, total: this.total, ms: new Map(this.ms) };
  }
}

/** The Chromium backend, timing each render's stages into `totals`. */
class TimedRenderer extends ChromiumRenderer {
  constructor(opts: ConstructorParameters<typeof ChromiumRenderer>[0], private readonly totals: PhaseTotals) {
    super(opts);
  }
  /** `total` is the time the page was taken: until the renderer is ready for the next render (decoding goes on after it). */
  override async render(req: RenderRequest, hooks: RenderHooks = {}): Promise<Buffer> {
    const t = performance.now();
    let ready = 0;
    const out = await super.render(req, { onReady: () => { ready = performance.now(); hooks.onReady?.(); } });
    this.totals.add(this.lastTimings, (ready || performance.now()) - t);
    return out;
  }
}

/** CPU seconds of a process tree's browser processes by kind (gpu-process, renderer, browser, …), from /proc. */
function browserCpuSeconds(rootPid: number): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const p of processTree(rootPid)) {
    const cmd = commandOf(p);
    if (!/chrom/i.test(cmd)) continue;
    const kind = /--type=(\S+)/.exec(cmd)?.[1] ?? 'browser';
    const cpu = statCpu(`/proc/${p}/stat`);
    // NaN: gone meanwhile
    if (Number.isFinite(cpu)) byKind.set(kind, (byKind.get(kind) ?? 0) + cpu);
  }
  return byKind;
}

/** CPU seconds per process kind between two readings, biggest first, and their total. */
function cpuSince(before: Map<string, number>, after: Map<string, number>): { total: number; kinds: [string, number][] } {
  const kinds = [...after].map(([k, v]): [string, number] => [k, v - (before.get(k) ?? 0)]).filter(([, v]) => v >= 0.05).sort((a, b) => b[1] - a[1]);
  return { total: kinds.reduce((s, [, v]) => s + v, 0), kinds };
}

const PHASES: [string, string][] = [
  ['setup', 'page: style and camera'], ['draw', 'page: tiles loaded, draw calls issued (MapLibre)'], ['raster', 'page: frame finished by SwiftShader (1-pixel readPixels)'],
  ['read', 'page: readPixels of the crop'], ['pack', 'page: run-length coding + base64'],
  ['evaluate', 'round trip of the render call (page stages included)'], ['transfer', 'readback slices over the protocol'], ['unpack', 'run decoding, flip, unpremultiply (worker thread, while the page draws the next)'],
];

function repoRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(d, 'package.json'))) d = path.dirname(d);
  return d;
}
const ROOT = repoRoot();
const BENCH = path.join(ROOT, '.bench');
const SHARED = path.resolve(process.env.TUILERIE_TEST_DATA ?? path.join(ROOT, '..', 'shared', 'data'));
const out = (line: string) => process.stdout.write(line + '\n');

function cliArgs(): string[] {
  const built = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
  return fs.existsSync(built) ? [built] : ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts')];
}

function ensureData(copies: number): string {
  const dir = path.join(BENCH, 'data');
  const mbtiles = path.join(dir, `render-scale-${copies}.mbtiles`);
  if (fs.existsSync(mbtiles)) return mbtiles;
  fs.mkdirSync(dir, { recursive: true });
  const pbf = path.join(dir, `render-scale-${copies}.osm.pbf`);
  out(`building a scale extract of ${copies} copies …`);
  const osm = (n: string) => path.join(SHARED, 'osm', n);
  execFileSync('python3', [path.join(SHARED, '..', 'scripts', 'make-scale-extract.py'), pbf, String(copies), osm('wehr.osm.pbf'), osm('schopfheim.osm.pbf'), osm('mulhouse.osm.pbf')], { stdio: 'ignore' });
  out('importing it with tuilerie import …');
  execFileSync(process.execPath, [...cliArgs(), 'import', '--out', mbtiles, '--natural-earth', path.join(SHARED, 'naturalearth'), '--quiet', pbf], { cwd: ROOT, stdio: 'ignore' });
  return mbtiles;
}

/** Proportional set size of a process tree in MiB (shared pages counted once), from /proc. */
function treePssMb(rootPid: number | undefined): number {
  if (!rootPid) return 0;
  let kb = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const m = /Pss:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    } catch {
      // the process ended while we looked
    }
  }
  return kb / 1024;
}

/**
 * autocannon in a child process: in this one it would share the event loop with
 * the server it measures.
 */
function loadInOtherProcess(opts: AutocannonOptions): Promise<AutocannonResult> {
  const code = `import('autocannon').then(async ({ default: ac }) => { const r = await ac(JSON.parse(process.env.AC_OPTS)); process.stdout.write(JSON.stringify({ requests: r.requests, latency: r.latency, non2xx: r.non2xx })); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, env: { ...process.env, AC_OPTS: JSON.stringify(opts) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += String(c)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(text) as AutocannonResult) : reject(new Error(`autocannon exited with ${code}`))));
  });
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { copies: { type: 'string' }, 'seed-tiles': { type: 'string' }, renders: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' }, style: { type: 'string' } } });
  const copies = Number(values.copies ?? 16), seedTarget = Number(values['seed-tiles'] ?? 2000), renders = Number(values.renders ?? 2000);
  const styleId = values.style ?? 'osm-bright';
  const mbtiles = ensureData(copies);
  // the disk cache is <dataDir>/raster-cache: a fresh dataDir makes every tile cold
  const runDir = path.join(BENCH, `render-run-${process.pid}`);
  const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, dataDir: runDir, sources: { scale: { path: mbtiles } }, styles: { [styleId]: { path: path.join(SHARED, 'styles', styleId, 'style.json') } } } });
  const totals = new PhaseTotals();
  const server: TuilerieServer = new TuilerieServer({ config, logger: silentLogger, services: { createRenderer: ({ pixels }) => new TimedRenderer({ allowedOrigins: [server.url()], pixels, logger: silentLogger }, totals) } });
  const url = await server.start();
  const results: [string, string][] = [];
  try {
    const meta = server.sources.get('scale')!.metadata;
    const b = meta.bounds as Bounds;
    const r14 = tileRange(b, 14);
    const cx = Math.floor((r14.minX + r14.maxX) / 2), cy = Math.floor((r14.minY + r14.maxY) / 2);

    const [first, coldMs] = await timed(() => fetch(`${url}/styles/${styleId}/14/${cx}/${cy}.png`));
    if (!first.ok) throw new Error(`first tile: HTTP ${first.status} ${await first.text()}`);
    const [, warmMs] = await timed(() => fetch(`${url}/styles/${styleId}/14/${cx + 8}/${cy + 8}.png`).then((r) => r.arrayBuffer()));
    results.push(['uncached tile, browser cold (ms)', coldMs.toFixed(0)]);
    results.push(['uncached tile, browser warm (ms)', warmMs.toFixed(0)]);

    const stack = server.services.raster;
    const style = await stack.tiles.requireStyle(styleId);
    const side = Math.ceil(Math.sqrt(seedTarget));
    const x0 = Math.max(r14.minX, cx - Math.floor(side / 2)), y0 = Math.max(r14.minY, cy - Math.floor(side / 2));
    const n = 2 ** 14;
    const area: Bounds = [xToLon(x0 / n), yToLat((y0 + side) / n), xToLon((x0 + side) / n), yToLat(y0 / n)];
    let peakSeed = 0;
    const renderer = () => stack.pool.renderers()[0] as ChromiumRenderer;
    const sampleSeed = setInterval(async () => {
      peakSeed = Math.max(peakSeed, process.memoryUsage().rss / 2 ** 20 + treePssMb(await renderer().browserPid()));
    }, 1000);
    const phases0 = totals.snapshot(), cpu0 = process.cpuUsage(), browser0 = browserCpuSeconds(process.pid), load0 = os.loadavg();
    const summary = await seedTiles({ service: stack.tiles, disk: stack.disk!, style, bounds: area, zooms: [14, 14], scales: [1], format: 'png', tileSize: 256, concurrency: 2, logger: silentLogger });
    clearInterval(sampleSeed);
    const cpu = process.cpuUsage(cpu0), browserCpu = cpuSince(browser0, browserCpuSeconds(process.pid)), phases = totals.snapshot();
    results.push([`cold seeding z14, ${summary.rendered} tiles rendered, ${summary.skipped} stored before (tiles/s)`, summary.tilesPerSecond.toFixed(1)]);
    results.push(['  metatiles rendered / time', `${summary.metatiles} / ${(summary.ms / 1000).toFixed(1)} s`]);
    results.push(['  peak memory while seeding (MiB)', peakSeed.toFixed(0)]);
    results.push(['  CPU while seeding: node (all threads) / browser (s)', `${((cpu.user + cpu.system) / 1e6).toFixed(1)} / ${browserCpu.total.toFixed(1)} (${browserCpu.kinds.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')})`]);
    results.push(['  load average before / after (1 min)', `${load0[0].toFixed(2)} / ${os.loadavg()[0].toFixed(2)} on ${os.availableParallelism()} cores`]);
    const metas = Math.max(1, phases.renders - phases0.renders);
    const renderMs = phases.total - phases0.total;
    results.push([`  per metatile (${metas} renders), ms`, `${(renderMs / metas).toFixed(0)} with the page taken; ${((summary.ms - renderMs) / metas).toFixed(0)} of seeding wall time without (decode, cut, encode, store not overlapped)`]);
    for (const [k, label] of PHASES) {
      const ms = (phases.ms.get(k) ?? 0) - (phases0.ms.get(k) ?? 0);
      results.push([`    ${label}`, `${(ms / metas).toFixed(0)} ms`]);
    }

    const paths: string[] = [];
    for (let y = y0; y < y0 + side && paths.length < 2000; y++) for (let x = x0; x < x0 + side; x++) paths.push(`/styles/${styleId}/14/${x}/${y}.png`);
    for (const p of paths.slice(0, 200)) await fetch(url + p).then((r) => r.arrayBuffer());
    const ac = await loadInOtherProcess({ url, connections: Number(values.connections ?? 64), duration: Number(values.duration ?? 10), requests: paths.slice(0, 200).map((p) => ({ path: p })) });
    results.push([`warm req/s, ${values.connections ?? 64} connections`, `${Math.round(ac.requests.average)} (p50 ${ac.latency.p50} ms, p99 ${ac.latency.p99} ms, non-2xx ${ac.non2xx})`]);
    // the same load on cached vector tiles of the same area: what this machine gives any cache hit right now
    const vpaths = paths.slice(0, 200).map((p) => p.replace(`/styles/${styleId}/`, '/data/scale/').replace(/\.png$/, '.pbf'));
    for (const p of vpaths) await fetch(url + p).then((r) => r.arrayBuffer());
    const vac = await loadInOtherProcess({ url, connections: Number(values.connections ?? 64), duration: Number(values.duration ?? 10), requests: vpaths.map((p) => ({ path: p, headers: { 'accept-encoding': 'gzip' } })) });
    results.push(['  baseline: cached vector tiles, same load (req/s)', String(Math.round(vac.requests.average))]);

    const samples: number[] = [];
    let peak = 0;
    const tStatic = Date.now();
    for (let i = 0; i < renders; i++) {
      const lon = xToLon((x0 + ((i * 7) % side) + 0.5) / n), lat = yToLat((y0 + ((i * 13) % side) + 0.5) / n);
      const res = await fetch(`${url}/styles/${styleId}/static/${lon.toFixed(5)},${lat.toFixed(5)},${(13 + (i % 3)).toFixed(1)}/256x256.png`);
      if (!res.ok) throw new Error(`static render ${i}: HTTP ${res.status}`);
      await res.arrayBuffer();
      if (i % 50 === 49 || i === renders - 1) {
        const mb = process.memoryUsage().rss / 2 ** 20 + treePssMb(await renderer().browserPid());
        samples.push(mb);
        peak = Math.max(peak, mb);
      }
    }
    const at = (f: number) => samples[Math.min(samples.length - 1, Math.floor(f * samples.length))]?.toFixed(0);
    results.push([`${renders} static 256 px renders (renders/s)`, (renders / ((Date.now() - tStatic) / 1000)).toFixed(1)]);
    results.push(['  memory at 10% / 50% / 100% (MiB)', `${at(0.1)} / ${at(0.5)} / ${at(1)}`]);
    results.push(['  peak memory, node RSS + Chromium PSS (MiB)', peak.toFixed(0)]);
    results.push(['  page recycles / browser restarts', `${stack.pool.stats().recycles} / ${stack.pool.stats().restarts}`]);
  } finally {
    await server.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  out('');
  out(`bench:render (${styleId}, scale extract of ${copies} copies)`);
  for (const [k, v] of results) out(`  ${k.padEnd(52)} ${v}`);
}

main().catch((e) => {
  process.stderr.write(`bench:render failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
