import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/load_config.js';
import { silentLogger } from '../../src/core/logger.js';
import { lonLatToTile } from '../../src/core/tile_math.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import type { ChromiumRenderer } from '../../src/render/chromium_renderer.js';
import type { RasterSettings } from '../../src/render/raster_stack.js';
import { NATURAL_EARTH_DIR, REPO_ROOT, UPSTREAM_STYLES_DIR, osmFile, tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { execFileSync } from 'node:child_process';
import { distinctColours } from '../unit/render/renderer_contract.js';

const STYLES = ['osm-bright', 'positron', 'dark-matter', 'maptiler-basic'];
const MULHOUSE: [number, number] = [7.334, 47.752];
const tileAt = (z: number) => lonLatToTile(MULHOUSE[0], MULHOUSE[1], z);

/** Our own import of Mulhouse, with Natural Earth so that low zooms have something to draw. */
function importMulhouse(dir: string): string {
  const out = path.join(dir, 'mulhouse.mbtiles');
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'import', '--out', out, '--natural-earth', NATURAL_EARTH_DIR, '--threads', '1', '--quiet', osmFile('mulhouse.osm.pbf')], { cwd: REPO_ROOT, stdio: 'pipe' });
  return out;
}

async function startServer(mbtiles: string, settings: Partial<RasterSettings>): Promise<{ server: TuilerieServer; url: string }> {
  const config = loadConfig({
    flags: {
      port: 0,
      host: '127.0.0.1',
      watch: false,
      sources: { mulhouse: { path: mbtiles } },
      styles: Object.fromEntries(STYLES.map((s) => [s, { path: path.join(UPSTREAM_STYLES_DIR, s, 'style.json') }])),
    },
  });
  const server = new TuilerieServer({ config, logger: silentLogger, services: { raster: settings } });
  return { server, url: await server.start() };
}

async function imageSize(body: Buffer): Promise<[string | undefined, number | undefined, number | undefined]> {
  const m = await sharp(body).metadata();
  return [m.format, m.width, m.height];
}

