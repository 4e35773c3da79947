/**
 * `npm run test:compose`: deploy/compose.yaml with Debian's podman-compose (as root):
 * nginx in front of two Tuilerie instances, Redis, a one-shot import service writing the
 * tiles volume, nginx serving a PMTiles archive as object storage would. Shows: requests
 * spread over both instances; a raster tile rendered by one is served by the other from
 * Redis without rendering; restarting one instance under continuous load loses no request
 * through the balancer; Redis stopped and restarted, still 200s; a re-import reaches both
 * instances; the PMTiles source read over HTTP range requests gives the volume's tiles.
 * Measures memory and tiles per CPU-second, then runs the Kubernetes manifests with
 * `podman kube play` (scripts/deploy/kube_play.ts). Prints times, sizes and checks.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { isGzip } from '../src/core/gzip_bytes.js';
import {
  CheckFailed, Fatal, INFRA_IMAGE, IMAGE, MULHOUSE, OSM_DIR, ROOT, buildImage, check, containerMemory, ensureBaseImages, failureCount, get, getInside,
  imageSize, isPng, logDir, mb, out, outLoad, podman, processMemory, quietly, requirePrerequisites, run, sleep, step, tileOf, waitFor,
} from './deploy/podman.js';
import { cpuSeconds, instanceOf, loadThroughBalancer, rendersOf } from './deploy/stack_probe.js';
import { freePort } from './serve_harness.js';
import { kubePlay } from './deploy/kube_play.js';

const PROJECT = `tuilerie-test-${process.pid}`;
const COMPOSE = path.join(ROOT, 'deploy', 'compose.yaml');
const c = (service: string) => `${PROJECT}_${service}_1`;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 12);

function compose(args: string[], env: NodeJS.ProcessEnv): string {
  return run('podman-compose', ['-p', PROJECT, '-f', COMPOSE, ...args], { env }).stdout;
}

function ipOf(container: string): string {
  return podman(['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', container]).stdout.trim();
}

async function spread(lb: string): Promise<void> {
  const seen = new Map<string, number>();
  for (let i = 0; i < 40; i++) {
    const name = instanceOf((await get(`${lb}/data/openmaptiles.json`)).headers);
    seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  check('requests spread over both instances (X-Upstream)', (seen.get('tuilerie-a') ?? 0) > 0 && (seen.get('tuilerie-b') ?? 0) > 0, [...seen].map(([k, v]) => `${k} ${v}`).join(', '));
}

/** Renders a tile on one instance, then asks the other: same bytes, no render there. */
function sharedRender(label: string, style: string, t: { z: number; x: number; y: number }): void {
  const url = `http://127.0.0.1:8080/styles/${style}/${t.z}/${t.x}/${t.y}.png`;
  const [a0, b0] = [rendersOf(c('tuilerie-a')), rendersOf(c('tuilerie-b'))];
  const ra = getInside(c('tuilerie-a'), url);
  const [a1, b1] = [rendersOf(c('tuilerie-a')), rendersOf(c('tuilerie-b'))];
  const rb = getInside(c('tuilerie-b'), url);
  const b2 = rendersOf(c('tuilerie-b'));
  check(`${label}: rendered by tuilerie-a`, ra.status === 200 && isPng(ra.body) && a1 === a0 + 1 && b1 === b0, `renders a ${a0}→${a1}, ${ra.body.length} bytes`);
  check(`${label}: served by tuilerie-b from Redis without rendering`, rb.status === 200 && sha(rb.body) === sha(ra.body) && b2 === b1, `renders b ${b1}→${b2}, sha ${sha(rb.body)} = ${sha(ra.body)}`);
}

