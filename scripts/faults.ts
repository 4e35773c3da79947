/**
 * `npm run faults [-- --only NAME]`: faults injected into a real server under
 * load, each checked for "nothing corrupted, service restored" with its
 * recovery time. Loopback only, bounded in time, root needed only for the
 * disk-full case (a 1 MiB tmpfs; skipped with a message when mount is refused).
 *   data-replaced   the served MBTiles is replaced (temp + rename) mid-load
 *   browser-killed  Chromium is SIGKILLed in the middle of a render
 *   redis-restart   the shared Redis is killed, then started again, under raster load
 *   disk-full       seeding fills a tiny filesystem, then resumes once there is room
 *   worker-replaced `serve --workers 2` under load: a configuration change and
 *                   SIGHUP (rolling restart), then a worker SIGKILLed
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { CLI, MULHOUSE, SHARED, STYLE, commandOf, freePort, out, processTree, sleep, sqliteIntegrity, startServe, storedTiles, tileAt, tilemakerArchive } from './serve_harness.js';

interface Outcome { name: string; ok: boolean; figures: string[] }
type Run = (o: { url: string; connections: number; duration: number; overallRate?: number; requests: Array<{ method: 'GET'; path: string; headers?: Record<string, string>; onResponse: (s: number) => void }> }) => Promise<{ requests: { total: number }; errors: number; timeouts: number }>;
const load = autocannon as unknown as Run;

const statusLine = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ');
const tally = (m: Map<number, number>) => (s: number) => m.set(s, (m.get(s) ?? 0) + 1);
const get = async (url: string, headers: Record<string, string> = {}) => {
  try {
    const r = await fetch(url, { headers, signal: AbortSignal.timeout(90_000) });
    return { status: r.status, body: Buffer.from(await r.arrayBuffer()), etag: r.headers.get('etag') ?? '' };
  } catch (e) {
    return { status: -1, body: Buffer.from(String(e)), etag: '' };
  }
};

/** Our own import of Mulhouse: the "new data" that replaces tilemaker's archive. */
function importMulhouse(dir: string): string {
  const outFile = path.join(dir, 'mulhouse-new.mbtiles');
  execFileSync(process.execPath, [CLI, 'import', '--out', outFile, '--threads', '1', '--quiet', path.join(SHARED, 'osm', 'mulhouse.osm.pbf')], { stdio: 'ignore' });
  return outFile;
}

async function dataReplaced(dir: string): Promise<Outcome> {
  const dataDir = path.join(dir, 'served');
  fs.mkdirSync(dataDir, { recursive: true });
  const served = path.join(dataDir, 'mulhouse.mbtiles');
  fs.copyFileSync(tilemakerArchive(), served);
  const fresh = importMulhouse(dir);
  const server = await startServe({ dir, sources: { mulhouse: served } });
  try {
    const tiles = storedTiles(served, 10, 14);
    const probe = `/data/mulhouse/${tiles[0]}.pbf`;
    const before = await get(server.url + probe);
    const statuses = new Map<number, number>();
    const requests = tiles.map((t) => ({ method: 'GET' as const, path: `/data/mulhouse/${t}.pbf`, headers: { 'accept-encoding': 'gzip' }, onResponse: tally(statuses) }));
    const running = load({ url: server.url, connections: 8, duration: 12, overallRate: 300, requests });
    await sleep(4000);
    const tmp = path.join(dataDir, '.mulhouse.mbtiles.tmp');
    fs.copyFileSync(fresh, tmp);
    const t0 = Date.now();
    fs.renameSync(tmp, served);
    let recovery = -1;
    while (Date.now() - t0 < 20_000) {
      const r = await get(server.url + probe);
      if (r.status === 200 && r.etag !== before.etag) { recovery = Date.now() - t0; break; }
      await sleep(20);
    }
    const r = await running;
    // every tile of the new file is served with its stored bytes
    let mismatches = 0;
    const newTiles = storedTiles(served, 0, 14);
    for (const t of newTiles.filter((_, i) => i % 5 === 0)) {
      const [z, x, y] = t.split('/').map(Number);
      const stored = execFileSync('sqlite3', [served, `SELECT hex(tile_data) FROM tiles WHERE zoom_level=${z} AND tile_column=${x} AND tile_row=${(1 << z) - 1 - y}`], { encoding: 'utf8' }).trim();
      const got = await get(`${server.url}/data/mulhouse/${t}.pbf`, { 'accept-encoding': 'identity' });
      if (!got.body.equals(zlib.gunzipSync(Buffer.from(stored, 'hex')))) mismatches++;
    }
    const integrity = sqliteIntegrity(served);
    const bad = [...statuses].filter(([s]) => s !== 200 && s !== 204).reduce((a, [, n]) => a + n, 0);
    return {
      name: 'data-replaced',
      ok: recovery >= 0 && bad === 0 && r.errors === 0 && mismatches === 0 && integrity === 'ok',
      figures: [
        `${r.requests.total} requests during the swap; statuses ${statusLine(statuses)}; connection errors ${r.errors}, timeouts ${r.timeouts}`,
        `new data served ${recovery} ms after the rename (watcher)`,
        `new archive: integrity ${integrity}; ${mismatches} mismatching tiles of ${Math.ceil(newTiles.length / 5)} checked`,
      ],
    };
  } finally {
    await server.stop();
  }
}

