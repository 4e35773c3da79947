/**
 * `npm run test:image`: the image's own end-to-end check, with podman (as root).
 * Builds the Dockerfile in docker format (running ../shared/scripts/local-base-images.sh
 * first when the node:20-bookworm base images are missing), then checks: the image
 * (HEALTHCHECK kept, no better-sqlite3 build intermediates, size and the Chromium
 * layer's share); the empty-volume message names a script that is in the image; on a
 * volume holding one extract (Mulhouse): import and health, a vector tile, a raster
 * tile, WMTS capabilities, a route, SIGHUP reload (a re-import seen only after the
 * signal) and a clean SIGTERM stop. Prints times, sizes and memory.
 */
import {
  CheckFailed, Fatal, IMAGE, MULHOUSE, OSM_DIR, ROOT, buildImage, check, containerMemory, ensureBaseImages, failureCount, get,
  imageLayers, imageSize, outLoad, isPng, logDir, mb, out, podman, processMemory, quietly, requirePrerequisites, step, tileOf, waitFor,
} from './deploy/podman.js';

const NAME = `tuilerie-test-image-${process.pid}`;
const VOLUME = `${NAME}-data`;
const EMPTY = `${NAME}-empty`;

function inspectImage(): void {
  const size = imageSize(IMAGE);
  const layers = imageLayers(IMAGE);
  const chromium = layers.find((l) => /chromium/.test(l.createdBy));
  const nodeModules = layers.find((l) => /COPY/.test(l.createdBy) && /node_modules/.test(l.createdBy));
  out(`image ${IMAGE}: ${mb(size)}; Chromium + fonts layer ${chromium ? mb(chromium.size) : '?'}${chromium ? ` (${((chromium.size / size) * 100).toFixed(0)} %)` : ''}; node_modules layer ${nodeModules ? mb(nodeModules.size) : '?'}`);
  check('Chromium in its own layer', chromium !== undefined);
  const biggest = podman(['run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', "dpkg-query -Wf '${Installed-Size} ${Package}\\n' | sort -rn | head -8"]).stdout.trim().split('\n');
  out(`largest Debian packages (installed kB): ${biggest.join(', ')}`);
  const health = podman(['image', 'inspect', '--format', '{{json .Config.Healthcheck}}', IMAGE]).stdout.trim();
  check('HEALTHCHECK kept (docker format)', /health/.test(health), health.slice(0, 120));
  const sqlite = podman(['run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', 'cd node_modules/better-sqlite3 && du -sk . && find . -name "*.c" -o -name "*.o" -o -name "*.a" -o -name Makefile | wc -l && ls build/Release']).stdout.trim().split('\n');
  check('better-sqlite3 without build intermediates or SQLite sources', sqlite[1] === '0' && sqlite.slice(2).join(' ') === 'better_sqlite3.node', `${sqlite[0]?.split(/\s/)[0]} kB; ${sqlite.slice(1).join(' ')}`);
}

/** On an empty volume the image refuses to start, naming a script that exists in the image. */
function emptyVolumeMessage(): void {
  podman(['volume', 'create', EMPTY]);
  const r = podman(['run', '--rm', '-v', `${EMPTY}:/data`, IMAGE], { allowFail: true });
  const msg = (r.stderr + r.stdout).trim().split('\n').pop() ?? '';
  check('empty volume: start refuses with a message', r.code !== 0 && /no OSM extracts/.test(msg), msg.slice(0, 200));
  const scripts = [...msg.matchAll(/(scripts\/[\w.-]+)/g)].map((m) => m[1]!);
  for (const s of scripts) {
    const inImage = podman(['run', '--rm', '--entrypoint', 'test', IMAGE, '-x', `/app/${s}`], { allowFail: true }).code === 0;
    check(`the message's ${s} is in the image`, inImage);
  }
}

/** The volume: /data/osm/mulhouse.osm.pbf, plus wehr.osm.pbf aside for the reload check. */
function fillVolume(): void {
  podman(['volume', 'create', VOLUME]);
  podman(['run', '--rm', '--user', '0:0', '-v', `${VOLUME}:/data`, '-v', `${OSM_DIR}:/src:ro`, '--entrypoint', 'sh', IMAGE, '-c',
    'mkdir -p /data/osm /data/later && cp /src/mulhouse.osm.pbf /data/osm/ && cp /src/wehr.osm.pbf /data/later/ && chown -R 1000:1000 /data']);
}

async function bounds(base: string): Promise<number[]> {
  const r = await get(`${base}/data/openmaptiles.json`);
  return (JSON.parse(r.body.toString()) as { bounds: number[] }).bounds;
}