async function restartUnderLoad(lb: string, urls: string[]): Promise<void> {
  const load = loadThroughBalancer(lb, urls, 6);
  await sleep(3000);
  const ipBefore = ipOf(c('tuilerie-a'));
  const t0 = Date.now();
  podman(['restart', '-t', '60', c('tuilerie-a')]);
  const stopped = Date.now() - t0;
  await waitFor('tuilerie-a healthy again', () => getInside(c('tuilerie-a'), 'http://127.0.0.1:8080/health').status === 200 ? true : undefined, 300_000, 500);
  const back = Date.now() - t0;
  const afterA = load.servedBy('tuilerie-a');
  await sleep(5000);
  const r = await load.stop();
  const ipAfter = ipOf(c('tuilerie-a'));
  check('restart of tuilerie-a under load: no request lost through the balancer', r.failed === 0 && r.ok > 0,
    `${r.ok} ok, ${r.failed} failed (${r.failures.slice(0, 3).join('; ')}), restart ${(stopped / 1000).toFixed(1)} s, healthy again after ${(back / 1000).toFixed(1)} s`);
  check('tuilerie-a takes requests again after its restart', load.servedBy('tuilerie-a') > afterA, `address ${ipBefore} → ${ipAfter}; ${load.servedBy('tuilerie-a') - afterA} requests in the 5 s after it was healthy`);
}

async function redisOutage(lb: string, style: string): Promise<void> {
  podman(['stop', '-t', '5', c('redis')]);
  const [lon, lat] = MULHOUSE;
  const statuses: number[] = [];
  for (const dz of [0, 1]) {
    const t = tileOf(lon + 0.02, lat + 0.01, 15 + dz);
    statuses.push((await get(`${lb}/styles/${style}/${t.z}/${t.x}/${t.y}.png`)).status);
    const v = tileOf(lon, lat, 12 + dz);
    statuses.push((await get(`${lb}/data/openmaptiles/${v.z}/${v.x}/${v.y}.pbf`)).status);
  }
  check('Redis stopped: raster and vector tiles still 200', statuses.every((s) => s === 200), statuses.join(','));
  podman(['start', c('redis')]);
  await waitFor('redis answering', () => (run('podman', ['exec', c('redis'), 'redis-cli', 'ping'], { allowFail: true }).stdout.trim() === 'PONG' ? true : undefined), 60_000);
  // the clients reconnect by themselves: the shared tier works again
  await waitFor('a render shared again through the restarted Redis', async () => {
    const t = tileOf(lon - 0.02 - Math.random() * 0.01, lat - 0.01, 16);
    const url = `http://127.0.0.1:8080/styles/${style}/${t.z}/${t.x}/${t.y}.png`;
    getInside(c('tuilerie-a'), url);
    const b0 = rendersOf(c('tuilerie-b'));
    const rb = getInside(c('tuilerie-b'), url);
    return rb.status === 200 && rendersOf(c('tuilerie-b')) === b0 ? true : undefined;
  }, 120_000, 2000);
  const after = await get(`${lb}/styles/${style}/14/${tileOf(lon, lat, 14).x}/${tileOf(lon, lat, 14).y}.png`);
  check('Redis restarted: 200s, and the instances share renders through it again', after.status === 200, `${after.status}`);
}

