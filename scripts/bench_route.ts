/**
 * `npm run bench:route`: routing graph build (time, peak memory, size) and query
 * latency on Heidelberg: 1,000 random car routes (p50/p99) through the full OSRM
 * route service (snapping, CH query, unpacking, geometry, default options), the CH
 * query alone, and a 25×25 table; then the car routes and table again with
 * exclude=motorway (the class-filtered Dijkstra runs when the fastest path takes a
 * motorway). Targets on 2 cores: p50 < 2 ms, p99 < 10 ms, build < 60 s.
 *   TUILERIE_TEST_DATA   shared data dir (default ../shared/data)
 *   BENCH_ROUTES         number of routes (default 1000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRoutingGraph } from '../src/routing/build_routing_graph.js';
import { loadOsrmService } from '../src/server/routing_routes.js';
import type { OsrmService } from '../src/routing/osrm_service.js';
import { CLASS_BITS, arcClasses } from '../src/routing/road_classes.js';
import type { ProfileName } from '../src/routing/routing_profiles.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const shared = path.resolve(process.env.TUILERIE_TEST_DATA ?? path.join(root, '..', 'shared', 'data'));
const input = path.join(shared, 'osm', 'heidelberg-routing.osm.pbf');
const routes = Number(process.env.BENCH_ROUTES ?? 1000);

function out(s: string): void {
  process.stdout.write(s + '\n');
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** True when the car route between two points off motorways drives on one. */
function takesMotorway(service: OsrmService, pair: string): boolean {
  const [a, b] = pair.split(';').map((p) => p.split(',').map(Number));
  const r = service.router;
  const classes = r.data.network.edgeClasses;
  const onMotorway = (edge: number, forward: boolean): boolean => (arcClasses(classes, 2 * edge + (forward ? 0 : 1)) & CLASS_BITS.motorway) !== 0;
  const sa = r.snap('car', a[0], a[1], { mainNetwork: true })[0];
  const sb = r.snap('car', b[0], b[1], { mainNetwork: true })[0];
  if (!sa || !sb || onMotorway(sa.edge, true) || onMotorway(sb.edge, true)) return false;
  const leg = r.leg('car', sa, sb)[0];
  return !!leg && leg.pieces.some((x) => onMotorway(x.edge, x.forward));
}

/**
 * Car routes and a table with exclude=motorway, against the same requests without
 * it: the random pairs, then 200 random pairs whose fastest path takes a motorway
 * (few random pairs do), where the class-filtered search answers.
 */
