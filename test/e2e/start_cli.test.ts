/**
 * `tuilerie start` (what `npm start` runs): imports the default data when its MBTiles is missing or older than the
 * extracts, serves the tiles at once and builds the routing graph beside it meanwhile (again when its format is
 * older): routing answers 503 + Retry-After until the graph is loaded. Real CLI (dist/), real extract, ephemeral port.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, osmFile, tempDir } from '../helpers/paths.js';
import { eventually } from './serve_fixtures.js';
import { ROUTING_FILE_VERSION, routingFile } from '../../src/routing/routing_file.js';

interface Running { child: ChildProcess; stderr: () => string; exit: Promise<number | null> }

function start(env: NodeJS.ProcessEnv, cwd: string, extraArgs: string[] = []): Running {
  const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--host', '127.0.0.1', ...extraArgs], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  child.stdout!.resume();
  return { child, stderr: () => err, exit: new Promise((r) => child.on('exit', (code) => r(code))) };
}

async function listening(r: Running, timeoutMs = 240_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const m = /listening on (http:\/\/[^\s]+)/.exec(r.stderr());
    if (m) return m[1].replace(/\/$/, '');
    if (r.child.exitCode !== null) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`start did not listen:\n${r.stderr()}`);
}

async function ready(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/health`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server never became ready');
}

/** Waits for routing to answer 200 (the graph is built in the background); generous: the machine may be loaded. */
async function routed(url: string, query: string, timeoutMs = 600_000): Promise<{ code: string; routes: { distance: number }[] }> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    const res = await fetch(`${url}${query}`).catch(() => undefined);
    if (res?.status === 200) return await res.json() as { code: string; routes: { distance: number }[] };
    last = res ? `${res.status} ${await res.text()}` : 'no answer';
    if (res && res.status !== 503) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`routing never became ready: ${last}`);
}

const WEHR_ROUTE = '/route/v1/driving/7.9017,47.5870;7.9062,47.5855?overview=false';

async function stop(r: Running): Promise<void> {
  r.child.kill('SIGTERM');
  await r.exit;
}

/** Runs start once on a copy of the Wehr extract and stops it: the data directory then holds a fresh import and graph. */
async function startedOnce(dir: string): Promise<NodeJS.ProcessEnv> {
  const osmDir = path.join(dir, 'osm');
  fs.mkdirSync(osmDir);
  fs.copyFileSync(osmFile('wehr.osm.pbf'), path.join(osmDir, 'wehr.osm.pbf'));
  const env = { TUILERIE_OSM_DIR: osmDir, TUILERIE_DATA_DIR: path.join(dir, 'data') };
  const first = start(env, dir);
  const url = await listening(first);
  await ready(url);
  await routed(url, WEHR_ROUTE);
  await stop(first);
  return env;
}