async function browserKilled(dir: string): Promise<Outcome> {
  const server = await startServe({ dir, sources: { mulhouse: tilemakerArchive() } });
  try {
    const t14 = tileAt(MULHOUSE[0], MULHOUSE[1], 14);
    const warm = await get(`${server.url}/styles/bright/${t14.z}/${t14.x}/${t14.y}.png`);
    const browsers = () => processTree(server.child.pid!).filter((p) => /chromium/.test(commandOf(p)) && !/--type=/.test(commandOf(p)));
    // a render in flight: a metatile not rendered yet
    const t13 = tileAt(MULHOUSE[0], MULHOUSE[1], 13);
    const inflight = get(`${server.url}/styles/bright/13/${t13.x}/${t13.y}.png`);
    await sleep(150);
    const killed = browsers();
    const t0 = Date.now();
    for (const p of killed) process.kill(p, 'SIGKILL');
    const during = await inflight;
    const duringMs = Date.now() - t0;
    let recovery = -1, attempt = 0;
    const t12 = tileAt(MULHOUSE[0], MULHOUSE[1], 12);
    while (Date.now() - t0 < 60_000) {
      const r = await get(`${server.url}/styles/bright/12/${t12.x + 4 * attempt++}/${t12.y}.png`);
      if (r.status === 200 && r.body.subarray(1, 4).toString() === 'PNG') { recovery = Date.now() - t0; break; }
      await sleep(100);
    }
    const cache = path.join(dir, 'data', 'raster-cache', 'bright.sqlite');
    const integrity = fs.existsSync(cache) ? sqliteIntegrity(cache) : 'no cache file';
    const health = (await get(server.url + '/health')).status;
    return {
      name: 'browser-killed',
      ok: warm.status === 200 && killed.length > 0 && recovery >= 0 && integrity === 'ok' && health === 200 && (during.status === 200 || during.status === 503),
      figures: [
        `killed ${killed.length} browser process(es) mid-render; that request answered ${during.status} after ${duringMs} ms`,
        `a fresh metatile rendered again ${recovery} ms after the kill; /health ${health}; disk cache integrity ${integrity}`,
      ],
    };
  } finally {
    await server.stop();
  }
}

function startRedis(port: number, dir: string): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
}
const redisCli = (port: number, ...args: string[]) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();

