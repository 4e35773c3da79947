import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import express from 'express';
import { loadConfig } from '../../src/config/load_config.js';
import { createApp } from '../../src/server/app.js';
import { Catalog } from '../../src/server/catalog.js';
import { ServingServices } from '../../src/server/serving_services.js';
import { MemoryTileCache } from '../../src/cache/memory_tile_cache.js';
import { silentLogger } from '../../src/core/logger.js';
import { isTuilerieError } from '../../src/core/errors.js';
import type { FeatureRouter } from '../../src/server/server_deps.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { FIXTURES_DIR, UPSTREAM_STYLES_DIR, tempDir } from '../helpers/paths.js';
import { listen, request } from '../unit/server/http_client.js';
import { readStoredTile, someTile, tilemakerMbtiles, writeMbtiles } from './serve_fixtures.js';

const GZ = { 'accept-encoding': 'gzip, deflate, br' };

describe('tuilerie serve over a Mulhouse import @slow', () => {
  let dir: string;
  let mbtiles: string;
  let server: TuilerieServer;
  let url: string;
  let z14: { z: number; x: number; y: number };

  before(() => {
    dir = tempDir('tuilerie-serve-');
    mbtiles = tilemakerMbtiles(dir);
    z14 = someTile(mbtiles, 14);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    const config = loadConfig({
      flags: {
        port: 0,
        host: '127.0.0.1',
        watch: false,
        sources: { mulhouse: { path: mbtiles }, corrupt: { path: path.join(FIXTURES_DIR, 'mbtiles', 'corrupt.mbtiles') } },
        styles: {
          'osm-bright': { path: path.join(UPSTREAM_STYLES_DIR, 'osm-bright', 'style.json'), aliases: ['bright'] },
          positron: { path: path.join(UPSTREAM_STYLES_DIR, 'positron', 'style.json') },
        },
      },
    });
    server = new TuilerieServer({ config, logger: silentLogger });
    url = await server.start();
  });
  afterEach(() => server.stop());

  const tilePath = (ext = 'pbf', t = z14) => `/data/mulhouse/${t.z}/${t.x}/${t.y}.${ext}`;

  describe('health and metrics', () => {
    it('/health answers 200 once ready', async () => {
      const r = await request(url + '/health');
      assert.equal(r.status, 200);
      assert.equal((r.json() as { status: string }).status, 'ok');
    });

    it('/metrics counts requests by route and status, and cache hits', async () => {
      await request(url + tilePath(), { headers: GZ });
      await request(url + tilePath(), { headers: GZ });
      const text = (await request(url + '/metrics')).text();
      assert.match(text, /tuilerie_http_requests_total\{route="\/data\/:id\/:z\/:x\/:y\.:ext",status="200"\} 2/);
      assert.match(text, /tuilerie_tile_cache_hits_total [1-9]/);
      assert.match(text, /tuilerie_http_request_duration_seconds_bucket\{route="\/data\/:id\/:z\/:x\/:y\.:ext",le="\+Inf"\} 2/);
      assert.match(text, /tuilerie_http_response_bytes_total\{route="\/data\/:id\/:z\/:x\/:y\.:ext"\} [1-9]/);
    });
  });

  describe('TileJSON and indexes', () => {
    it('/data/{id}.json is TileJSON 3.0.0 with tile URLs from the Host header', async () => {
      const r = await request(url + '/data/mulhouse.json');
      const doc = r.json() as { tilejson: string; tiles: string[]; vector_layers: Array<{ id: string }>; maxzoom: number };
      assert.equal(doc.tilejson, '3.0.0');
      assert.deepEqual(doc.tiles, [`${url}/data/mulhouse/{z}/{x}/{y}.pbf`]);
      assert.equal(doc.maxzoom, 14);
      assert.ok(doc.vector_layers.some((l) => l.id === 'building'));
    });

    it('/data/{id}.json ignores X-Forwarded-Proto and X-Forwarded-Host by default (trustProxy off)', async () => {
      const r = await request(url + '/data/mulhouse.json', { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'tiles.example.org' } });
      assert.deepEqual((r.json() as { tiles: string[] }).tiles, [`${url}/data/mulhouse/{z}/{x}/{y}.pbf`]);
    });

    it('/data.json lists the sources that opened (not the corrupt one)', async () => {
      const ids = (await request(url + '/data.json')).json() as Array<{ id: string }>;
      assert.deepEqual(ids.map((d) => d.id), ['mulhouse']);
    });

    it('/styles.json lists styles with their URLs', async () => {
      const list = (await request(url + '/styles.json')).json() as Array<{ id: string; url: string }>;
      assert.deepEqual(list.map((s) => s.id).sort(), ['osm-bright', 'positron']);
      assert.ok(list.every((s) => s.url === `${url}/styles/${s.id}/style.json`));
    });

    it('/index.json lists the data TileJSONs', async () => {
      const list = (await request(url + '/index.json')).json() as Array<{ tilejson: string; id: string }>;
      assert.ok(list.some((d) => d.tilejson === '3.0.0' && d.id === 'mulhouse'));
    });

    it('answers 304 to a TileJSON request with its ETag', async () => {
      const first = await request(url + '/data/mulhouse.json');
      const second = await request(url + '/data/mulhouse.json', { headers: { 'if-none-match': String(first.headers.etag) } });
      assert.equal(second.status, 304);
    });
  });

  describe('vector tiles', () => {
    it('sends the stored gzip bytes untouched to a gzip client', async () => {
      const r = await request(url + tilePath(), { headers: GZ });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-encoding'], 'gzip');
      assert.equal(r.headers['content-type'], 'application/x-protobuf');
      assert.deepEqual(r.body, readStoredTile(mbtiles, z14.z, z14.x, z14.y));
    });

    it('sends the decompressed tile to a client without gzip', async () => {
      const r = await request(url + tilePath());
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-encoding'], undefined);
      assert.deepEqual(r.body, zlib.gunzipSync(readStoredTile(mbtiles, z14.z, z14.x, z14.y)!));
    });

    it('serves .mvt like .pbf', async () => {
      const a = await request(url + tilePath('mvt'), { headers: GZ });
      const b = await request(url + tilePath('pbf'), { headers: GZ });
      assert.equal(a.status, 200);
      assert.equal(a.headers.etag, b.headers.etag);
    });

    it('sets ETag, Cache-Control with stale-while-revalidate, and Vary', async () => {
      const r = await request(url + tilePath(), { headers: GZ });
      assert.match(String(r.headers.etag), /^"[^"]+"$/);
      assert.match(String(r.headers['cache-control']), /max-age=\d+.*stale-while-revalidate=\d+/);
      assert.equal(r.headers.vary, 'Accept-Encoding');
    });

    it('answers 304 to If-None-Match with the tile ETag', async () => {
      const first = await request(url + tilePath(), { headers: GZ });
      const r = await request(url + tilePath(), { headers: { ...GZ, 'if-none-match': String(first.headers.etag) } });
      assert.equal(r.status, 304);
      assert.equal(r.body.length, 0);
    });

    it('answers HEAD without a body', async () => {
      const r = await request(url + tilePath(), { method: 'HEAD', headers: GZ });
      assert.equal(r.status, 200);
      assert.equal(r.body.length, 0);
      assert.ok(Number(r.headers['content-length']) > 0);
    });

    it('answers a cached tile (fast path) exactly as the first, uncached request', async () => {
      for (const headers of [GZ, {}]) {
        const first = await request(url + tilePath(), { headers });
        const second = await request(url + tilePath(), { headers });
        assert.deepEqual(second.body, first.body);
        for (const h of ['etag', 'cache-control', 'vary', 'content-type', 'content-encoding', 'content-length', 'access-control-allow-origin']) {
          assert.equal(second.headers[h], first.headers[h], h);
        }
      }
    });

    it('answers 204 for a tile inside the range that the archive does not hold', async () => {
      const r = await request(url + '/data/mulhouse/14/0/0.pbf', { headers: GZ });
      assert.equal(r.status, 204);
      assert.equal(r.body.length, 0);
    });
  });

  describe('styles', () => {
    it('rewrites sources, glyphs and sprite to this server', async () => {
      const style = (await request(url + '/styles/osm-bright/style.json')).json() as { sources: Record<string, { url: string }>; glyphs: string; sprite: string };
      assert.equal(style.sources.openmaptiles.url, `${url}/data/mulhouse.json`);
      assert.equal(style.glyphs, `${url}/fonts/{fontstack}/{range}.pbf`);
      assert.equal(style.sprite, `${url}/styles/osm-bright/sprite`);
    });

    it('sends the style gzipped to a gzip client and plain to others, with 304 on its ETag', async () => {
      const gz = await request(url + '/styles/osm-bright/style.json', { headers: GZ });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      const plain = await request(url + '/styles/osm-bright/style.json');
      assert.deepEqual(JSON.parse(zlib.gunzipSync(gz.body).toString()), plain.json());
      const again = await request(url + '/styles/osm-bright/style.json', { headers: { ...GZ, 'if-none-match': String(gz.headers.etag) } });
      assert.equal(again.status, 304);
    });

    it('answers to an alias', async () => {
      assert.equal((await request(url + '/styles/bright/style.json')).status, 200);
    });

    it('?lang=fr turns labels into name:fr with fallback to name', async () => {
      const text = (await request(url + '/styles/osm-bright/style.json?lang=fr')).text();
      assert.ok(text.includes('["coalesce",["get","name:fr"],["get","name"],["get","name:latin"]]'));
      assert.ok(!text.includes('{name:latin}'));
    });

    it('gives a different ETag per language', async () => {
      const a = await request(url + '/styles/osm-bright/style.json?lang=fr');
      const b = await request(url + '/styles/osm-bright/style.json?lang=de');
      assert.notEqual(a.headers.etag, b.headers.etag);
    });
  });

  describe('bad input', () => {
    const expect400 = async (p: string, pattern: RegExp) => {
      const r = await request(url + p);
      assert.equal(r.status, 400, r.text());
      const body = r.json() as { error: string };
      assert.match(body.error, pattern);
      assert.ok(!/at .*\.(ts|js):\d+/.test(r.text()), 'no stack trace');
    };
    it('400 for a non-integer z', () => expect400('/data/mulhouse/1.5/0/0.pbf', /z must be/));
    it('400 for a non-integer x', () => expect400('/data/mulhouse/3/x/0.pbf', /x must be/));
    it('400 for a zoom past the source maxzoom', () => expect400('/data/mulhouse/15/0/0.pbf', /zoom 15 is outside.*0–14/));
    it('400 for x outside 0…2^z−1', () => expect400('/data/mulhouse/3/8/0.pbf', /outside the grid/));
    it('400 for y outside 0…2^z−1', () => expect400('/data/mulhouse/3/0/8.pbf', /outside the grid/));
    it('400 for a negative y', () => expect400('/data/mulhouse/3/0/-1.pbf', /y must be/));
    it('400 for a format the source does not serve', () => expect400('/data/mulhouse/3/0/0.png', /serves \.pbf/));
    it('400 for .. in a source name', () => expect400('/data/..%2F..%2Fetc/3/0/0.pbf', /invalid source name/));
    it('400 for a slash in a style name', () => expect400('/styles/a%2Fb/style.json', /invalid style name/));
    it('400 for a malformed lang', () => expect400('/styles/osm-bright/style.json?lang=fr%22', /lang must be/));

    it('404 for an unknown source', async () => {
      const r = await request(url + '/data/nowhere/3/0/0.pbf');
      assert.equal(r.status, 404);
      assert.match((r.json() as { error: string }).error, /unknown data source "nowhere".*mulhouse/);
    });
    it('404 for an unknown source TileJSON', async () => assert.equal((await request(url + '/data/nowhere.json')).status, 404));
    it('404 for an unknown style', async () => assert.equal((await request(url + '/styles/nowhere/style.json')).status, 404));
    it('404 for an unknown path', async () => assert.equal((await request(url + '/no/such/thing')).status, 404));
    it('404 for the corrupt source that was skipped', async () => assert.equal((await request(url + '/data/corrupt.json')).status, 404));
  });
});