describe('tuilerie start (npm start) @slow', function () {
  this.timeout(900_000);
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports the extracts of TUILERIE_OSM_DIR, builds the routing graph and serves tiles and routes', async () => {
    const osmDir = path.join(dir, 'osm');
    fs.mkdirSync(osmDir);
    fs.copyFileSync(osmFile('wehr.osm.pbf'), path.join(osmDir, 'wehr.osm.pbf'));
    const dataDir = path.join(dir, 'data');
    const r = start({ TUILERIE_OSM_DIR: osmDir, TUILERIE_DATA_DIR: dataDir }, dir);
    try {
      const url = await listening(r);
      await ready(url);
      assert.ok(fs.existsSync(path.join(dataDir, 'openmaptiles.mbtiles')));
      const tj = await (await fetch(`${url}/data/openmaptiles.json`)).json() as { tiles: string[]; maxzoom: number };
      assert.equal(tj.maxzoom, 14);
      // two points on roads of the Wehr extract, about 350 m apart
      const route = await routed(url, WEHR_ROUTE);
      assert.ok(fs.existsSync(path.join(dataDir, 'openmaptiles.routing')));
      assert.equal(route.code, 'Ok', JSON.stringify(route));
      assert.ok(route.routes[0].distance > 200, JSON.stringify(route));
      assert.match(r.stderr(), /importing 1 extract/);
    } finally {
      await stop(r);
    }
  });

  it('does not import again when the MBTiles is newer than the extracts', async () => {
    const env = await startedOnce(dir);
    const mbtiles = path.join(env.TUILERIE_DATA_DIR!, 'openmaptiles.mbtiles');
    const mtime = fs.statSync(mbtiles).mtimeMs;
    const second = start(env, dir);
    try {
      await ready(await listening(second));
      assert.match(second.stderr(), /is up to date/);
      assert.equal(fs.statSync(mbtiles).mtimeMs, mtime);
    } finally {
      await stop(second);
    }
  });

  it('rebuilds a routing graph of an older format version, even when newer than the extracts', async () => {
    const env = await startedOnce(dir);
    const graph = path.join(env.TUILERIE_DATA_DIR!, 'openmaptiles.routing');
    const bytes = fs.readFileSync(graph);
    bytes.writeUInt32LE(ROUTING_FILE_VERSION - 1, 8);
    fs.writeFileSync(graph, bytes);
    const second = start(env, dir);
    try {
      const url = await listening(second);
      await ready(url);
      assert.match(second.stderr(), new RegExp(`routing format version ${ROUTING_FILE_VERSION - 1}`));
      const route = await routed(url, WEHR_ROUTE);
      assert.equal(route.code, 'Ok');
      assert.equal(routingFile.version(graph), ROUTING_FILE_VERSION);
    } finally {
      await stop(second);
    }
  });

  it('imports again when TUILERIE_OSM_DIR points at other, older extracts (inputs fingerprint, not file times)', async () => {
    const env = await startedOnce(dir);
    const mbtiles = path.join(env.TUILERIE_DATA_DIR!, 'openmaptiles.mbtiles');
    const other = path.join(dir, 'other-osm');
    fs.mkdirSync(other);
    const copy = path.join(other, 'schopfheim.osm.pbf');
    fs.copyFileSync(osmFile('schopfheim.osm.pbf'), copy);
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(copy, old, old);
    const second = start({ ...env, TUILERIE_OSM_DIR: other }, dir);
    try {
      const url = await listening(second);
      await ready(url);
      assert.match(second.stderr(), /importing 1 extract.*made from other inputs/);
      const tj = await (await fetch(`${url}/data/openmaptiles.json`)).json() as { description?: string };
      assert.match(String(tj.description), /schopfheim/);
      assert.doesNotMatch(String(tj.description), /wehr/);
    } finally {
      await stop(second);
    }
    assert.ok(fs.existsSync(mbtiles));
  });

  it('with --workers 2, checks the data once and says "is up to date" once', async () => {
    const env = await startedOnce(dir);
    const second = start(env, dir, ['--workers', '2']);
    try {
      const end = Date.now() + 120_000;
      while ((second.stderr().match(/\bready\b/g) ?? []).length < 2) {
        assert.ok(Date.now() < end && second.child.exitCode === null, second.stderr());
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(second.stderr().match(/is up to date/g)?.length, 1, second.stderr());
    } finally {
      await stop(second);
    }
  });

  it('serves tiles while the routing graph is built, routing answers 503 + Retry-After until it is loaded', async () => {
    const osmDir = path.join(dir, 'osm');
    fs.mkdirSync(osmDir);
    // Heidelberg's network takes tens of seconds to contract: the window where tiles are up and routing is not
    fs.copyFileSync(osmFile('heidelberg-routing.osm.pbf'), path.join(osmDir, 'heidelberg-routing.osm.pbf'));
    const dataDir = path.join(dir, 'data');
    const r = start({ TUILERIE_OSM_DIR: osmDir, TUILERIE_DATA_DIR: dataDir }, dir);
    try {
      const url = await listening(r);
      await ready(url);
      const tile = await fetch(`${url}/data/openmaptiles/14/8587/5598.pbf`);
      assert.equal(tile.status, 200);
      assert.ok((await tile.arrayBuffer()).byteLength > 0);
      const query = '/route/v1/driving/8.6935,49.4095;8.6756,49.4035?overview=false';
      const early = await fetch(`${url}${query}`);
      assert.equal(early.status, 503, await early.clone().text());
      assert.ok(Number(early.headers.get('retry-after')) > 0);
      const body = await early.json() as { code: string; message: string };
      assert.equal(typeof body.code, 'string');
      assert.match(body.message, /routing graph is being prepared/);
      for (const other of ['/nearest/v1/driving/8.6935,49.4095', '/table/v1/driving/8.6935,49.4095;8.6756,49.4035', '/routing/info.json']) {
        assert.equal((await fetch(`${url}${other}`)).status, 503, other);
      }
      assert.deepEqual(await (await fetch(`${url}/routing/status.json`)).json(), { status: 'preparing', retryAfter: 30 });
      assert.ok(fs.existsSync(path.join(dataDir, 'openmaptiles.routing.building')));
      const route = await routed(url, query);
      assert.equal(route.code, 'Ok');
      assert.ok(route.routes[0].distance > 500, JSON.stringify(route));
      assert.equal((await fetch(`${url}/routing/info.json`)).status, 200);
      assert.deepEqual(await (await fetch(`${url}/routing/status.json`)).json(), { status: 'ready' });
      // the builder writes the graph, exits, then start removes the marker: the server may load the graph first
      assert.ok(await eventually(async () => !fs.existsSync(path.join(dataDir, 'openmaptiles.routing.building')), 120_000));
    } finally {
      await stop(r);
    }
  });

  it('says where to put extracts when there are none', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const r = start({ TUILERIE_OSM_DIR: empty, TUILERIE_DATA_DIR: path.join(dir, 'data') }, dir);
    const code = await r.exit;
    assert.notEqual(code, 0);
    assert.match(r.stderr(), /no OSM extracts found.*download_osm\.sh/);
  });
});
