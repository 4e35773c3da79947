/**
 * `npm run soak [-- --minutes M --rate R --connections C --workers N]`: M minutes
 * (default 10) of steady load (R requests/s overall, default 100) mixing vector
 * tiles, raster tiles, static maps and JSON/glyph requests against a real server
 * (Mulhouse archive, osm-bright), with autocannon. Prints requests served,
 * latency, responses by kind and status, errors by kind, and the resident memory
 * of the server and its browser at start (after warm-up), every minute, and at
 * the end. Loopback only; exits non-zero on any error or non-2xx/304 answer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { MULHOUSE, mib, out, rss, sleep, startServe, storedTiles, tileAt, tilemakerArchive } from './serve_harness.js';

interface SoakRequest {
  method: 'GET';
  path: string;
  headers?: Record<string, string>;
  onResponse: (status: number) => void;
}
interface SoakResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Run = (o: { url: string; connections: number; duration: number; overallRate?: number; requests: SoakRequest[]; timeout?: number }) => Promise<SoakResult>;
const run = autocannon as unknown as Run;

function mix(tiles: string[], count: (kind: string, status: number) => void): SoakRequest[] {
  const gz = { 'accept-encoding': 'gzip' };
  const req = (kind: string, p: string, headers?: Record<string, string>): SoakRequest => ({ method: 'GET', path: p, headers, onResponse: (s) => count(kind, s) });
  const raster: string[] = [];
  for (const z of [11, 12, 13, 14]) {
    const t = tileAt(MULHOUSE[0], MULHOUSE[1], z);
    for (let dx = -1; dx <= 1; dx++) raster.push(`/styles/bright/${z}/${t.x + dx}/${t.y}.png`);
  }
  const statics = ['/styles/bright/static/7.334,47.752,13/300x200.png', '/styles/bright/static/7.32,47.74,7.35,47.76/256x256.png'];
  const list: SoakRequest[] = [];
  // 200 requests per round: 170 vector, 20 raster, 1 static, 9 JSON and glyphs
  for (let i = 0; i < 170; i++) list.push(req('vector', `/data/mulhouse/${tiles[(i * 7919) % tiles.length]}.pbf`, gz));
  for (let i = 0; i < 20; i++) list.push(req('raster', raster[i % raster.length]));
  list.push(req('static', statics[0]));
  for (const p of ['/data/mulhouse.json', '/styles/bright/style.json', '/styles/bright.json', '/index.json', '/fonts/Noto%20Sans%20Regular/0-255.pbf', '/styles/bright/sprite.json', '/health', '/styles.json', '/data.json']) list.push(req('json+glyphs', p));
  // interleave so that every connection sees the whole mix
  for (let i = list.length - 1; i > 0; i--) {
    const j = (i * 2654435761) % (i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string', default: '100' }, connections: { type: 'string', default: '8' }, workers: { type: 'string', default: '1' } } });
  const minutes = Number(values.minutes), rate = Number(values.rate), connections = Number(values.connections);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-soak-'));
  const mbtiles = tilemakerArchive();
  const tiles = storedTiles(mbtiles, 6, 14);
  const server = await startServe({ dir, sources: { mulhouse: mbtiles }, args: ['--workers', values.workers!] });
  const pid = server.child.pid!;
  const byKind = new Map<string, Map<number, number>>();
  const count = (kind: string, status: number) => {
    const m = byKind.get(kind) ?? new Map<number, number>();
    m.set(status, (m.get(status) ?? 0) + 1);
    byKind.set(kind, m);
  };
  try {
    out(`soak: ${minutes} min at ${rate} req/s over ${connections} connections, ${values.workers} worker(s), against ${server.url}`);
    // warm-up: renders the raster tiles once and fills the caches, not counted
    await run({ url: server.url, connections: 2, duration: 20, requests: mix(tiles, () => {}), timeout: 60 });
    const start = rss(pid);
    out(`RSS after warm-up: node ${mib(start.node)}, browser ${mib(start.browser)}`);
    const samples: string[] = [];
    let peakNode = start.node, peakBrowser = start.browser;
    const sampler = setInterval(() => {
      const r = rss(pid);
      peakNode = Math.max(peakNode, r.node);
      peakBrowser = Math.max(peakBrowser, r.browser);
      samples.push(`${mib(r.node)}/${mib(r.browser)}`);
    }, 60_000);
    const t0 = Date.now();
    const result = await run({ url: server.url, connections, duration: minutes * 60, overallRate: rate, requests: mix(tiles, count), timeout: 60 });
    clearInterval(sampler);
    const end = rss(pid);
    const alive = server.child.exitCode === null;
    out('');
    out(`served ${result.requests.total} requests in ${((Date.now() - t0) / 1000).toFixed(0)} s (${result.requests.average.toFixed(1)} req/s); latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    out('kind           responses by status');
    let bad = 0;
    for (const [kind, m] of [...byKind].sort()) {
      out(`  ${kind.padEnd(13)} ${[...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ')}`);
      for (const [s, n] of m) if (!(s >= 200 && s < 300) && s !== 304) bad += n;
    }
    out(`errors: connection ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, unexpected statuses ${bad}`);
    out(`RSS node: start ${mib(start.node)}, end ${mib(end.node)}, peak ${mib(peakNode)}; browser: start ${mib(start.browser)}, end ${mib(end.browser)}, peak ${mib(peakBrowser)}`);
    out(`RSS each minute (node/browser): ${samples.join(' ') || '-'}`);
    out(`server ${alive ? 'alive' : 'DEAD'} at the end`);
    process.exitCode = result.errors + result.timeouts + bad > 0 || !alive ? 1 : 0;
  } finally {
    const code = await server.stop();
    if (code !== 0) out(`serve exit code ${code}; last log:\n${server.stderr().slice(-2000)}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`soak: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