describe('raster tiles and static maps over a Mulhouse import @slow', function () {
  let dir: string;
  let mbtiles: string;
  let server: TuilerieServer;
  let url: string;
  const settings = (): Partial<RasterSettings> => ({ cacheDir: path.join(dir, 'raster-cache'), maxQueue: 2 });

  before(async () => {
    dir = tempDir('tuilerie-raster-e2e-');
    mbtiles = importMulhouse(dir);
    ({ server, url } = await startServer(mbtiles, settings()));
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const stack = () => server.services.raster;

  for (const style of STYLES) {
    for (const z of [5, 10, 14]) {
      it(`${style}: a z${z} tile over Mulhouse is a 256 px PNG that is not blank`, async () => {
        const t = tileAt(z);
        const r = await request(`${url}/styles/${style}/${z}/${t.x}/${t.y}.png`);
        assert.equal(r.status, 200, r.text().slice(0, 200));
        assert.equal(r.headers['content-type'], 'image/png');
        assert.deepEqual(await imageSize(r.body), ['png', 256, 256]);
        assert.ok((await distinctColours(r.body)) > 20, 'a map, not a background');
      });
    }
  }

  it('an @2x tile is 512 px', async () => {
    const t = tileAt(14);
    const r = await request(`${url}/styles/osm-bright/${t.z}/${t.x}/${t.y}@2x.png`);
    assert.equal(r.status, 200);
    assert.deepEqual(await imageSize(r.body), ['png', 512, 512]);
  });

  it('a /512/ tile is 512 px, and JPEG and WebP are served as such', async () => {
    const t = tileAt(13);
    const jpg = await request(`${url}/styles/positron/512/${t.z}/${t.x}/${t.y}.jpg`);
    const webp = await request(`${url}/styles/positron/512/${t.z}/${t.x}/${t.y}.webp`);
    assert.deepEqual(await imageSize(jpg.body), ['jpeg', 512, 512]);
    assert.equal(webp.headers['content-type'], 'image/webp');
  });

  it('neighbouring tiles of one metatile cost one render', async () => {
    const t = tileAt(12);
    const before = stack().pool.stats().renders;
    const x0 = t.x - (t.x % 4), y0 = t.y - (t.y % 4);
    const all = await Promise.all([0, 1, 2, 3].map((d) => request(`${url}/styles/dark-matter/12/${x0 + d}/${y0 + (d % 2)}.png`)));
    assert.ok(all.every((r) => r.status === 200));
    assert.equal(stack().pool.stats().renders - before, 1);
  });

  it('answers 304 to If-None-Match with the ETag of a tile', async () => {
    const t = tileAt(14);
    const first = await request(`${url}/styles/osm-bright/${t.z}/${t.x}/${t.y}.png`);
    const again = await request(`${url}/styles/osm-bright/${t.z}/${t.x}/${t.y}.png`, { headers: { 'if-none-match': String(first.headers.etag) } });
    assert.equal(again.status, 304);
  });

  it('serves a raster TileJSON pointing at the PNG tiles', async () => {
    const r = await request(`${url}/styles/osm-bright.json`);
    const tj = r.json() as { tiles: string[]; tileSize: number };
    assert.equal(r.status, 200);
    assert.equal(tj.tiles[0], `${url}/styles/osm-bright/{z}/{x}/{y}.png`);
  });

  it('renders a static map of a bounding box at the requested size', async () => {
    const r = await request(`${url}/styles/osm-bright/static/7.326,47.749,7.342,47.755/400x300.png`);
    assert.equal(r.status, 200, r.text().slice(0, 200));
    assert.deepEqual(await imageSize(r.body), ['png', 400, 300]);
    assert.ok((await distinctColours(r.body)) > 50);
  });

  it('renders a static map around a centre with bearing at @2x', async () => {
    const r = await request(`${url}/styles/positron/static/7.334,47.752,15@30/300x200@2x.webp`);
    assert.equal(r.status, 200, r.text().slice(0, 200));
    assert.deepEqual(await imageSize(r.body), ['webp', 600, 400]);
  });

  it('draws path and marker overlays on an auto-fitted static map', async () => {
    const q = '?path=stroke:f00|width:6|7.328,47.750|7.340,47.754&marker=7.334,47.752|color:00f';
    const withOverlay = await request(`${url}/styles/positron/static/auto/300x200.png${q.replace(/\|/g, '%7C')}`);
    assert.equal(withOverlay.status, 200, withOverlay.text().slice(0, 200));
    const { data } = await sharp(withOverlay.body).raw().toBuffer({ resolveWithObject: true });
    let red = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 200 && data[i + 1] < 60 && data[i + 2] < 60) red++;
    assert.ok(red > 100, `the red path is drawn (${red} red pixels)`);
  });

  it('refuses a static map larger than 4096 px after scale with 400', async () => {
    const r = await request(`${url}/styles/osm-bright/static/7.334,47.752,14/2100x100@2x.png`);
    assert.equal(r.status, 400);
  });

  it('answers 404 for an unknown style', async () => {
    const r = await request(`${url}/styles/nope/14/8514/5762.png`);
    assert.equal(r.status, 404);
  });

  it('answers 503 with Retry-After past the queue length, and stays up', async () => {
    // distinct metatiles far apart so that none is cached or shared
    const reqs = Array.from({ length: 8 }, (_, i) => request(`${url}/styles/maptiler-basic/14/${8400 + 8 * i}/${5700 + 8 * i}.png`));
    const res = await Promise.all(reqs);
    const refused = res.filter((r) => r.status === 503);
    assert.ok(refused.length > 0, `statuses: ${res.map((r) => r.status).join(',')}`);
    assert.ok(refused.every((r) => Number(r.headers['retry-after']) > 0));
    assert.equal((await request(`${url}/health`)).status, 200);
    const metrics = (await request(`${url}/metrics`)).text();
    assert.match(metrics, /tuilerie_render_rejected_total\S* [1-9]/);
    const t = tileAt(11);
    assert.equal((await request(`${url}/styles/maptiler-basic/11/${t.x}/${t.y}.png`)).status, 200);
  });

  it('drops the queued render of a client that disconnected and abandons the running one of another', async () => {
    const metric = async (name: string) => Number(new RegExp(`^tuilerie_render_${name} (\\d+)$`, 'm').exec((await request(`${url}/metrics`)).text())?.[1] ?? NaN);
    const until = async (what: string, cond: () => Promise<boolean>) => {
      for (let i = 0; i < 1200; i++) {
        if (await cond()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.fail(`timed out waiting for ${what}`);
    };
    /** A request whose client will hang up: resolves when it is sent, abort() destroys its socket. */
    const hangUp = (p: string) => {
      const req = http.get(url + p);
      req.on('error', () => undefined);
      return { abort: () => req.destroy() };
    };
    const before = { renders: await metric('renders_total'), cancelled: await metric('cancelled_total'), abandoned: await metric('abandoned_total') };
    // a big static map keeps the one renderer busy for a while, an uncached one waits behind it
    const running = hangUp('/styles/osm-bright/static/7.334,47.752,12/4096x4096.png');
    await until('the big map to start', async () => (await metric('active')) === 1);
    const queued = hangUp('/styles/positron/static/7.30,47.75,13/300x200.png');
    await until('the small map to queue', async () => (await metric('queued')) === 1);
    queued.abort();
    await until('the queued render to be dropped', async () => (await metric('cancelled_total')) === before.cancelled + 1);
    assert.equal(await metric('queued'), 0);
    running.abort();
    await until('the running render to be abandoned', async () => (await metric('abandoned_total')) === before.abandoned + 1 && (await metric('active')) === 0);
    assert.equal(await metric('renders_total'), before.renders, 'neither render was finished');
    // and the renderer serves the next client
    const r = await request(`${url}/styles/positron/static/7.30,47.75,13/300x200.png`);
    assert.equal(r.status, 200);
    assert.equal(await metric('renders_total'), before.renders + 1);
  });

  it('recovers from a killed browser', async () => {
    const browserPid = () => (stack().pool.renderers()[0] as ChromiumRenderer).browserPid();
    const pid = await browserPid();
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const t = tileAt(9);
    const r = await request(`${url}/styles/osm-bright/9/${t.x}/${t.y}.png`);
    assert.equal(r.status, 200, r.text().slice(0, 200));
    const now = await browserPid();
    assert.ok(now && now !== pid, 'a new browser runs');
  });

  it('retries a render whose browser is killed while it draws, on a new browser', async () => {
    const renderer = stack().pool.renderers()[0] as ChromiumRenderer;
    const pid = await renderer.browserPid();
    assert.ok(pid);
    const t = tileAt(13);
    const pending = request(`${url}/styles/dark-matter/13/${t.x}/${t.y}.png`);
    await new Promise((r) => setTimeout(r, 100));
    process.kill(pid, 'SIGKILL');
    const r = await pending;
    assert.equal(r.status, 200, r.text().slice(0, 200));
  });

  it('serves rendered tiles from disk after a restart, without rendering', async () => {
    const t = tileAt(14);
    const first = await request(`${url}/styles/osm-bright/${t.z}/${t.x}/${t.y}.png`);
    await server.stop();
    ({ server, url } = await startServer(mbtiles, settings()));
    const again = await request(`${url}/styles/osm-bright/${t.z}/${t.x}/${t.y}.png`);
    assert.equal(again.status, 200);
    assert.equal(again.headers.etag, first.headers.etag);
    assert.equal(stack().pool.stats().renders, 0);
  });

  it('renders again once the data is re-imported (a new data version)', async () => {
    const t = tileAt(14);
    await request(`${url}/styles/osm-bright/${t.z}/${t.x}/${t.y}.png`);
    const before = stack().pool.stats().renders;
    const copy = `${mbtiles}.new`;
    fs.copyFileSync(mbtiles, copy);
    fs.utimesSync(copy, new Date(), new Date(Date.now() + 5000));
    fs.renameSync(copy, mbtiles);
    await server.reload();
    const r = await request(`${url}/styles/osm-bright/${t.z}/${t.x}/${t.y}.png`);
    assert.equal(r.status, 200);
    assert.equal(stack().pool.stats().renders - before, 1);
  });
});