async function redisRestart(dir: string): Promise<Outcome> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return { name: 'redis-restart', ok: true, figures: ['skipped: redis-server is not installed'] };
  const port = await freePort();
  let redis = startRedis(port, dir);
  await sleep(300);
  const server = await startServe({ dir, sources: { mulhouse: tilemakerArchive() }, extraConfig: { cache: { shared: { redisUrl: `redis://127.0.0.1:${port}`, timeoutMs: 300 } } } });
  try {
    const statuses = new Map<number, number>();
    const paths: string[] = [];
    for (const z of [10, 11, 12, 13, 14]) {
      const t = tileAt(MULHOUSE[0], MULHOUSE[1], z);
      for (let d = -8; d <= 8; d += 4) paths.push(`/styles/bright/${z}/${t.x + d}/${t.y}.png`);
    }
    for (const p of paths.slice(0, 4)) await get(server.url + p);
    const keysBefore = Number(redisCli(port, 'dbsize'));
    const running = load({ url: server.url, connections: 4, duration: 20, overallRate: 40, requests: paths.map((p) => ({ method: 'GET' as const, path: p, onResponse: tally(statuses) })) });
    await sleep(5000);
    redis.kill('SIGKILL');
    await new Promise((r) => redis.once('exit', r));
    await sleep(5000);
    redis = startRedis(port, dir);
    const t0 = Date.now();
    let reconnect = -1;
    while (Date.now() - t0 < 20_000) {
      if (/cmd=/.test(redisCli(port, 'client', 'list').replace(/^.*cmd=client.*$/m, ''))) { reconnect = Date.now() - t0; break; }
      await sleep(50);
    }
    const r = await running;
    // after the restart Redis is empty: a new render must land in it again
    const t = tileAt(MULHOUSE[0], MULHOUSE[1], 11);
    const fresh = await get(`${server.url}/styles/bright/11/${t.x + 20}/${t.y}.png`);
    const keysAfter = Number(redisCli(port, 'dbsize'));
    const bad = [...statuses].filter(([s]) => s !== 200).reduce((a, [, n]) => a + n, 0);
    return {
      name: 'redis-restart',
      ok: bad === 0 && r.errors === 0 && reconnect >= 0 && fresh.status === 200 && keysAfter > 0,
      figures: [
        `${r.requests.total} raster requests over 20 s, Redis down from 5 s to 10 s; statuses ${statusLine(statuses)}; connection errors ${r.errors}, timeouts ${r.timeouts}`,
        `keys in Redis before the outage ${keysBefore}; server reconnected ${reconnect} ms after Redis restarted; keys after a new render ${keysAfter}`,
      ],
    };
  } finally {
    await server.stop();
    redis.kill('SIGKILL');
  }
}

async function diskFull(dir: string): Promise<Outcome> {
  const mnt = path.join(dir, 'tiny');
  fs.mkdirSync(mnt);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { encoding: 'utf8' });
  if (m.status !== 0) return { name: 'disk-full', ok: true, figures: [`skipped: cannot mount a 1 MiB tmpfs here (${m.stderr.trim()}); run as root`] };
  try {
    const config = path.join(dir, 'seed.json');
    fs.writeFileSync(config, JSON.stringify({ dataDir: mnt, sources: { mulhouse: { path: tilemakerArchive() } }, styles: { bright: { path: STYLE } } }));
    const seed = () => {
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [CLI, 'seed', '--config', config, '--style', 'bright', '--zooms', '10-14', '--concurrency', '1'], { encoding: 'utf8', timeout: 300_000 });
      return { code: r.status, ms: Date.now() - t0, text: `${r.stdout}${r.stderr}`.trim().split('\n').slice(-4).join(' | ') };
    };
    const first = seed();
    const df = execFileSync('df', ['-k', mnt], { encoding: 'utf8' }).trim().split('\n')[1].split(/\s+/);
    const cache = path.join(mnt, 'raster-cache', 'bright.sqlite');
    const integrityFull = fs.existsSync(cache) ? sqliteIntegrity(cache) : 'no cache file';
    execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
    const second = seed();
    const integrityAfter = fs.existsSync(cache) ? sqliteIntegrity(cache) : 'no cache file';
    return {
      name: 'disk-full',
      ok: integrityFull === 'ok' && integrityAfter === 'ok' && second.code === 0,
      figures: [
        `seed on a full 1 MiB tmpfs: exit ${first.code} after ${first.ms} ms (used ${df[2]} of ${df[1]} KiB): ${first.text}`,
        `cache integrity when full: ${integrityFull}`,
        `after growing the filesystem, seed again: exit ${second.code} in ${second.ms} ms: ${second.text}; integrity ${integrityAfter}`,
      ],
    };
  } finally {
    spawnSync('umount', [mnt]);
  }
}

/** Waits until `test` holds (polled every 20 ms); the time it took, or -1 after `ms`. */
async function within(ms: number, test: () => boolean | Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await test()) return Date.now() - t0;
    await sleep(20);
  }
  return -1;
}

