/**
 * `npm run bench:stall [-- --wms-size 4096 --static-size 4096 --plan-paper A1 --plan-dpi 150 --poll-ms 10 --cpu-prof DIR --trace-gc FILE]`:
 * does heavy pixel work stall the server's other answers? A real server
 * (`tuilerie serve`, our own import of the Mulhouse extract, osm-bright) gets
 * at once 4 large WMS GetMaps (EPSG:2154 twice, EPSG:3857, EPSG:4326), 4
 * static maps of 4096², and a PNG plan on A1, while /health and a cached
 * vector tile are polled every 10 ms. Prints the latency of those polls
 * (p50/p99/max, against the targets p99 < 50 ms, max < 200 ms), the server's
 * own event-loop delay (from /metrics, to tell a blocked loop from a busy
 * machine), a per-second timeline of both, CPU time of the server and of its
 * browser, peak RSS, and the load average, which is shared with whatever else
 * runs on the machine. `--cpu-prof DIR` writes the server's V8 CPU profiles
 * there (one per thread) for finding what blocks its loop; `--trace-gc FILE`
 * keeps the server's V8 GC trace there and prints how often its event loop's
 * heap was collected during the load, and the longest pause. Exits non-zero
 * when a heavy request fails.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { crsByCode, boundsInCrs } from '../src/ogc/crs.js';
import { lonLatToMercator } from '../src/core/tile_math.js';
import { timedRun } from './bench_tools.js';
import { BENCH, CLI, MULHOUSE, SHARED, commandOf, mib, out, processTree, rss, sleep, startServe, statCpu, tileAt } from './serve_harness.js';

const TARGET_P99_MS = 50, TARGET_MAX_MS = 200;

/** Our importer's archive of the Mulhouse extract, cached under .bench/data. */
function mulhouseArchive(): string {
  const file = path.join(BENCH, 'data', 'mulhouse.mbtiles');
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  out('importing Mulhouse with tuilerie import …');
  timedRun(process.execPath, [CLI, 'import', '--out', file, '--natural-earth', path.join(SHARED, 'naturalearth'), '--quiet', path.join(SHARED, 'osm', 'mulhouse.osm.pbf')]);
  return file;
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** CPU seconds of a set of processes (those gone meanwhile count nothing). */
function cpuSeconds(pids: number[]): number {
  return pids.map((p) => statCpu(`/proc/${p}/stat`)).filter(Number.isFinite).reduce((a, b) => a + b, 0);
}

/** CPU seconds of a process's main thread alone: its event loop (worker and libvips threads excluded). */
function mainThreadCpu(pid: number): number {
  return statCpu(`/proc/${pid}/task/${pid}/stat`);
}

function serverCpu(pid: number): { node: number; browser: number } {
  const tree = processTree(pid);
  const browser = tree.filter((p) => /chrom/i.test(commandOf(p)));
  return { node: cpuSeconds(tree.filter((p) => !browser.includes(p))), browser: cpuSeconds(browser) };
}

/**
 * One poller: a GET every `everyMs` whether or not the previous ones came back
 * (open loop), so a stall of S seconds shows as S / everyMs slow answers, not one.
 */
class Poller {
  readonly samples: { at: number; ms: number }[] = [];
  failures = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly url: string, everyMs: number, private readonly agent: http.Agent) {
    this.timer = setInterval(() => {
      const p = this.poll();
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    }, everyMs);
  }

  private get(): Promise<number> {
    return new Promise((resolve, reject) => {
      http.get(this.url, { agent: this.agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      }).on('error', reject);
    });
  }

  private async poll(): Promise<void> {
    const at = Date.now(), t = performance.now();
    try {
      if ((await this.get()) !== 200) this.failures++;
    } catch {
      this.failures++;
    }
    this.samples.push({ at, ms: performance.now() - t });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.inflight);
  }

  stats(from = 0, to = Infinity): { n: number; p50: number; p99: number; max: number } {
    const ms = this.samples.filter((s) => s.at >= from && s.at < to).map((s) => s.ms).sort((a, b) => a - b);
    return { n: ms.length, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: ms.length ? ms[ms.length - 1] : NaN };
  }
}