async function pmtilesFromObjects(lb: string): Promise<void> {
  const tj = await get(`${lb}/data/objects.json`);
  const t = tileOf(MULHOUSE[0], MULHOUSE[1], 14);
  const remote = await get(`${lb}/data/objects/${t.z}/${t.x}/${t.y}.pbf`, { headers: { 'accept-encoding': 'identity' } });
  const local = await get(`${lb}/data/openmaptiles/${t.z}/${t.x}/${t.y}.pbf`, { headers: { 'accept-encoding': 'identity' } });
  const plain = (b: Buffer) => (isGzip(b) ? zlib.gunzipSync(b) : b);
  check('PMTiles over HTTP range requests from the object store: same tile as the volume',
    tj.status === 200 && remote.status === 200 && remote.body.length > 100 && plain(remote.body).equals(plain(local.body)),
    `tilejson ${tj.status}, tile ${remote.status} ${remote.body.length} bytes, sha ${sha(plain(remote.body))} = ${sha(plain(local.body))}`);
  const range = run('podman', ['exec', c('tuilerie-a'), 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download}', '-r', '0-126', 'http://objects:8080/openmaptiles.pmtiles']).stdout.trim();
  check('the object store answers range requests (206)', range === '206 127', range);
}

async function reimport(env: NodeJS.ProcessEnv, osmInput: string): Promise<void> {
  const boundsIn = (name: string) => (JSON.parse(getInside(c(name), 'http://127.0.0.1:8080/data/openmaptiles.json').body.toString()) as { bounds: number[] }).bounds;
  const before = boundsIn('tuilerie-a');
  fs.copyFileSync(path.join(OSM_DIR, 'wehr.osm.pbf'), path.join(osmInput, 'wehr.osm.pbf'));
  const t0 = Date.now();
  podman(['start', '--attach', c('import')], { env });
  const took = Date.now() - t0;
  const grown = (b: number[]) => b[2]! > before[2]! + 0.1;
  for (const name of ['tuilerie-a', 'tuilerie-b']) {
    const b = await waitFor(`${name} serving the re-imported data`, () => { const x = boundsIn(name); return grown(x) ? x : undefined; }, 120_000);
    check(`re-import (Mulhouse + Wehr): ${name} serves the new version`, true, `bounds ${before.map((v) => v.toFixed(2))} → ${b.map((v) => v.toFixed(2))}`);
  }
  out(`    import service run: ${(took / 1000).toFixed(1)} s`);
}

async function measure(lb: string, style: string): Promise<void> {
  const names = [c('tuilerie-a'), c('tuilerie-b')];
  const [lon, lat] = MULHOUSE;
  const vectorUrls: string[] = [];
  for (let z = 10; z <= 14; z++) {
    const t = tileOf(lon, lat, z);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) vectorUrls.push(`/data/openmaptiles/${z}/${t.x + dx}/${t.y + dy}.pbf`);
  }
  let cpu0 = cpuSeconds(names);
  const load = loadThroughBalancer(lb, vectorUrls, 16);
  await sleep(15_000);
  const v = await load.stop();
  const vcpu = cpuSeconds(names) - cpu0;
  out(`measure: vector tiles through the balancer: ${v.ok} in ${v.seconds.toFixed(1)} s (${(v.ok / v.seconds).toFixed(0)}/s on this shared machine), ${vcpu.toFixed(1)} CPU-s in the instances → ${(v.ok / vcpu).toFixed(0)} tiles per CPU-second`);
  // raster: distinct z16 metatiles, rendered (not cached) by the instances' Chromium
  const rasterUrls: string[] = [];
  const t16 = tileOf(lon, lat, 16);
  for (let i = 0; i < 12; i++) rasterUrls.push(`/styles/${style}/16/${t16.x + 4 * (i % 4) - 8}/${t16.y + 4 * Math.floor(i / 4) - 4}.png`);
  const r0 = rendersOf(names[0]!) + rendersOf(names[1]!);
  cpu0 = cpuSeconds(names);
  const t0 = Date.now();
  // two requests in flight per instance (one rendering, one queued): the renderers stay busy, and on
  // a loaded machine no request waits past raster.queueWaitMs and is shed with a 503
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(names.flatMap(() => [0, 1]).map(async () => {
    while (next < rasterUrls.length) statuses.push((await get(lb + rasterUrls[next++]!)).status);
  }));
  const secs = (Date.now() - t0) / 1000;
  const rcpu = cpuSeconds(names) - cpu0;
  const renders = rendersOf(names[0]!) + rendersOf(names[1]!) - r0;
  const refused = statuses.filter((st) => st !== 200);
  out(`measure: ${statuses.length - refused.length}/${rasterUrls.length} raster tiles${refused.length ? ` (others: ${refused.join(',')})` : ''} in ${renders} metatile renders (${secs.toFixed(1)} s), ${rcpu.toFixed(1)} CPU-s in the instances (node + Chromium) → ${(renders / rcpu).toFixed(2)} metatiles (${((renders * 16) / rcpu).toFixed(1)} 256-px tiles) per CPU-second`);
  for (const n of names) out(`measure: memory of ${n.replace(`${PROJECT}_`, '')} after rendering: ${mb(containerMemory(n))}; ${processMemory(n)}`);
}

