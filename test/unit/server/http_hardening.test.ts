/** CORS limits, how failures are logged and counted, and the HTTP connection limits. */
import assert from 'node:assert/strict';
import net from 'node:net';
import express from 'express';
import { loadConfig } from '../../../src/config/load_config.js';
import { TuilerieError } from '../../../src/core/errors.js';
import { silentLogger, type Logger } from '../../../src/core/logger.js';
import { createApp } from '../../../src/server/app.js';
import { MemoryTileCache } from '../../../src/cache/memory_tile_cache.js';
import { Catalog } from '../../../src/server/catalog.js';
import { CORS_ALLOWED_HEADERS } from '../../../src/server/cors.js';
import { TuilerieServer } from '../../../src/server/tuilerie_server.js';
import type { FeatureRouter } from '../../../src/server/server_deps.js';
import { Metrics } from '../../../src/server/metrics.js';
import { createRoutingRouter } from '../../../src/server/routing_routes.js';
import { OsrmError } from '../../../src/routing/osrm_params.js';
import type { OsrmService } from '../../../src/routing/osrm_service.js';
import { listen, request, type Listening } from './http_client.js';

interface Line { level: string; msg: string; fields?: Record<string, unknown> }

function captureLogger(lines: Line[]): Logger {
  const l: Logger = {
    debug: (msg, fields) => void lines.push({ level: 'debug', msg, fields }),
    info: (msg, fields) => void lines.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => void lines.push({ level: 'warn', msg, fields }),
    error: (msg, fields) => void lines.push({ level: 'error', msg, fields }),
    child: () => l,
  };
  return l;
}

/** A router that fails on purpose, and answers GET and POST /ok. */
const testRoutes: FeatureRouter = () => {
  const r = express.Router();
  r.get('/busy', () => { throw new TuilerieError('OVERLOADED', 'rendering is at capacity', { details: { retryAfter: 7 } }); });
  r.get('/slow', () => { throw new TuilerieError('TIMEOUT', 'render took too long'); });
  r.get('/bad', () => { throw new TuilerieError('BAD_REQUEST', 'z must be a number'); });
  r.get('/bug', () => { throw new Error('a bug'); });
  r.get('/gone', () => { throw new TuilerieError('CANCELLED', 'the client went away'); });
  r.get('/ok', (_req, res) => void res.json({ ok: true }));
  r.post('/ok', (_req, res) => void res.json({ ok: true }));
  return r;
};

async function startApp(flags: Record<string, unknown>, lines: Line[] = []): Promise<{ server: Listening; metricsText: () => string }> {
  const config = loadConfig({ flags });
  const cache = new MemoryTileCache({ maxBytes: 1 << 20 });
  const { app, deps } = createApp({
    config,
    catalog: new Catalog({ open: async () => { throw new Error('no sources here'); }, cache, logger: silentLogger }),
    cache,
    logger: captureLogger(lines),
    routers: [{ name: 'test', mount: '/', create: testRoutes }],
  });
  return { server: await listen(app), metricsText: () => deps.metrics.render() };
}