async function serving(base: string): Promise<void> {
  const [lon, lat] = MULHOUSE;
  const v = tileOf(lon, lat, 14);
  const vt = await get(`${base}/data/openmaptiles/${v.z}/${v.x}/${v.y}.pbf`);
  check('vector tile', vt.status === 200 && vt.body.length > 100, `${vt.status}, ${vt.body.length} bytes, ${vt.headers.get('content-encoding') ?? 'identity'}`);
  const styles = JSON.parse((await get(`${base}/styles.json`)).body.toString()) as Array<{ id: string }>;
  const style = styles[0]?.id ?? 'none';
  const r = tileOf(lon, lat, 13);
  const t0 = Date.now();
  const rt = await get(`${base}/styles/${style}/${r.z}/${r.x}/${r.y}.png`);
  check('raster tile (first render: browser start + metatile)', rt.status === 200 && isPng(rt.body), `${style}, ${rt.status}, ${rt.body.length} bytes, ${Date.now() - t0} ms`);
  const wmts = await get(`${base}/wmts/1.0.0/WMTSCapabilities.xml`);
  check('WMTS capabilities', wmts.status === 200 && /<Capabilities/.test(wmts.body.toString()) && /TileMatrixSet/.test(wmts.body.toString()), `${wmts.status}, ${wmts.body.length} bytes`);
  const route = await get(`${base}/route/v1/driving/7.3280,47.7505;7.3400,47.7540?overview=false`);
  const rj = route.status === 200 ? (JSON.parse(route.body.toString()) as { code: string; routes: Array<{ distance: number }> }) : undefined;
  check('route (OSRM API)', rj?.code === 'Ok' && (rj.routes[0]?.distance ?? 0) > 0, route.status === 200 ? `${rj?.code}, ${rj?.routes[0]?.distance?.toFixed(0)} m` : `${route.status} ${route.body.toString().slice(0, 200)}`);
}

/** SIGHUP: with watching off, a re-import shows only after the signal. */
async function sighupReload(base: string): Promise<void> {
  const before = await bounds(base);
  podman(['exec', NAME, 'node', 'dist/src/cli/main.js', 'import', '--quiet', '--out', '/data/openmaptiles.mbtiles', '/data/later/wehr.osm.pbf']);
  const unchanged = await bounds(base);
  check('re-import not seen before SIGHUP (watch off)', JSON.stringify(unchanged) === JSON.stringify(before), before.map((b) => b.toFixed(3)).join(','));
  podman(['kill', '--signal', 'HUP', NAME]);
  const after = await waitFor('the new bounds after SIGHUP', async () => {
    const b = await bounds(base);
    return JSON.stringify(b) !== JSON.stringify(before) ? b : undefined;
  }, 60_000);
  check('SIGHUP reloads the data', after[0]! > 7.6, after.map((b) => b.toFixed(3)).join(','));
  const h = await get(`${base}/health`);
  check('healthy after reload', h.status === 200);
}

async function main(): Promise<void> {
  const logs = logDir('test-image');
  requirePrerequisites();
  outLoad('at start');
  await ensureBaseImages(logs);
  await buildImage({ tag: IMAGE, context: ROOT, logDir: logs, name: 'tuilerie' });
  inspectImage();
  emptyVolumeMessage();
  fillVolume();
  const t0 = Date.now();
  podman(['run', '-d', '--name', NAME, '-p', '127.0.0.1::8080', '-e', 'TUILERIE_WATCH=false', '-v', `${VOLUME}:/data`, IMAGE]);
  const port = podman(['port', NAME, '8080']).stdout.trim().split(':').pop();
  const base = `http://127.0.0.1:${port}`;
  await step('import Mulhouse and become healthy (HEALTHCHECK)', () =>
    waitFor('healthy', () => {
      if (podman(['inspect', '--format', '{{.State.Running}}', NAME]).stdout.trim() !== 'true') throw new Fatal(`container stopped: ${podman(['logs', NAME]).stderr.slice(-2000)}`);
      return podman(['healthcheck', 'run', NAME], { allowFail: true }).code === 0 ? true : undefined;
    }, 600_000, 1000));
  check('healthy (image HEALTHCHECK passes)', true, `${((Date.now() - t0) / 1000).toFixed(1)} s after start, import included`);
  out(`memory after start: ${mb(containerMemory(NAME))}; ${processMemory(NAME)}`);
  await serving(base);
  out(`memory after the first render (node workers + Chromium): ${mb(containerMemory(NAME))}; ${processMemory(NAME)}`);
  await sighupReload(base);
  const user = podman(['exec', NAME, 'id', '-u']).stdout.trim();
  check('runs as a non-root user', user === '1000', `uid ${user}`);
  const s0 = Date.now();
  podman(['stop', '-t', '60', NAME]);
  const stopMs = Date.now() - s0;
  const code = podman(['inspect', '--format', '{{.State.ExitCode}}', NAME]).stdout.trim();
  const logsText = podman(['logs', NAME]).stderr + podman(['logs', NAME]).stdout;
  check('SIGTERM: clean stop', code === '0' && /SIGTERM/.test(logsText), `exit ${code} in ${(stopMs / 1000).toFixed(1)} s`);
}

let code = 0;
try {
  await main();
} catch (e) {
  out(`FAIL ${e instanceof CheckFailed ? e.message : (e as Error).stack}`);
  code = 1;
} finally {
  quietly(() => podman(['rm', '-f', '-t', '0', NAME], { allowFail: true }));
  quietly(() => podman(['volume', 'rm', '-f', VOLUME, EMPTY], { allowFail: true }));
}
outLoad('at the end');
const failed = failureCount();
out(failed || code ? `test:image: ${failed} check(s) failed${code ? ' and the run stopped' : ''}` : 'test:image: all checks passed');
process.exitCode = failed || code ? 1 : 0;