/** The server's event-loop delay gauges (seconds) for the window since the previous scrape. */
async function loopDelay(url: string): Promise<{ p50: number; p99: number; max: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const g = (name: string) => Number(new RegExp(`^tuilerie_event_loop_delay_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) * 1000;
  return { p50: g('p50'), p99: g('p99'), max: g('max') };
}

interface Heavy {
  name: string;
  run: () => Promise<{ status: number; bytes: number }>;
  ms?: number;
  status?: number;
  bytes?: number;
  start?: number;
  end?: number;
}

async function getBytes(url: string, init?: RequestInit): Promise<{ status: number; bytes: number; body: Buffer }> {
  const res = await fetch(url, init);
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes: body.length, body };
}

function heavyRequests(url: string, o: { wms: number; statics: number; paper: string; dpi: number }): Heavy[] {
  const [lon, lat] = MULHOUSE;
  const span = 0.06;
  const ll: [number, number, number, number] = [lon - span, lat - span * 0.67, lon + span, lat + span * 0.67];
  const l93 = boundsInCrs(crsByCode('EPSG:2154'), ll);
  const [mx0, my0] = lonLatToMercator(ll[0], ll[1]), [mx1, my1] = lonLatToMercator(ll[2], ll[3]);
  const wms = (crs: string, bbox: number[]) => async () => {
    const q = `SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=bright&STYLES=&CRS=${crs}&BBOX=${bbox.map((v) => v.toFixed(6)).join(',')}&WIDTH=${o.wms}&HEIGHT=${o.wms}&FORMAT=image/png`;
    return getBytes(`${url}/wms?${q}`);
  };
  const shifted = (b: number[], f: number) => [b[0] + (b[2] - b[0]) * f, b[1], b[2] + (b[2] - b[0]) * f, b[3]];
  const list: Heavy[] = [
    { name: `WMS EPSG:2154 ${o.wms}² png`, run: wms('EPSG:2154', l93) },
    { name: `WMS EPSG:2154 ${o.wms}² png (east)`, run: wms('EPSG:2154', shifted(l93, 0.5)) },
    { name: `WMS EPSG:3857 ${o.wms}² png`, run: wms('EPSG:3857', [mx0, my0, mx1, my1]) },
    // WMS 1.3.0 EPSG:4326 takes latitude first
    { name: `WMS EPSG:4326 ${o.wms}² png`, run: wms('EPSG:4326', [ll[1], ll[0], ll[3], ll[2]]) },
  ];
  for (let i = 0; i < 4; i++) {
    const c = `${(lon + (i - 1.5) * 0.01).toFixed(4)},${(lat + (i % 2) * 0.01).toFixed(4)},${13 + (i % 2)}`;
    list.push({ name: `static ${o.statics}² png #${i + 1}`, run: () => getBytes(`${url}/styles/bright/static/${c}/${o.statics}x${o.statics}.png`) });
  }
  list.push({
    name: `plan ${o.paper} ${o.dpi} dpi png`,
    run: async () => {
      const post = await fetch(`${url}/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ place: 'Mulhouse', paper: o.paper, dpi: o.dpi, format: 'png', style: 'bright' }) });
      const job = (await post.json()) as { id?: string; error?: string };
      if (post.status !== 202 || !job.id) return { status: post.status, bytes: 0 };
      for (;;) {
        await sleep(500);
        const st = (await (await fetch(`${url}/plans/${job.id}`)).json()) as { state: string };
        if (st.state === 'done') break;
        if (st.state === 'failed' || st.state === 'cancelled') return { status: 500, bytes: 0 };
      }
      return getBytes(`${url}/plans/${job.id}/plan.png`);
    },
  });
  return list;
}

/**
 * The event loop's collections in a --trace-gc log between two of its
 * timestamps: lines of the main isolate (the first to collect; worker threads
 * have isolates of their own) counted by kind, with the longest pause.
 */
function gcSummary(file: string, fromMs: number, toMs: number): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n').map((l) => /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+) ms: (Scavenge|Mark-Compact|Minor Mark-Sweep)\b.*?MB, ([\d.]+) \//.exec(l)).filter((m) => m !== null);
  const main = lines[0]?.[1];
  const during = lines.filter((m) => m[1] === main && Number(m[2]) >= fromMs && Number(m[2]) <= toMs);
  const count = (kind: string) => during.filter((m) => m[3] === kind).length;
  const longest = Math.max(0, ...during.map((m) => Number(m[4])));
  return `server event-loop heap during the load (--trace-gc): ${count('Mark-Compact')} mark-compacts, ${count('Scavenge')} scavenges, longest pause ${longest.toFixed(1)} ms`;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(1).padStart(8) : '       -');
const load = () => os.loadavg().map((v) => v.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'wms-size': { type: 'string', default: '4096' }, 'static-size': { type: 'string', default: '4096' }, 'plan-paper': { type: 'string', default: 'A1' }, 'plan-dpi': { type: 'string', default: '150' }, 'poll-ms': { type: 'string', default: '10' }, 'cpu-prof': { type: 'string' }, 'trace-gc': { type: 'string' } } });
  const pollMs = Number(values['poll-ms']);
  const mbtiles = mulhouseArchive();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-stall-'));
  // no queue deadline and a long render limit: every heavy request is to finish, however loaded the machine
  const server = await startServe({ dir, sources: { mulhouse: mbtiles }, extraConfig: { raster: { queueWaitMs: 0, timeoutMs: 600_000, maxQueue: 64 } }, nodeArgs: [...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []), ...(values['trace-gc'] ? ['--trace-gc'] : [])], stdoutFile: values['trace-gc'] });
  const pid = server.child.pid!;
  const agent = new http.Agent({ keepAlive: true });
  let failed = false;
  try {
    const t14 = tileAt(MULHOUSE[0], MULHOUSE[1], 14);
    const tilePath = `/data/mulhouse/14/${t14.x}/${t14.y}.pbf`;
    const tile = await getBytes(server.url + tilePath);
    if (tile.status !== 200) throw new Error(`vector tile ${tilePath}: HTTP ${tile.status}`);
    // starts the browser (not measured: it is a one-time cost, in its own processes)
    const warm = await getBytes(`${server.url}/styles/bright/static/${MULHOUSE.join(',')},13/256x256.png`);
    if (warm.status !== 200) throw new Error(`warm-up static map: HTTP ${warm.status} ${warm.body.toString().slice(0, 300)}`);

    out(`bench:stall against ${server.url} (Mulhouse, our import; osm-bright), polling /health and ${tilePath} every ${pollMs} ms`);
    // idle baseline: what the machine gives a poll right now, with nothing heavy running
    await loopDelay(server.url);
    const idle = [new Poller(server.url + '/health', pollMs, agent), new Poller(server.url + tilePath, pollMs, agent)];
    await sleep(3000);
    await Promise.all(idle.map((p) => p.stop()));
    const idleLoop = await loopDelay(server.url);
    const loadIdle = load();

    const heavy = heavyRequests(server.url, { wms: Number(values['wms-size']), statics: Number(values['static-size']), paper: values['plan-paper']!, dpi: Number(values['plan-dpi']) });
    const cpu0 = serverCpu(pid), benchCpu0 = process.cpuUsage();
    const pollers = [new Poller(server.url + '/health', pollMs, agent), new Poller(server.url + tilePath, pollMs, agent)];
    const t0 = Date.now();
    // --trace-gc stamps each line with milliseconds since the server's isolate started
    const serverMs0 = t0 - server.startedAt;
    let peak = rss(pid), peakLoad = os.loadavg()[0];
    const timeline: { at: number; loop: { p50: number; p99: number; max: number }; active: number; mainCpu: number }[] = [];
    const main0 = mainThreadCpu(pid);
    const sampler = setInterval(() => {
      const r = rss(pid);
      peak = { node: Math.max(peak.node, r.node), browser: Math.max(peak.browser, r.browser) };
      peakLoad = Math.max(peakLoad, os.loadavg()[0]);
    }, 250);
    let scraping = true;
    const scraper = (async () => {
      while (scraping) {
        await sleep(1000);
        const loop = await loopDelay(server.url).catch(() => ({ p50: NaN, p99: NaN, max: NaN }));
        timeline.push({ at: Date.now(), loop, active: heavy.filter((h) => h.start !== undefined && h.end === undefined).length, mainCpu: mainThreadCpu(pid) });
      }
    })();
    await Promise.all(heavy.map(async (h) => {
      h.start = Date.now();
      try {
        const r = await h.run();
        h.status = r.status;
        h.bytes = r.bytes;
      } catch (e) {
        h.status = -1;
        process.stderr.write(`${h.name}: ${(e as Error).message}\n`);
      }
      h.end = Date.now();
      h.ms = h.end - h.start;
    }));
    const t1 = Date.now();
    scraping = false;
    await scraper;
    await Promise.all(pollers.map((p) => p.stop()));
    clearInterval(sampler);
    const cpu1 = serverCpu(pid), benchCpu = process.cpuUsage(benchCpu0);
    const loadEnd = load();

    out('');
    out('heavy requests (all started at once):');
    for (const h of heavy) out(`  ${h.name.padEnd(34)} HTTP ${h.status}  ${((h.ms ?? 0) / 1000).toFixed(1).padStart(6)} s  ${((h.bytes ?? 0) / 1e6).toFixed(1).padStart(6)} MB`);
    failed = heavy.some((h) => h.status !== 200);
    out('');
    out(`latency of the polls during the ${((t1 - t0) / 1000).toFixed(1)} s of load (ms):      n       p50       p99       max   failures`);
    const row = (name: string, s: { n: number; p50: number; p99: number; max: number }, f: number | string) => out(`  ${name.padEnd(40)} ${String(s.n).padStart(6)}  ${fmt(s.p50)}  ${fmt(s.p99)}  ${fmt(s.max)}   ${f}`);
    row('/health, idle baseline (3 s)', idle[0].stats(), idle[0].failures);
    row('vector tile, idle baseline (3 s)', idle[1].stats(), idle[1].failures);
    row('/health, under load', pollers[0].stats(t0, t1), pollers[0].failures);
    row('vector tile, under load', pollers[1].stats(t0, t1), pollers[1].failures);
    const all = { ...pollers[0].stats(t0, t1) };
    const both = [...pollers[0].samples, ...pollers[1].samples].filter((s) => s.at >= t0 && s.at < t1).map((s) => s.ms).sort((a, b) => a - b);
    all.p99 = quantile(both, 0.99);
    all.max = both[both.length - 1];
    const loops = timeline.map((t) => t.loop).filter((l) => Number.isFinite(l.max));
    const loopMax = Math.max(...loops.map((l) => l.max)), loopP99 = Math.max(...loops.map((l) => l.p99));
    out(`  server event-loop delay, idle: p99 ${idleLoop.p99.toFixed(1)} ms, max ${idleLoop.max.toFixed(1)} ms; under load: worst 1-s p99 ${loopP99.toFixed(1)} ms, max ${loopMax.toFixed(1)} ms`);
    out('');
    out('per second under load: polls max (ms) | server loop delay p99 / max (ms) | server main-thread CPU (ms) | heavy requests running');
    for (let i = 0; i < timeline.length; i++) {
      const t = timeline[i], from = i === 0 ? t0 : timeline[i - 1].at;
      const s = [...pollers[0].samples, ...pollers[1].samples].filter((x) => x.at >= from && x.at < t.at).reduce((m, x) => Math.max(m, x.ms), 0);
      const cpu = (t.mainCpu - (i === 0 ? main0 : timeline[i - 1].mainCpu)) * 1000;
      out(`  ${String(((t.at - t0) / 1000).toFixed(0)).padStart(4)} s  ${s.toFixed(0).padStart(7)} | ${t.loop.p99.toFixed(0).padStart(6)} / ${t.loop.max.toFixed(0).padStart(6)} | ${cpu.toFixed(0).padStart(5)} | ${t.active}`);
    }
    out('');
    out(`CPU during the load: server node ${(cpu1.node - cpu0.node).toFixed(1)} s (its main thread ${(mainThreadCpu(pid) - main0).toFixed(1)} s), browser ${(cpu1.browser - cpu0.browser).toFixed(1)} s, this bench ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s; wall ${((t1 - t0) / 1000).toFixed(1)} s on ${os.cpus().length} cores`);
    out(`peak RSS: server node ${mib(peak.node)}, browser ${mib(peak.browser)}`);
    out(`load average (1/5/15 min): idle ${loadIdle}, end ${loadEnd}, highest 1-min ${peakLoad.toFixed(2)}`);
    if (values['trace-gc']) out(gcSummary(values['trace-gc'], serverMs0, serverMs0 + (t1 - t0)));
    const ok = all.p99 < TARGET_P99_MS && all.max < TARGET_MAX_MS;
    out(`targets p99 < ${TARGET_P99_MS} ms, max < ${TARGET_MAX_MS} ms over both polls: p99 ${all.p99.toFixed(1)} ms, max ${all.max.toFixed(1)} ms → ${ok ? 'met' : 'NOT met'}`);
  } finally {
    agent.destroy();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench:stall failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