describe('CORS', () => {
  let server: Listening | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  it('lets any origin read by default', async () => {
    ({ server } = await startApp({}));
    const r = await request(server.url + '/ok', { headers: { origin: 'https://a.example' } });
    assert.equal(r.headers['access-control-allow-origin'], '*');
  });

  it('answers a read preflight with a fixed list of headers, not the ones asked for', async () => {
    ({ server } = await startApp({}));
    const r = await request(server.url + '/ok', { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-evil, authorization, if-none-match' } });
    assert.equal(r.status, 204);
    assert.equal(r.headers['access-control-allow-headers'], CORS_ALLOWED_HEADERS);
    assert.doesNotMatch(String(r.headers['access-control-allow-headers']), /evil|authorization/i);
    assert.doesNotMatch(String(r.headers['access-control-allow-methods']), /POST/);
    assert.match(String(r.headers['access-control-allow-methods']), /GET/);
  });

  it('refuses a POST preflight and gives no CORS header to a cross-origin POST by default', async () => {
    ({ server } = await startApp({}));
    const pre = await request(server.url + '/ok', { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
    assert.equal(pre.headers['access-control-allow-methods'], undefined);
    const post = await request(server.url + '/ok', { method: 'POST', headers: { origin: 'https://a.example' } });
    assert.equal(post.headers['access-control-allow-origin'], undefined);
  });

  it('allows POST from the origins of cors.postOrigins only', async () => {
    ({ server } = await startApp({ cors: { postOrigins: ['https://plans.example'] } }));
    const pre = (origin: string) => request(server!.url + '/ok', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const ok = await pre('https://plans.example');
    assert.equal(ok.headers['access-control-allow-origin'], 'https://plans.example');
    assert.match(String(ok.headers['access-control-allow-methods']), /POST/);
    assert.match(String(ok.headers.vary), /Origin/);
    assert.equal((await pre('https://other.example')).headers['access-control-allow-origin'], undefined);
    const post = await request(server.url + '/ok', { method: 'POST', headers: { origin: 'https://plans.example' } });
    assert.equal(post.headers['access-control-allow-origin'], 'https://plans.example');
    // reads stay open to any origin
    assert.equal((await request(server.url + '/ok', { headers: { origin: 'https://other.example' } })).headers['access-control-allow-origin'], '*');
  });
});

describe('failed requests in the log and in /metrics', () => {
  let server: Listening | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  it('logs OVERLOADED as a warning without a stack, sends Retry-After from the error, and counts it by code', async () => {
    const lines: Line[] = [];
    let metricsText: () => string;
    ({ server, metricsText } = await startApp({}, lines));
    const r = await request(server.url + '/busy');
    assert.equal(r.status, 503);
    assert.equal(r.headers['retry-after'], '7');
    assert.deepEqual(lines.map((l) => l.level), ['warn']);
    assert.doesNotMatch(JSON.stringify(lines), /\bat\s.+:\d+:\d+/); // no stack frame
    assert.match(metricsText(), /tuilerie_http_errors_total\{code="OVERLOADED",status="503"\} 1/);
  });

  it('logs a TIMEOUT as a warning without a stack', async () => {
    const lines: Line[] = [];
    ({ server } = await startApp({}, lines));
    assert.equal((await request(server.url + '/slow')).status, 504);
    assert.deepEqual(lines.map((l) => l.level), ['warn']);
    assert.doesNotMatch(JSON.stringify(lines), /\bat\s.+:\d+:\d+/);
  });

  it('logs client errors (4xx) at debug, counted by code', async () => {
    const lines: Line[] = [];
    let metricsText: () => string;
    ({ server, metricsText } = await startApp({}, lines));
    assert.equal((await request(server.url + '/bad')).status, 400);
    assert.equal((await request(server.url + '/nowhere')).status, 404);
    assert.deepEqual(lines.map((l) => l.level), ['debug', 'debug']);
    assert.doesNotMatch(JSON.stringify(lines), /\bat\s.+:\d+:\d+/);
    assert.match(metricsText(), /tuilerie_http_errors_total\{code="BAD_REQUEST",status="400"\} 1/);
    assert.match(metricsText(), /tuilerie_http_errors_total\{code="NOT_FOUND",status="404"\} 1/);
  });

  it('maps CANCELLED (the client went away) to 499, logged at debug and counted', async () => {
    const lines: Line[] = [];
    let metricsText: () => string;
    ({ server, metricsText } = await startApp({}, lines));
    assert.equal((await request(server.url + '/gone')).status, 499);
    assert.deepEqual(lines.map((l) => l.level), ['debug']);
    assert.match(metricsText(), /tuilerie_http_errors_total\{code="CANCELLED",status="499"\} 1/);
  });

  it('counts OSRM client errors by their code, logged at debug', async () => {
    const lines: Line[] = [];
    const metrics = new Metrics();
    const app = express();
    const service = { route: () => { throw new OsrmError('InvalidOptions', 'bad radiuses'); } } as unknown as OsrmService;
    app.use(createRoutingRouter({ service: () => service, logger: captureLogger(lines), metrics }));
    server = await listen(app);
    assert.equal((await request(server.url + '/route/v1/driving/7.3,47.7;7.4,47.8')).status, 400);
    assert.deepEqual(lines.map((l) => l.level), ['debug']);
    assert.match(metrics.render(), /tuilerie_http_errors_total\{code="InvalidOptions",status="400"\} 1/);
  });

  it('logs a bug as an error with its stack', async () => {
    const lines: Line[] = [];
    ({ server } = await startApp({}, lines));
    assert.equal((await request(server.url + '/bug')).status, 500);
    assert.deepEqual(lines.map((l) => l.level), ['error']);
    assert.match(String(lines[0].fields?.error), /a bug\n\s+at /);
  });
});

describe('HTTP connection limits', function () {
  this.timeout(60_000);
  let server: TuilerieServer | undefined;
  afterEach(async () => { await server?.stop(); server = undefined; });

  async function start(http: Record<string, number>): Promise<URL> {
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, sources: {}, http } });
    server = new TuilerieServer({ config, logger: silentLogger, shutdownGraceMs: 1000 });
    return new URL(await server.start());
  }

  /** Sends `head` (and never the rest); resolves with what the server sent before closing the connection. */
  function stall(url: URL, head: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => socket.write(head));
      let got = '';
      socket.on('data', (d) => { got += d.toString(); });
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
    });
  }

  it('cuts off a request body that does not arrive within http.requestTimeoutMs (408)', async () => {
    const url = await start({ requestTimeoutMs: 1500, headersTimeoutMs: 1000 });
    const answer = await stall(url, `POST /plans HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"place":`);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  it('cuts off headers that do not arrive within http.headersTimeoutMs (408)', async () => {
    const url = await start({ requestTimeoutMs: 30_000, headersTimeoutMs: 1000 });
    const answer = await stall(url, `GET /health HTTP/1.1\r\nHost: ${url.host}\r\nX-Slow: `);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  it('keeps idle connections for http.keepAliveTimeoutMs', async () => {
    await start({ keepAliveTimeoutMs: 1234 });
    assert.equal((server as unknown as { http: { keepAliveTimeout: number } }).http.keepAliveTimeout, 1234);
  });
});