async function main(): Promise<void> {
  const logs = logDir('test-compose');
  requirePrerequisites({ compose: true });
  outLoad('at start');
  await ensureBaseImages(logs);
  await buildImage({ tag: IMAGE, context: ROOT, logDir: logs, name: 'tuilerie' });
  await buildImage({ tag: INFRA_IMAGE, context: path.join(ROOT, 'deploy', 'infra'), logDir: logs, name: 'infra' });
  out(`images: ${IMAGE} ${mb(imageSize(IMAGE))}, ${INFRA_IMAGE} ${mb(imageSize(INFRA_IMAGE))}`);
  const osmInput = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-compose-osm-'));
  fs.chmodSync(osmInput, 0o755);
  fs.copyFileSync(path.join(OSM_DIR, 'mulhouse.osm.pbf'), path.join(osmInput, 'mulhouse.osm.pbf'));
  const port = await freePort();
  const env = { ...process.env, TUILERIE_OSM_INPUT: osmInput, TUILERIE_LB_PORT: String(port), BUILDAH_FORMAT: 'docker' };
  const lb = `http://127.0.0.1:${port}`;
  try {
    await step('podman-compose up (import, then two instances healthy behind nginx)', async () => {
      compose(['up', '-d'], env);
      await waitFor('both instances healthy', () => ['tuilerie-a', 'tuilerie-b'].every((s) => {
        if (podman(['inspect', '--format', '{{.State.Running}}', c(s)]).stdout.trim() !== 'true') throw new Fatal(`${s} stopped: ${podman(['logs', c(s)]).stderr.slice(-1500)}`);
        return getInside(c(s), 'http://127.0.0.1:8080/health').status === 200;
      }) ? true : undefined, 900_000, 2000);
      await waitFor('the balancer', async () => ((await get(`${lb}/health`)).status === 200 ? true : undefined), 60_000);
    });
    const styles = JSON.parse((await get(`${lb}/styles.json`)).body.toString()) as Array<{ id: string }>;
    const style = styles[0]?.id ?? 'none';
    await spread(lb);
    const t = tileOf(MULHOUSE[0], MULHOUSE[1], 15);
    sharedRender('raster tile', style, t);
    const warm = tileOf(MULHOUSE[0], MULHOUSE[1], 14);
    const urls = [`/data/openmaptiles/${warm.z}/${warm.x}/${warm.y}.pbf`, `/data/openmaptiles/13/${warm.x >> 1}/${warm.y >> 1}.pbf`, `/styles/${style}/${t.z}/${t.x}/${t.y}.png`, '/data/openmaptiles.json', `/styles/${style}/style.json`];
    await step('restart tuilerie-a under continuous load', () => restartUnderLoad(lb, urls));
    await step('Redis stopped and restarted', () => redisOutage(lb, style));
    await step('PMTiles from the object store', () => pmtilesFromObjects(lb));
    await step('re-import', () => reimport(env, osmInput));
    await step('measure', () => measure(lb, style));
  } finally {
    await step('podman-compose down', () => {
      quietly(() => compose(['down', '-t', '10'], env));
      quietly(() => podman(['volume', 'rm', '-f', `${PROJECT}_tiles`, `${PROJECT}_objects`], { allowFail: true }));
      // podman-compose 1.0 leaves the project's network behind
      quietly(() => podman(['network', 'rm', '-f', `${PROJECT}_default`], { allowFail: true }));
      fs.rmSync(osmInput, { recursive: true, force: true });
    });
  }
  await step('Kubernetes manifests with podman kube play (one replica)', () => kubePlay({ image: IMAGE, logs }));
}

let code = 0;
try {
  await main();
} catch (e) {
  out(`FAIL ${e instanceof CheckFailed ? e.message : (e as Error).stack}`);
  code = 1;
}
outLoad('at the end');
const failed = failureCount();
out(failed || code ? `test:compose: ${failed} check(s) failed${code ? ' and the run stopped' : ''}` : 'test:compose: all checks passed');
process.exitCode = failed || code ? 1 : 0;