describe('tuilerie serve: small fixtures', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir('tuilerie-serve-'); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function start(extra: Record<string, unknown>, sources: Record<string, string>) {
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', sources: Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, { path: v }])), ...extra } });
    const server = new TuilerieServer({ config, logger: silentLogger });
    const url = await server.start();
    return { server, url };
  }

  it('stop() under steady keep-alive load: answers the requests that keep coming with Connection: close, then ends well within the grace period', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('zero') }] });
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, sources: { a: { path: file } } } });
    const server = new TuilerieServer({ config, logger: silentLogger, keepAliveDrainMs: 1000, shutdownGraceMs: 10_000 });
    const url = await server.start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const get = () => new Promise<{ status: number; connection?: string } | string>((resolve) => {
      http.get(url + '/data/a/0/0/0.pbf', { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      }).on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    let going = true;
    const seen: Array<{ status: number; connection?: string } | string> = [];
    const loops = [0, 1].map(async () => { while (going) seen.push(await get()); });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      const before = seen.length;
      await server.stop();
      const took = Date.now() - t0;
      going = false;
      await Promise.all(loops);
      const during = seen.slice(before);
      // until it stops listening, new connections keep coming; each answered request says Connection: close
      assert.ok(during.some((r) => typeof r === 'object' && r.connection === 'close'), JSON.stringify(during.slice(0, 5)));
      assert.ok(took < 3000, `stop took ${took} ms under load`);
      // once closed, the clients see connection refused, never a reset in the middle of a reused connection
      assert.deepEqual(during.filter((r) => typeof r === 'string' && r !== 'ECONNREFUSED'), []);
    } finally {
      going = false;
      agent.destroy();
      await server.stop();
    }
  });

  it('stop() answers a keep-alive client that reuses its connection a while after the drain began (a slow client on a loaded machine), and closes a connection left idle longer', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('zero') }] });
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, sources: { a: { path: file } } } });
    const server = new TuilerieServer({ config, logger: silentLogger, keepAliveDrainMs: 60_000, keepAliveStaleMs: 3000, shutdownGraceMs: 120_000 });
    const url = await server.start();
    const slowAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (agent: http.Agent) => new Promise<{ status: number; connection?: string; port?: number } | string>((resolve) => {
      const req = http.get(url + '/data/a/0/0/0.pbf', { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, port: req.socket?.localPort }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    try {
      const first = await get(slowAgent);
      assert.equal(await get(idleAgent).then((r) => typeof r === 'object' && r.status), 200);
      const t0 = Date.now();
      const stopped = server.stop();
      // a pause of a second before the next request: before, the drain ended after a quarter of a second without requests
      await new Promise((r) => setTimeout(r, 1000));
      const second = await get(slowAgent);
      assert.ok(typeof first === 'object' && typeof second === 'object', JSON.stringify({ first, second }));
      assert.deepEqual({ status: second.status, connection: second.connection, port: second.port }, { status: 200, connection: 'close', port: first.port }, 'answered on the same connection, told to close it');
      // the other connection stays idle: closed once stale, long before the 60 s drain ends
      await stopped;
      assert.ok(Date.now() - t0 < 50_000, `stop took ${Date.now() - t0} ms`);
    } finally {
      slowAgent.destroy();
      idleAgent.destroy();
      await server.stop();
    }
  });

  it('stop() marks the responses still being prepared Connection: close, so their keep-alive clients do not reuse a connection it is about to cut', async () => {
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, sources: {} } });
    const slow: FeatureRouter = () => {
      const router = express.Router();
      router.get('/slow', (_req, res) => { setTimeout(() => res.end('done'), 300); });
      return router;
    };
    const server = new TuilerieServer({ config, logger: silentLogger, routers: [{ name: 'slow', mount: '/', create: slow }], keepAliveDrainMs: 1000 });
    const url = await server.start();
    const agent = new http.Agent({ keepAlive: true });
    try {
      const answer = new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        http.get(`${url}/slow`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        }).on('error', reject);
      });
      await new Promise((r) => setTimeout(r, 100));
      const stopped = server.stop();
      assert.deepEqual(await answer, { status: 200, connection: 'close' });
      await stopped;
    } finally {
      agent.destroy();
      await server.stop();
    }
  });

  it('stop() also clears the HTTP server\'s connection-checking interval, which would otherwise keep the stopped server reachable', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [] });
    const { server } = await start({ watch: false }, { a: file });
    // node's http.Server re-arms this interval on listen and clears it only in its own close()
    const httpServer = (server as unknown as { http: http.Server }).http;
    const key = Object.getOwnPropertySymbols(httpServer).find((k) => k.description === 'http.server.connectionsCheckingInterval');
    assert.ok(key, 'node keeps the interval under this symbol');
    const interval = (httpServer as unknown as Record<symbol, { _destroyed: boolean }>)[key];
    assert.equal(interval._destroyed, false);
    await server.stop();
    assert.equal(interval._destroyed, true);
  });

  it('ignores X-Forwarded-* headers when trustProxy is false', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [] });
    const { server, url } = await start({ trustProxy: false }, { a: file });
    try {
      const doc = (await request(url + '/data/a.json', { headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } })).json() as { tiles: string[] };
      assert.deepEqual(doc.tiles, [`${url}/data/a/{z}/{x}/{y}.pbf`]);
    } finally {
      await server.stop();
    }
  });

  it('answers cached requests (fast path) like the first: HEAD, 304, 204, 404 and metrics', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 1, x: 0, y: 0, payload: Buffer.from('tile') }] });
    const { server, url } = await start({}, { a: file });
    try {
      for (let round = 0; round < 2; round++) {
        const head = await request(url + '/data/a/1/0/0.pbf', { method: 'HEAD', headers: GZ });
        assert.equal(head.status, 200);
        assert.equal(head.body.length, 0);
        const etag = String((await request(url + '/data/a/1/0/0.pbf', { headers: GZ })).headers.etag);
        assert.equal((await request(url + '/data/a/1/0/0.pbf', { headers: { ...GZ, 'if-none-match': `"x", ${etag}` } })).status, 304, `round ${round}`);
        assert.equal((await request(url + '/data/a/1/1/1.pbf')).status, 204, `round ${round}`);
      }
      const metrics = (await request(url + '/metrics')).text();
      assert.match(metrics, /tuilerie_http_requests_total\{route="\/data\/:id\/:z\/:x\/:y\.:ext",status="304"\} 2/);
      assert.match(metrics, /tuilerie_http_requests_total\{route="\/data\/:id\/:z\/:x\/:y\.:ext",status="204"\} 2/);
    } finally {
      await server.stop();
    }
  });

  it('answers 404 for a missing tile when configured', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('zero') }] });
    const { server, url } = await start({ cache: { missingTileStatus: 404 } }, { a: file });
    try {
      assert.equal((await request(url + '/data/a/1/0/0.pbf')).status, 404);
      assert.equal((await request(url + '/data/a/1/0/0.pbf')).status, 404, 'cached miss too');
    } finally {
      await server.stop();
    }
  });

  it('answers 204 for a zero-length stored tile', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 1, x: 0, y: 0, payload: Buffer.alloc(0), gzip: false }] });
    const { server, url } = await start({}, { a: file });
    try {
      assert.equal((await request(url + '/data/a/1/0/0.pbf')).status, 204);
    } finally {
      await server.stop();
    }
  });

  it('uses publicUrl for tile URLs when configured', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [] });
    const { server, url } = await start({ publicUrl: 'https://maps.example.org/tiles/' }, { a: file });
    try {
      const doc = (await request(url + '/data/a.json')).json() as { tiles: string[] };
      assert.deepEqual(doc.tiles, ['https://maps.example.org/tiles/data/a/{z}/{x}/{y}.pbf']);
    } finally {
      await server.stop();
    }
  });

  it('serves the new data after the file is replaced by rename, with a new ETag (file watch)', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('first import') }] });
    const { server, url } = await start({ watch: true }, { a: file });
    try {
      const before = await request(url + '/data/a/0/0/0.pbf');
      assert.equal(before.body.toString(), 'first import');
      writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('second import') }] });
      let after = before;
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && after.body.toString() !== 'second import') {
        await new Promise((r) => setTimeout(r, 50));
        after = await request(url + '/data/a/0/0/0.pbf');
      }
      assert.equal(after.body.toString(), 'second import');
      assert.notEqual(after.headers.etag, before.headers.etag);
      const stale = await request(url + '/data/a/0/0/0.pbf', { headers: { 'if-none-match': String(before.headers.etag) } });
      assert.equal(stale.status, 200);
    } finally {
      await server.stop();
    }
  });

  it('serves the new data after reload() (SIGHUP) without a file watch', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('first import') }] });
    const { server, url } = await start({ watch: false }, { a: file });
    try {
      assert.equal((await request(url + '/data/a/0/0/0.pbf')).body.toString(), 'first import');
      writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('second import') }] });
      await server.reload();
      assert.equal((await request(url + '/data/a/0/0/0.pbf')).body.toString(), 'second import');
    } finally {
      await server.stop();
    }
  });

  it('keeps serving the old data when the replacement is corrupt', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('good') }] });
    const { server, url } = await start({ watch: false }, { a: file });
    try {
      fs.copyFileSync(path.join(FIXTURES_DIR, 'mbtiles', 'corrupt.mbtiles'), file + '.tmp');
      fs.renameSync(file + '.tmp', file);
      await server.reload();
      assert.equal((await request(url + '/data/a/0/0/0.pbf')).body.toString(), 'good');
    } finally {
      await server.stop();
    }
  });

  it('serves PMTiles vector and raster archives, skipping an invalid one', async () => {
    const pm = (n: string) => path.join(FIXTURES_DIR, 'pmtiles', n);
    const { server, url } = await start({}, { vec: pm('test_fixture_1.pmtiles'), toner: pm('stamen_toner_z3.pmtiles'), bad: pm('invalid.pmtiles') });
    try {
      const vec = await request(url + '/data/vec/0/0/0.pbf', { headers: GZ });
      assert.equal(vec.status, 200);
      assert.equal(vec.headers['content-encoding'], 'gzip');
      const png = await request(url + '/data/toner/1/1/1.png');
      assert.equal(png.status, 200);
      assert.equal(png.headers['content-type'], 'image/png');
      assert.deepEqual([...png.body.subarray(1, 4)], [...Buffer.from('PNG')]);
      assert.deepEqual(((await request(url + '/data/toner.json')).json() as { tiles: string[] }).tiles, [`${url}/data/toner/{z}/{x}/{y}.png`]);
      assert.equal((await request(url + '/data/bad.json')).status, 404);
    } finally {
      await server.stop();
    }
  });

  it('serves the odd node-mbtiles fixtures: a NULL tile and absent tiles → 204, an unindexed archive works', async () => {
    const mb = (n: string) => path.join(FIXTURES_DIR, 'mbtiles', n);
    const { server, url } = await start({}, { nul: mb('corrupt_null_tile.mbtiles'), holes: mb('some-empty-tiles.mbtiles'), unidx: mb('unindexed.mbtiles') });
    try {
      assert.equal((await request(url + '/data/nul/1/0/1.png')).status, 204);
      assert.equal((await request(url + '/data/nul/1/1/1.png')).status, 200);
      assert.equal((await request(url + '/data/holes/2/0/0.png')).status, 204);
      assert.equal((await request(url + '/data/holes/2/3/0.png')).status, 200);
      assert.equal((await request(url + '/data/unidx/1/0/0.png')).status, 200);
    } finally {
      await server.stop();
    }
  });

  it('fails to start with IO_ERROR naming the address when the port is taken', async () => {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [] });
    const first = await start({}, { a: file });
    try {
      const port = Number(new URL(first.url).port);
      const config = loadConfig({ flags: { port, host: '127.0.0.1', sources: { a: { path: file } } } });
      const second = new TuilerieServer({ config, logger: silentLogger });
      await assert.rejects(second.start(), (e: unknown) => isTuilerieError(e, 'IO_ERROR') && new RegExp(`127\\.0\\.0\\.1:${port}`).test((e as Error).message));
      await second.stop();
    } finally {
      await first.server.stop();
    }
  });

  it('/health answers 503 while starting', async () => {
    const config = loadConfig({ flags: { port: 0 } });
    const cache = new MemoryTileCache({ maxBytes: 1000 });
    const catalog = new Catalog({ open: async () => { throw new Error('unused'); }, cache, logger: silentLogger });
    // nothing renders here: the services only need an address for their renderer's allow-list
    const services = new ServingServices({ config, catalog, internalBaseUrl: 'http://127.0.0.1:9', logger: silentLogger });
    const { app } = createApp({ config, cache, state: { ready: false }, catalog, services });
    const l = await listen(app);
    try {
      assert.equal((await request(l.url + '/health')).status, 503);
    } finally {
      await l.close();
      await services.close();
    }
  });
});