async function workerReplaced(dir: string): Promise<Outcome> {
  const archive = tilemakerArchive();
  const server = await startServe({ dir, sources: { mulhouse: archive }, args: ['--workers', '2'], env: { TUILERIE_LOG_LEVEL: 'info' } });
  const count = (re: RegExp) => (server.stderr().match(re) ?? []).length;
  const workers = () => processTree(server.child.pid!).filter((p) => p !== server.child.pid && /main\.js serve/.test(commandOf(p)));
  try {
    await within(30_000, () => count(/\bready\b/g) >= 2);
    const tiles = storedTiles(archive, 10, 14);
    const underLoad = async (seconds: number, fault: () => Promise<string>) => {
      const statuses = new Map<number, number>();
      const requests: Array<{ method: 'GET'; path: string; headers: Record<string, string>; onResponse: (s: number) => void }> = tiles.map((t) => ({ method: 'GET' as const, path: `/data/mulhouse/${t}.pbf`, headers: { 'accept-encoding': 'gzip' }, onResponse: tally(statuses) }));
      requests.push({ method: 'GET', path: '/data/mulhouse.json', headers: {}, onResponse: tally(statuses) });
      const running = load({ url: server.url, connections: 8, duration: seconds, overallRate: 400, requests });
      await sleep(3000);
      const what = await fault();
      const r = await running;
      const bad = [...statuses].filter(([s]) => s !== 200 && s !== 204).reduce((a, [, n]) => a + n, 0);
      return { r, bad, line: `${r.requests.total} requests; statuses ${statusLine(statuses)}; connection errors ${r.errors}, timeouts ${r.timeouts}; ${what}` };
    };
    // 1. a configuration change (a new source) rolled out worker by worker
    const before = workers();
    const rolling = await underLoad(15, async () => {
      const config = path.join(dir, 'tuilerie.json');
      const c = JSON.parse(fs.readFileSync(config, 'utf8'));
      c.sources.again = c.sources.mulhouse;
      fs.writeFileSync(config, JSON.stringify(c));
      const stopped = count(/\bstopped\b/g);
      server.child.kill('SIGHUP');
      const done = await within(60_000, () => count(/\bstopped\b/g) >= stopped + 2);
      const everywhere = await within(10_000, async () => {
        for (let i = 0; i < 6; i++) if ((await get(server.url + '/data/again.json')).status !== 200) return false;
        return true;
      });
      return `both workers replaced ${done} ms after SIGHUP; new source answered by every worker ${done >= 0 && everywhere >= 0 ? 'yes' : 'no'}`;
    });
    const fresh = workers();
    const rolled = fresh.length === 2 && !fresh.some((p) => before.includes(p));
    // 2. a worker killed: its accepted connections are reset, the other serves, a replacement starts
    const killed = await underLoad(12, async () => {
      const [victim] = workers();
      const ready = count(/\bready\b/g);
      process.kill(victim, 'SIGKILL');
      const replaced = await within(30_000, () => count(/\bready\b/g) > ready);
      return `worker ${victim} SIGKILLed; replacement ready ${replaced} ms later`;
    });
    const health = (await get(server.url + '/health')).status;
    return {
      name: 'worker-replaced',
      ok: rolling.bad === 0 && rolling.r.errors === 0 && rolling.r.timeouts === 0 && rolled && /yes$/.test(rolling.line)
        && killed.bad === 0 && killed.r.timeouts === 0 && killed.r.errors <= 8 && !/-1 ms/.test(killed.line) && health === 200 && workers().length === 2,
      figures: [
        `rolling restart: ${rolling.line}`,
        `worker killed: ${killed.line} (at most one reset per connection expected: 8)`,
        `/health ${health}; ${workers().length} workers at the end`,
      ],
    };
  } finally {
    await server.stop();
  }
}

const CASES: Record<string, (dir: string) => Promise<Outcome>> = {
  'data-replaced': dataReplaced,
  'browser-killed': browserKilled,
  'redis-restart': redisRestart,
  'disk-full': diskFull,
  'worker-replaced': workerReplaced,
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const names = values.only ? values.only.split(',') : Object.keys(CASES);
  const results: Outcome[] = [];
  for (const name of names) {
    const fn = CASES[name];
    if (!fn) throw new Error(`unknown fault ${name}; known: ${Object.keys(CASES).join(', ')}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tuilerie-fault-${name}-`));
    out(`fault ${name} …`);
    try {
      results.push(await fn(dir));
    } catch (e) {
      results.push({ name, ok: false, figures: [`failed: ${(e as Error).message.slice(0, 500)}`] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const r = results[results.length - 1];
    out(`  ${r.ok ? 'OK  ' : 'FAIL'} ${r.name}`);
    for (const f of r.figures) out(`       ${f}`);
  }
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

main().catch((e) => {
  process.stderr.write(`faults: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
