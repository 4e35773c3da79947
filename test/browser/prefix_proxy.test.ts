/**
 * Every page behind a real reverse proxy under a path prefix: Debian nginx runs
 * the README's configuration (docs/nginx-prefix.conf) in front of the server,
 * with only /tiles/ proxied (anything root-absolute answers 404), and headless
 * Chromium opens the landing page, a style, the tile inspector and the routing
 * demo through it. The server trusts the proxy's X-Forwarded-* headers.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config/load_config.js';
import { buildRoutingGraph } from '../../src/routing/build_routing_graph.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { REPO_ROOT, osmFile, tempDir } from '../helpers/paths.js';
import { CHROMIUM, openBrowser, type BrowserSession } from './browser_session.js';
import { makeMulhouseTiles } from './mulhouse_tiles.js';

const NGINX = '/usr/sbin/nginx';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** nginx in the foreground with the documented location block, proxying to `backendPort`. */
async function startNginx(dir: string, backendPort: number): Promise<{ url: string; child: ChildProcess }> {
  const snippet = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'nginx-prefix.conf'), 'utf8').replace('http://127.0.0.1:8080/', `http://127.0.0.1:${backendPort}/`);
  assert.ok(snippet.includes(`127.0.0.1:${backendPort}`), 'the documented proxy_pass was found');
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(conf, `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    # only the prefix leads to Tuilerie: a root-absolute URL in a page fails here
    location / { return 404; }
${snippet}
  }
}
`);
  const child = spawn(NGINX, ['-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 30_000;
  for (;;) {
    const r = await fetch(`${url}/tiles/health`).catch(() => undefined);
    if (r?.status === 200) break;
    assert.ok(Date.now() < end && child.exitCode === null, `nginx did not start: ${err} ${fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child };
}

/** Failed requests, HTTP errors, console errors, uncaught exceptions, and every URL the page asked for. */
function watch(page: Page): { problems: string[]; urls: string[] } {
  const problems: string[] = [];
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  // the browser's own favicon request goes to the site root, outside the prefix: not the page's
  page.on('console', (m) => { if (m.type() === 'error' && !/\/favicon\.ico$/.test(m.location().url)) problems.push(`console error: ${m.text()} (${m.location().url})`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { problems, urls };
}

describe('web pages behind nginx under a path prefix (headless Chromium) @slow', function () {
  this.timeout(600_000);
  let dir: string;
  let server: TuilerieServer;
  let nginx: { url: string; child: ChildProcess } | undefined;
  let browser: BrowserSession;
  let prefix: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: install Debian chromium (npm run setup)`);
    if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} missing: install Debian nginx (npm run setup)`);
    const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'build_assets.ts')], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`asset build failed: ${build.stderr}`);
    dir = tempDir('tuilerie-prefix-');
    const tiles = makeMulhouseTiles(dir);
    await buildRoutingGraph({ inputs: [osmFile('mulhouse.osm.pbf')], out: tiles.file.replace(/\.mbtiles$/, '.routing') });
    const config = loadConfig({
      baseDir: dir,
      flags: {
        port: 0, host: '127.0.0.1', watch: false, trustProxy: true, accessLog: false,
        sources: { mulhouse: { path: tiles.file } },
        styles: { bright: { path: path.join(REPO_ROOT, 'styles', 'bright.json') } },
      },
    });
    server = new TuilerieServer({ config });
    const backend = new URL(await server.start());
    nginx = await startNginx(path.join(dir, 'nginx'), Number(backend.port));
    prefix = `${nginx.url}/tiles`;
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    nginx?.child.kill('SIGTERM');
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Requests that left the prefix (the first navigation to /tiles itself aside, which nginx redirects to /tiles/). */
  it('the README shows the directives of the configuration tested here', () => {
    const directives = (text: string) => text.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    const readme = /```nginx\n([^]*?)```/.exec(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'))?.[1] ?? '';
    assert.deepEqual(directives(readme), directives(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'nginx-prefix.conf'), 'utf8')));
  });

  const outsidePrefix = (urls: string[]) => urls.filter((u) => u.startsWith(nginx!.url) && !u.startsWith(`${prefix}/`) && u !== prefix && !u.endsWith('/favicon.ico'));

  it('the landing page loads its scripts and lists styles and data with URLs under the prefix', async () => {
    const page = await browser.context.newPage();
    const { problems, urls } = watch(page);
    // nginx answers /tiles with a redirect to /tiles/
    await page.goto(prefix);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    assert.equal(page.url(), `${prefix}/`);
    assert.deepEqual(await page.$$eval('[data-style]', (els) => els.map((e) => e.getAttribute('data-style'))), ['bright']);
    const copied = await page.$$eval('input[readonly]', (els) => els.map((e) => (e as HTMLInputElement).value));
    assert.ok(copied.length >= 3 && copied.every((u) => u.startsWith(`${prefix}/`)), copied.join('\n'));
    const links = await page.$$eval('a[href]', (els) => els.map((e) => (e as HTMLAnchorElement).href));
    assert.ok(links.every((u) => u.startsWith(`${prefix}/`)), links.join('\n'));
    assert.deepEqual(problems, []);
    assert.deepEqual(outsidePrefix(urls), []);
    await page.close();
  });

  for (const [kind, id] of [['style', 'bright'], ['data', 'mulhouse']]) {
    it(`the ${kind} viewer draws the map with every request under the prefix`, async () => {
      const page = await browser.context.newPage();
      const { problems, urls } = watch(page);
      await page.goto(`${prefix}/viewer/${kind}/${id}`);
      await page.waitForFunction(() => (window as unknown as { tuilerie?: { loaded: boolean; errors: string[] } }).tuilerie?.loaded === true
        || ((window as unknown as { tuilerie?: { errors: string[] } }).tuilerie?.errors.length ?? 0) > 0, undefined, { timeout: 120_000 });
      assert.deepEqual(await page.evaluate(() => (window as unknown as { tuilerie: { errors: string[] } }).tuilerie.errors), []);
      assert.ok(urls.some((u) => /\/tiles\/data\/mulhouse\/\d+\/\d+\/\d+\.pbf$/.test(u)), 'vector tiles requested through the proxy');
      assert.equal(await page.locator('a', { hasText: 'Tuilerie' }).first().evaluate((a) => (a as HTMLAnchorElement).href), `${prefix}/`);
      assert.deepEqual(problems, []);
      assert.deepEqual(outsidePrefix(urls), []);
      await page.close();
    });
  }

  it('the routing demo loads its map and routes between two clicks through the prefix', async () => {
    const page = await browser.context.newPage();
    const { problems, urls } = watch(page);
    await page.goto(`${prefix}/routing`);
    await page.waitForFunction(() => (window as unknown as { routingDemo?: { map: { loaded(): boolean } } }).routingDemo?.map.loaded() === true, undefined, { timeout: 120_000 });
    const box = (await page.locator('#map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 - 20, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width / 2 + 20, box.y + box.height / 2 + 5);
    await page.waitForFunction(() => (window as unknown as { routingDemo: { last: unknown } }).routingDemo.last !== null, undefined, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { routingDemo: { last: { code: string } } }).routingDemo.last.code), 'Ok');
    assert.ok(urls.some((u) => u.startsWith(`${prefix}/route/v1/`)), 'the route asked through the proxy');
    assert.equal(await page.locator('a#home').evaluate((a) => (a as HTMLAnchorElement).href), `${prefix}/`);
    assert.deepEqual(problems, []);
    assert.deepEqual(outsidePrefix(urls), []);
    await page.close();
  });
});
