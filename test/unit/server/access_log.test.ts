/** Log lines an operator can use: time and level on each line, JSON on demand, one access line per request. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../../src/config/load_config.js';
import { StreamLogger } from '../../../src/core/logger.js';
import { TuilerieServer } from '../../../src/server/tuilerie_server.js';
import { tempDir } from '../../helpers/paths.js';
import { writeMbtiles } from '../../e2e/serve_fixtures.js';
import { request } from './http_client.js';

function sink(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (b: Buffer) => { text += b.toString(); });
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

describe('logs', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = tempDir();
    file = path.join(dir, 'fixture.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 3, x: 4, y: 2, payload: Buffer.from('a vector tile') }] });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function serve(flags: Record<string, unknown>, out: PassThrough): Promise<{ server: TuilerieServer; url: string }> {
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, sources: { fixture: { path: file } }, ...flags } });
    const server = new TuilerieServer({ config, logger: new StreamLogger({ stream: out, format: config.logFormat, name: 'serve' }) });
    return { server, url: await server.start() };
  }

  it('text lines start with an ISO time and the level', () => {
    const { stream, lines } = sink();
    const log = new StreamLogger({ stream, name: 'x' });
    log.info('hello', { a: 1 });
    log.child('y').warn('careful');
    assert.match(lines()[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO  \[x\] hello a=1$/);
    assert.match(lines()[1], /^\S+Z WARN  \[x:y\] careful$/);
  });

  it('logFormat json: one object per line with time, level, name, msg and fields', () => {
    const { stream, lines } = sink();
    new StreamLogger({ stream, name: 'x', format: 'json' }).child('y').error('broke', { code: 'E' });
    const o = JSON.parse(lines()[0]) as Record<string, unknown>;
    assert.equal(o.level, 'error');
    assert.equal(o.name, 'x:y');
    assert.equal(o.msg, 'broke');
    assert.equal(o.code, 'E');
    assert.ok(!Number.isNaN(Date.parse(String(o.time))));
  });

  it('access log: method, path, status, bytes, ms and cache miss then hit, in JSON', async () => {
    const { stream, lines } = sink();
    const { server, url } = await serve({ logFormat: 'json' }, stream);
    try {
      const first = await request(`${url}/data/fixture/3/4/2.pbf`, { headers: { 'accept-encoding': 'gzip' } });
      const second = await request(`${url}/data/fixture/3/4/2.pbf`, { headers: { 'accept-encoding': 'gzip' } });
      await request(`${url}/data/fixture.json`);
      await request(`${url}/nothing/here`);
      assert.equal(first.status, 200);
      await new Promise((r) => setImmediate(r));
      const access = lines().map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o.name === 'serve:access');
      assert.equal(access.length, 4, lines().join('\n'));
      assert.deepEqual(access.map((o) => [o.method, o.path, o.status, o.cache]), [
        ['GET', '/data/fixture/3/4/2.pbf', 200, 'miss'],
        ['GET', '/data/fixture/3/4/2.pbf', 200, 'hit'],
        ['GET', '/data/fixture.json', 200, '-'],
        ['GET', '/nothing/here', 404, '-'],
      ]);
      assert.equal(access[0].bytes, first.body.length);
      assert.equal(access[1].bytes, second.body.length);
      assert.ok(access.every((o) => typeof o.ms === 'number' && o.ms >= 0));
    } finally {
      await server.stop();
    }
  });

  it('accessLog false: no request lines, other lines still there', async () => {
    const { stream, lines } = sink();
    const { server, url } = await serve({ accessLog: false }, stream);
    try {
      assert.equal((await request(`${url}/data/fixture.json`)).status, 200);
    } finally {
      await server.stop();
    }
    assert.ok(lines().some((l) => /INFO  \[serve\] ready/.test(l)), lines().join('\n'));
    assert.ok(!lines().some((l) => /access/.test(l)), lines().join('\n'));
  });

  it('says the address it is bound to, with URLs that reach it', async () => {
    const { stream, lines } = sink();
    const { server } = await serve({ host: '0.0.0.0', accessLog: false }, stream);
    await server.stop();
    const line = lines().find((l) => /listening on/.test(l)) ?? '';
    assert.match(line, /listening on all interfaces \(0\.0\.0\.0\) port \d+: http:\/\/127\.0\.0\.1:\d+ on this machine, http:\/\/\S+:\d+ from others/);
  });
});