function excludeBench(service: OsrmService, pairs: string[], pick: () => string, table: string): Record<string, number> {
  let failed = 0;
  const time = (c: string, q: Record<string, string>): number => {
    const s = performance.now();
    try { service.route('car', c, q); } catch { failed++; /* NoRoute and NoSegment are part of the sample */ }
    return performance.now() - s;
  };
  for (const c of pairs.slice(0, 50)) time(c, { exclude: 'motorway' });
  const normal: number[] = [];
  const excluded: number[] = [];
  for (const c of pairs) {
    normal.push(time(c, {}));
    excluded.push(time(c, { exclude: 'motorway' }));
  }
  const motorwayPairs: string[] = [];
  for (let i = 0; i < 100000 && motorwayPairs.length < 200; i++) {
    const c = `${pick()};${pick()}`;
    if (takesMotorway(service, c)) motorwayPairs.push(c);
  }
  const viaMotorway: number[] = [];
  const viaMotorwayNormal: number[] = [];
  failed = 0;
  for (const c of motorwayPairs) {
    viaMotorwayNormal.push(time(c, {}));
    viaMotorway.push(time(c, { exclude: 'motorway' }));
  }
  for (const a of [normal, excluded, viaMotorway, viaMotorwayNormal]) a.sort((x, y) => x - y);
  const t0 = performance.now();
  service.table('car', table, {});
  const tableMs = performance.now() - t0;
  const t1 = performance.now();
  service.table('car', table, { exclude: 'motorway' });
  const tableExcludeMs = performance.now() - t1;
  const f = (a: number[], p: number): string => (a.length ? pct(a, p).toFixed(2) : '-');
  out(`car exclude=motorway: ${pairs.length} routes p50 ${f(excluded, 50)} ms, p99 ${f(excluded, 99)} ms (same pairs without: p50 ${f(normal, 50)} ms, p99 ${f(normal, 99)} ms)`);
  out(`  ${viaMotorway.length} routes whose fastest path takes a motorway (filtered Dijkstra; ${failed} without a route): p50 ${f(viaMotorway, 50)} ms, p99 ${f(viaMotorway, 99)} ms, max ${viaMotorway.length ? viaMotorway.at(-1)!.toFixed(1) : '-'} ms (without exclude: p50 ${f(viaMotorwayNormal, 50)} ms, p99 ${f(viaMotorwayNormal, 99)} ms)`);
  out(`  table 25×25: ${tableExcludeMs.toFixed(1)} ms with exclude=motorway, ${tableMs.toFixed(1)} ms without`);
  return {
    excludeP50: pct(excluded, 50), excludeP99: pct(excluded, 99), viaMotorway: viaMotorway.length,
    viaMotorwayP50: viaMotorway.length ? pct(viaMotorway, 50) : NaN, viaMotorwayP99: viaMotorway.length ? pct(viaMotorway, 99) : NaN,
    table25ExcludeMs: tableExcludeMs,
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-bench-route-'));
  const file = path.join(dir, 'heidelberg.routing');
  try {
    out(`input: ${input} (${(fs.statSync(input).size / 1e6).toFixed(1)} MB), ${os.availableParallelism()} cores`);
    out(`load average at start: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (wall-clock figures suffer when other jobs share the cores; CPU times do not)`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const summary = await buildRoutingGraph({ inputs: [input], out: file });
    const buildMs = performance.now() - t0;
    const bc = process.cpuUsage(c0);
    const buildCpuS = (bc.user + bc.system) / 1e6;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    out(`build: ${(buildMs / 1000).toFixed(1)} s wall, ${buildCpuS.toFixed(1)} s CPU (all threads), peak RSS ${maxRssMb.toFixed(0)} MiB, file ${(summary.bytes / 2 ** 20).toFixed(1)} MiB`);
    out(`  stages: ${Object.entries(summary.stageMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(', ')}`);
    out(`  network: ${summary.nodes} junctions, ${summary.edges} edges, ${summary.stats.restrictions} restrictions`);
    for (const [p, x] of Object.entries(summary.profiles)) out(`  ${p}: ${x.nodes} nodes, ${x.arcs} arcs → ${x.upArcs} CH arcs, contraction ${(x.contractMs / 1000).toFixed(1)} s`);

    const tl = performance.now();
    const service = loadOsrmService(file);
    out(`load: ${(performance.now() - tl).toFixed(0)} ms (file read + snapping grid)`);
    const net = service.router.data.network;
    const results: Record<string, unknown> = { buildSeconds: buildMs / 1000, buildCpuSeconds: buildCpuS, peakRssMb: maxRssMb, fileMb: summary.bytes / 2 ** 20, loadavg: os.loadavg() };
    for (const profile of ['car', 'bicycle', 'foot'] as ProfileName[]) {
      const rnd = rng(1234);
      const pick = (): string => {
        const i = Math.floor(rnd() * net.coordLon.length);
        return `${net.coordLon[i].toFixed(6)},${net.coordLat[i].toFixed(6)}`;
      };
      const pairs = Array.from({ length: routes }, () => `${pick()};${pick()}`);
      // Warm-up: JIT and lazily built query state.
      for (let i = 0; i < 50; i++) {
        try { service.route(profile, pairs[i], {}); } catch { /* unreachable pairs are part of the sample */ }
      }
      const full: number[] = [];
      const cpu: number[] = [];
      let noRoute = 0;
      for (const c of pairs) {
        const s = performance.now();
        const u = process.cpuUsage();
        try {
          service.route(profile, c, {});
        } catch {
          noRoute++;
        }
        const du = process.cpuUsage(u);
        full.push(performance.now() - s);
        cpu.push((du.user + du.system) / 1000);
      }
      full.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      const steps: number[] = [];
      for (const c of pairs.slice(0, 200)) {
        const s = performance.now();
        try { service.route(profile, c, { steps: 'true', lang: 'fr', overview: 'full' }); } catch { /* counted above */ }
        steps.push(performance.now() - s);
      }
      steps.sort((a, b) => a - b);
      const coords = Array.from({ length: 25 }, pick).join(';');
      const ts = performance.now();
      service.table(profile, coords, {});
      const tableMs = performance.now() - ts;
      out(`${profile}: ${routes} routes p50 ${pct(full, 50).toFixed(2)} ms, p99 ${pct(full, 99).toFixed(2)} ms, max ${full.at(-1)!.toFixed(1)} ms (CPU p50 ${pct(cpu, 50).toFixed(2)} ms, p99 ${pct(cpu, 99).toFixed(2)} ms) (${noRoute} NoRoute); with steps+fr p50 ${pct(steps, 50).toFixed(2)} ms p99 ${pct(steps, 99).toFixed(2)} ms; table 25×25 ${tableMs.toFixed(1)} ms`);
      results[profile] = { p50: pct(full, 50), p99: pct(full, 99), max: full.at(-1), cpuP50: pct(cpu, 50), cpuP99: pct(cpu, 99), noRoute, stepsP50: pct(steps, 50), stepsP99: pct(steps, 99), table25Ms: tableMs };
      if (profile === 'car') results.carExclude = excludeBench(service, pairs, pick, coords);
    }
    out(JSON.stringify(results));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack ?? e) + '\n');
  process.exitCode = 1;
});
