/**
 * `npm run bench:stall`: does heavy work stall the event loop? A `tuilerie serve`
 * (one process) gets 4 WMS GetMaps in Lambert-93 (reprojected), 4 static maps
 * and an A1 PNG plan at once (sizes by --size, default 4096 px), while /health
 * and a cached vector tile are polled every 10 ms from this process. Prints
 * p50/p99/max of the polls and a verdict against p99 < 50 ms and max < 200 ms.
 * Not part of npm test (it takes a minute or more).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { crsByCode } from '../src/ogc/crs.js';
import { BENCH, MULHOUSE, out, startServe, tileAt, tilemakerArchive } from './serve_harness.js';

interface Poll { path: string; ms: number[]; failed: number }

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function timedFetch(url: string, init?: RequestInit): Promise<{ status: number; ms: number; bytes: number }> {
  const t = performance.now();
  const r = await fetch(url, init);
  const body = await r.arrayBuffer();
  return { status: r.status, ms: performance.now() - t, bytes: body.byteLength };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string' }, paper: { type: 'string' } } });
  const size = Number(values.size ?? 4096);
  const paper = values.paper ?? 'A1';
  const mbtiles = tilemakerArchive('mulhouse.osm.pbf');
  const dir = fs.mkdtempSync(path.join(BENCH, 'stall-'));
  const served = await startServe({
    dir,
    sources: { openmaptiles: mbtiles },
    // every heavy request is rendered, none refused for waiting: the point is what the loop does meanwhile
    extraConfig: { raster: { maxQueue: 64, queueWaitMs: 0, timeoutMs: 300_000, maxPixels: Math.max(4096, size) } },
  });
  const url = served.url;
  try {
    const t14 = tileAt(MULHOUSE[0], MULHOUSE[1], 14);
    const tilePath = `/data/openmaptiles/14/${t14.x}/${t14.y}.pbf`;
    if ((await timedFetch(url + tilePath)).status !== 200) throw new Error(`${tilePath} is not served`);
    const polls: Poll[] = [{ path: '/health', ms: [], failed: 0 }, { path: tilePath, ms: [], failed: 0 }];
    let polling = true;
    const inflight = new Set<Promise<void>>();
    const timer = setInterval(() => {
      if (!polling) return;
      for (const p of polls) {
        // a new poll every 10 ms whether or not the last one came back: a stall shows in full
        const req = timedFetch(url + p.path).then((r) => { if (r.status === 200) p.ms.push(r.ms); else p.failed++; }, () => { p.failed++; });
        inflight.add(req);
        void req.finally(() => inflight.delete(req));
      }
    }, 10);

    const l93 = crsByCode('EPSG:2154');
    const [cx, cy] = l93.fromLonLat(MULHOUSE[0], MULHOUSE[1]);
    const half = size / 2; // 1 m per pixel
    const heavy: Array<{ name: string; run: () => Promise<{ status: number; ms: number; bytes: number }> }> = [];
    for (let i = 0; i < 4; i++) {
      const x = cx + (i - 1.5) * 700, y = cy + (i % 2) * 500;
      const q = new URLSearchParams({ SERVICE: 'WMS', REQUEST: 'GetMap', VERSION: '1.3.0', LAYERS: 'bright', STYLES: '', CRS: 'EPSG:2154', BBOX: [x - half, y - half, x + half, y + half].join(','), WIDTH: String(size), HEIGHT: String(size), FORMAT: 'image/png' });
      heavy.push({ name: `WMS GetMap ${size}² EPSG:2154 #${i + 1}`, run: () => timedFetch(`${url}/wms?${q}`) });
    }
    for (let i = 0; i < 4; i++) {
      const lon = MULHOUSE[0] + (i - 1.5) * 0.01, lat = MULHOUSE[1] + (i % 2) * 0.005;
      heavy.push({ name: `static map ${size}² #${i + 1}`, run: () => timedFetch(`${url}/styles/bright/static/${lon.toFixed(5)},${lat.toFixed(5)},14/${size}x${size}.png`) });
    }
    heavy.push({
      name: `plan ${paper} PNG`,
      run: async () => {
        const t = performance.now();
        const r = await fetch(`${url}/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bbox: '7.30,47.735,7.37,47.765', title: 'Mulhouse', paper, format: 'png' }) });
        if (r.status !== 202) return { status: r.status, ms: performance.now() - t, bytes: 0 };
        const { id } = (await r.json()) as { id: string };
        for (;;) {
          await new Promise((res) => setTimeout(res, 500));
          const s = (await (await fetch(`${url}/plans/${id}`)).json()) as { state: string; result?: { bytes: number }; error?: { message: string } };
          if (s.state === 'done') return { status: 200, ms: performance.now() - t, bytes: s.result?.bytes ?? 0 };
          if (s.state === 'failed') throw new Error(`plan failed: ${s.error?.message}`);
        }
      },
    });

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const results = await Promise.all(heavy.map(async (h) => {
      try {
        return { name: h.name, ...(await h.run()) };
      } catch (e) {
        return { name: h.name, status: 0, ms: NaN, bytes: 0, error: (e as Error).message };
      }
    }));
    const wall = performance.now() - t0;
    polling = false;
    clearInterval(timer);
    await Promise.all(inflight);

    out(`heavy requests (concurrent, ${(wall / 1000).toFixed(1)} s wall, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}):`);
    for (const r of results) out(`  ${r.name.padEnd(34)} HTTP ${r.status}  ${(r.ms / 1000).toFixed(1)} s  ${(r.bytes / 1e6).toFixed(1)} MB${'error' in r ? `  ${r.error}` : ''}`);
    let pass = true;
    out('polls every 10 ms during the heavy requests:');
    for (const p of polls) {
      const s = [...p.ms].sort((a, b) => a - b);
      const p50 = quantile(s, 0.5), p99 = quantile(s, 0.99), max = s[s.length - 1];
      const ok = p99 < 50 && max < 200 && p.failed === 0;
      pass &&= ok;
      out(`  ${p.path.padEnd(34)} n=${s.length} failed=${p.failed}  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${max.toFixed(1)} ms  ${ok ? 'ok' : 'STALL'}`);
    }
    // the server's own view: timers late by this much mean its event loop was blocked (not just starved of CPU)
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN) * 1000;
    out(`server event loop delay: p99 ${gauge('tuilerie_event_loop_delay_p99_seconds').toFixed(1)} ms, max ${gauge('tuilerie_event_loop_delay_max_seconds').toFixed(1)} ms`);
    const cpu = process.cpuUsage(cpu0);
    out(`bench process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; ${os.availableParallelism()} cores`);
    const failedHeavy = results.filter((r) => r.status !== 200).length;
    out(`verdict: ${pass ? 'PASS' : 'FAIL'} (targets p99 < 50 ms, max < 200 ms)${failedHeavy ? `; ${failedHeavy} heavy request(s) did not succeed` : ''}`);
    process.exitCode = pass && !failedHeavy ? 0 : 1;
  } finally {
    await served.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
