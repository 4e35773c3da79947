/**
 * `serve --workers 2` as an operator runs it: graceful shutdown finishes a
 * render in flight and leaves no worker or browser behind; a worker that dies
 * is replaced while the other keeps serving. One Chromium at a time.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { lonLatToTile } from '../../src/core/tile_math.js';
import { REPO_ROOT, UPSTREAM_STYLES_DIR, tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { tilemakerMbtiles } from './serve_fixtures.js';

/** Pids of the descendants of a process, with their command lines (from /proc). */
function descendants(pid: number): Array<{ pid: number; cmd: string }> {
  const parent = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const [p] of parent) {
    for (let q = parent.get(p); q !== undefined && q > 1; q = parent.get(q)) {
      if (q === pid) {
        let cmd = '';
        try { cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { /* gone */ }
        out.push({ pid: p, cmd });
        break;
      }
    }
  }
  return out;
}
/**
 * The outcome of a GET, on a fresh connection or one reused from `agent`: the status,
 * the error code (ECONNRESET, ECONNREFUSED...), or LOST when no answer comes within 60 s (generous: the machine may be loaded).
 */
function status(url: string, agent: http.Agent | false = false): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: 60_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => { req.destroy(); resolve('LOST'); });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** Clients requesting `url` back to back until stopped: three on fresh connections, two reusing keep-alive ones. */
function steadyClients(url: string): { stop(): Promise<Map<number | string, number>> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const outcomes = new Map<number | string, number>();
  let going = true;
  const loops = [false, false, false, true, true].map(async (reuse) => {
    while (going) {
      const s = await status(url, reuse ? agent : false);
      outcomes.set(s, (outcomes.get(s) ?? 0) + 1);
    }
  });
  return {
    async stop() {
      going = false;
      await Promise.all(loops);
      agent.destroy();
      return outcomes;
    },
  };
}
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('serve --workers 2 (cluster) @slow', function () {
  this.timeout(900_000);
  let dir: string;
  let child: ChildProcess | undefined;
  let log = '';
  let exit: Promise<number | null>;

  async function waitLog(re: RegExp, ms = 240_000): Promise<void> {
    const end = Date.now() + ms;
    while (!re.test(log)) {
      assert.ok(Date.now() < end, `no ${re} in the log within ${ms} ms:\n${log}`);
      assert.equal(child?.exitCode, null, `serve exited early:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  async function start(): Promise<string> {
    const mbtiles = tilemakerMbtiles(dir);
    const config = path.join(dir, 'tuilerie.json');
    fs.writeFileSync(config, JSON.stringify({ dataDir: path.join(dir, 'data'), watch: false, sources: { mulhouse: { path: mbtiles } }, styles: { bright: { path: path.join(UPSTREAM_STYLES_DIR, 'osm-bright', 'style.json') } } }));
    log = '';
    child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'serve', '--config', config, '--workers', '2', '--port', '0', '--host', '127.0.0.1'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (b: Buffer) => { log += b.toString(); });
    exit = new Promise((r) => child!.once('exit', (code) => r(code)));
    await waitLog(/ready[^]*ready/);
    return /listening on (http:\/\/\S+)/.exec(log)![1];
  }

  beforeEach(() => {
    dir = tempDir('tuilerie-cluster-e2e-');
  });
  afterEach(async () => {
    if (child && child.exitCode === null) {
      for (const d of descendants(child.pid!)) if (alive(d.pid)) process.kill(d.pid, 'SIGKILL');
      child.kill('SIGKILL');
      await exit;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM lets a raster render in flight finish, then leaves no worker or browser behind', async () => {
    const url = await start();
    const workers = descendants(child!.pid!).filter((d) => /main\.ts serve/.test(d.cmd));
    assert.equal(workers.length, 2, 'two worker processes');
    const t = lonLatToTile(7.334, 47.752, 13);
    const inflight = request(`${url}/styles/bright/13/${t.x}/${t.y}.png`);
    // wait until that worker has started its browser: the render is under way
    const end = Date.now() + 120_000;
    while (!descendants(child!.pid!).some((d) => /chrom/.test(d.cmd) && !/--type=/.test(d.cmd))) {
      assert.ok(Date.now() < end, 'a browser starts');
      await new Promise((r) => setTimeout(r, 20));
    }
    const everyone = descendants(child!.pid!).map((d) => d.pid);
    child!.kill('SIGTERM');
    const r = await inflight;
    assert.equal(r.status, 200, log);
    assert.deepEqual([...r.body.subarray(1, 4)], [...Buffer.from('PNG')]);
    assert.equal(await exit, 0);
    assert.equal(log.match(/stopped/g)?.length, 2, log);
    // browser helpers exit on their own once their parent has gone: give them a moment
    const gone = Date.now() + 30_000;
    while (everyone.some(alive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(everyone.filter(alive).map((p) => `${p} ${fs.existsSync(`/proc/${p}/cmdline`) ? fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').slice(0, 80) : ''}`), [], 'no worker or browser process left');
  });

  it('SIGHUP after a configuration change replaces the workers one by one, with no request failed or lost', async () => {
    const url = await start();
    const before = descendants(child!.pid!).filter((d) => /main\.ts serve/.test(d.cmd)).map((d) => d.pid);
    const config = path.join(dir, 'tuilerie.json');
    const clients = steadyClients(url + '/data/mulhouse.json');
    // three rolling restarts in a row under steady load, each adding a source
    for (let round = 1; round <= 3; round++) {
      const c = JSON.parse(fs.readFileSync(config, 'utf8'));
      c.sources[`again${round}`] = c.sources.mulhouse;
      fs.writeFileSync(config, JSON.stringify(c));
      child!.kill('SIGHUP');
      await waitLog(new RegExp(`(configuration changed[^]*stopped[^]*stopped[^]*){${round}}`), 60_000);
      await new Promise((r) => setTimeout(r, 200));
      for (let i = 0; i < 6; i++) assert.equal(await status(`${url}/data/again${round}.json`), 200, `round ${round}: the new source everywhere`);
    }
    const outcomes = await clients.stop();
    const served = outcomes.get(200) ?? 0;
    assert.ok(served > 100, `${served} requests during the restarts`);
    assert.deepEqual([...outcomes].filter(([s]) => s !== 200), [], `every request answered 200 (${served} were)`);
    const after = descendants(child!.pid!).filter((d) => /main\.ts serve/.test(d.cmd)).map((d) => d.pid);
    assert.equal(after.length, 2);
    assert.deepEqual(after.filter((p) => before.includes(p)), []);
  });

  it('a worker stopped on its own (SIGTERM) is replaced with no request failed or lost', async () => {
    const url = await start();
    const clients = steadyClients(url + '/data/mulhouse.json');
    await new Promise((r) => setTimeout(r, 300));
    const [victim] = descendants(child!.pid!).filter((d) => /main\.ts serve/.test(d.cmd)).map((d) => d.pid);
    process.kill(victim, 'SIGTERM');
    await waitLog(/died[^]*ready/);
    await new Promise((r) => setTimeout(r, 300));
    const outcomes = await clients.stop();
    assert.deepEqual([...outcomes].filter(([s]) => s !== 200), [], `every request answered 200 (${outcomes.get(200)} were)`);
  });

  it('replaces a worker that dies; its connections fail at once (none hangs) and the other keeps serving', async () => {
    const url = await start();
    const [victim, other] = descendants(child!.pid!).filter((d) => /main\.ts serve/.test(d.cmd)).map((d) => d.pid);
    const clients = steadyClients(url + '/data/mulhouse.json');
    await new Promise((r) => setTimeout(r, 300));
    process.kill(victim, 'SIGKILL');
    await waitLog(/died/);
    for (let i = 0; i < 10; i++) assert.equal((await request(url + '/data/mulhouse.json')).status, 200);
    await waitLog(/died[^]*ready/);
    const outcomes = await clients.stop();
    // the requests the killed process had accepted are reset (at most one per client), never left unanswered
    const failed = [...outcomes].filter(([s]) => s !== 200);
    assert.ok(failed.every(([s]) => s === 'ECONNRESET'), JSON.stringify(failed));
    assert.ok(failed.reduce((n, [, k]) => n + k, 0) <= 5, JSON.stringify(failed));
    const now = descendants(child!.pid!).filter((d) => /main\.ts serve/.test(d.cmd)).map((d) => d.pid);
    assert.equal(now.length, 2);
    assert.ok(now.includes(other) && !now.includes(victim));
    child!.kill('SIGTERM');
    assert.equal(await exit, 0);
  });
});
