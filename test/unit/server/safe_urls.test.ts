/**
 * Safe URLs: forwarded headers are read only with trustProxy, each checked; every
 * document that embeds absolute URLs follows the one base-URL rule and varies on
 * the headers it read; publicUrl wins everywhere.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { loadConfig } from '../../../src/config/load_config.js';
import { silentLogger } from '../../../src/core/logger.js';
import { FORWARDED_HEADERS, parseForwarded, requestBase, validHost, validPrefix, validProto } from '../../../src/server/base_url.js';
import { TuilerieServer } from '../../../src/server/tuilerie_server.js';
import { UPSTREAM_STYLES_DIR, tempDir } from '../../helpers/paths.js';
import { writeMbtiles } from '../../e2e/serve_fixtures.js';
import { request } from './http_client.js';

const req = (headers: Record<string, string>) => ({ headers, socket: {} }) as unknown as IncomingMessage;
const TRUST = { publicUrl: '', trustProxy: true };
const DIRECT = { publicUrl: '', trustProxy: false };

describe('requestBase', () => {
  it('is publicUrl whatever the headers say, with nothing to vary on', () => {
    const b = requestBase(req({ host: 'a:1', 'x-forwarded-host': 'evil.example' }), { publicUrl: 'https://t.example.org/tiles', trustProxy: true });
    assert.deepEqual(b, { url: 'https://t.example.org/tiles', vary: [] });
  });

  it('ignores every forwarded header when trustProxy is off (the default)', () => {
    const b = requestBase(req({ host: 'tiles.local:8080', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-prefix': '/x', forwarded: 'host=evil.example;proto=https' }), DIRECT);
    assert.deepEqual(b, { url: 'http://tiles.local:8080', vary: [] });
    assert.equal(loadConfig({}).trustProxy, false);
  });

  it('follows X-Forwarded-Proto, -Host and -Prefix when trusted, and varies on the forwarded headers', () => {
    const b = requestBase(req({ host: 'internal:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'maps.example.org', 'x-forwarded-prefix': '/tiles/' }), TRUST);
    assert.equal(b.url, 'https://maps.example.org/tiles');
    assert.deepEqual([...b.vary].sort(), [...FORWARDED_HEADERS].sort());
  });

  it('follows the first element of Forwarded (quoted values, any case), before X-Forwarded-*', () => {
    const b = requestBase(req({ host: 'internal', forwarded: 'For="[2001:db8::1]:4711";Host="[2001:db8::2]:8443";Proto=HTTPS, host=second.example', 'x-forwarded-host': 'other.example' }), TRUST);
    assert.equal(b.url, 'https://[2001:db8::2]:8443');
  });

  it('still varies on the forwarded headers when none was sent (the answer depends on their absence)', () => {
    assert.deepEqual(requestBase(req({ host: 'h' }), TRUST), { url: 'http://h', vary: FORWARDED_HEADERS });
  });

  describe('X-Forwarded-Host', () => {
    const host = (v: string) => requestBase(req({ host: 'fallback', 'x-forwarded-host': v }), TRUST).url;
    for (const good of ['maps.example.org', 'maps.example.org:8443', '127.0.0.1:80', '[::1]:8080', '[2001:db8::7]', 'a_b.internal']) {
      it(`takes ${good}`, () => assert.equal(host(good), `http://${good.toLowerCase()}`));
    }
    for (const bad of ['evil.example@x', 'a/b', 'a b', 'x:0', 'x:65536', 'x:80:80', '::1', '[::g]', '[::1]x', 'a..b', '-', '"x"', 'a\\b', 'x:', 'a%2f']) {
      it(`ignores ${JSON.stringify(bad)}`, () => assert.equal(host(bad), 'http://fallback'));
    }
    it('takes the first of a list', () => assert.equal(host('a.example.org, b.example.org'), 'http://a.example.org'));
  });

  describe('X-Forwarded-Proto', () => {
    const proto = (v: string) => requestBase(req({ host: 'h', 'x-forwarded-proto': v }), TRUST).url;
    it('takes https and http, in any case', () => {
      assert.equal(proto('https'), 'https://h');
      assert.equal(proto('HTTP'), 'http://h');
    });
    for (const bad of ['javascript', 'ftp', 'https:', 'https://evil', '']) it(`ignores ${JSON.stringify(bad)}`, () => assert.equal(proto(bad), 'http://h'));
  });

  describe('X-Forwarded-Prefix', () => {
    const prefix = (v: string) => requestBase(req({ host: 'h', 'x-forwarded-prefix': v }), TRUST).url;
    it('takes a path, without its trailing slash', () => {
      assert.equal(prefix('/tiles/'), 'http://h/tiles');
      assert.equal(prefix('/a/b-c_d.e~f'), 'http://h/a/b-c_d.e~f');
      assert.equal(prefix('/'), 'http://h');
    });
    for (const bad of ['@evil.example', 'tiles', '/a@evil.example', '//evil.example', '/a//b', '/a?x=1', '/a#x', '/a\u0000b', '/a\nb', '/a\tb', '/a\\b', '/a b', '/../x', '/./x']) {
      it(`ignores ${JSON.stringify(bad)}`, () => assert.equal(prefix(bad), 'http://h'));
    }
  });

  describe('Forwarded', () => {
    it('reads host and proto', () => assert.equal(requestBase(req({ host: 'h', forwarded: 'host=maps.example.org;proto=https' }), TRUST).url, 'https://maps.example.org'));
    it('ignores invalid values', () => assert.equal(requestBase(req({ host: 'h', forwarded: 'host="evil.example@x";proto=gopher' }), TRUST).url, 'http://h'));
    it('parses only the first element', () => assert.deepEqual({ ...parseForwarded('for=1.2.3.4;host=a, host=b') }, { for: '1.2.3.4', host: 'a' }));
  });

  it('checks the Host header itself and falls back to localhost', () => assert.equal(requestBase(req({ host: 'evil.example@x' }), DIRECT).url, 'http://localhost'));

  it('validators agree with their names', () => {
    assert.equal(validHost('Maps.Example.ORG:08080'), 'maps.example.org:8080');
    assert.equal(validProto('Https'), 'https');
    assert.equal(validPrefix('/a/'), '/a');
    assert.equal(validPrefix('a'), undefined);
  });
});

describe('documents with absolute URLs', function () {
  this.timeout(60_000);
  let dir: string;
  let server: TuilerieServer | undefined;
  let url: string;

  const DOCS = [
    '/data/a.json',
    '/data.json',
    '/index.json',
    '/styles.json',
    '/styles/bright/style.json',
    '/styles/bright.json',
    '/wmts?SERVICE=WMTS&REQUEST=GetCapabilities',
    '/wmts/1.0.0/WMTSCapabilities.xml',
    '/wms?SERVICE=WMS&REQUEST=GetCapabilities',
    '/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1',
  ];

  async function start(extra: Record<string, unknown>): Promise<void> {
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('tile') }] });
    const config = loadConfig({
      flags: {
        port: 0, host: '127.0.0.1', watch: false, dataDir: dir,
        sources: { a: { path: file } },
        styles: { bright: { path: path.join(UPSTREAM_STYLES_DIR, 'osm-bright', 'style.json') } },
        ...extra,
      },
    });
    server = new TuilerieServer({ config, logger: silentLogger });
    url = await server.start();
  }

  beforeEach(() => { dir = tempDir('tuilerie-safe-urls-'); });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const HOSTILE = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-prefix': '/p', forwarded: 'host=evil2.example' };

  for (const doc of DOCS) {
    it(`${doc}: by default uses Host, never a forwarded header, and does not vary on them`, async () => {
      await start({});
      const r = await request(url + doc, { headers: HOSTILE });
      assert.equal(r.status, 200, r.text());
      // (the configured attribution link, https://www.openstreetmap.org/copyright, is no derived URL)
      assert.doesNotMatch(r.text(), /evil|https:\/\/(?!www\.openstreetmap\.org\/)|\/p\//);
      assert.ok(r.text().includes(url), `no ${url} in ${r.text().slice(0, 300)}`);
      assert.doesNotMatch(String(r.headers.vary ?? ''), /forwarded/i);
    });

    it(`${doc}: with trustProxy follows valid forwarded headers and varies on them`, async () => {
      await start({ trustProxy: true });
      const r = await request(url + doc, { headers: { 'x-forwarded-host': 'maps.example.org', 'x-forwarded-proto': 'https', 'x-forwarded-prefix': '/tiles' } });
      assert.equal(r.status, 200);
      assert.ok(r.text().includes('https://maps.example.org/tiles/'), r.text().slice(0, 300));
      assert.doesNotMatch(r.text(), new RegExp(url.replace(/[.]/g, '\\.')));
      const vary = String(r.headers.vary).toLowerCase().split(/\s*,\s*/);
      for (const h of FORWARDED_HEADERS) assert.ok(vary.includes(h.toLowerCase()), `Vary: ${r.headers.vary}`);
    });

    it(`${doc}: with trustProxy drops an authority-moving prefix and an invalid host`, async () => {
      await start({ trustProxy: true });
      const r = await request(url + doc, { headers: { 'x-forwarded-host': 'evil.example/x', 'x-forwarded-prefix': '@evil.example' } });
      assert.equal(r.status, 200);
      assert.doesNotMatch(r.text(), /evil/);
      assert.ok(r.text().includes(url));
    });

    it(`${doc}: publicUrl wins over trusted forwarded headers`, async () => {
      await start({ trustProxy: true, publicUrl: 'https://public.example.net/base/' });
      const r = await request(url + doc, { headers: HOSTILE });
      assert.equal(r.status, 200);
      assert.ok(r.text().includes('https://public.example.net/base/'));
      assert.doesNotMatch(r.text(), /evil|127\.0\.0\.1/);
      assert.doesNotMatch(String(r.headers.vary ?? ''), /forwarded/i);
    });
  }
});
