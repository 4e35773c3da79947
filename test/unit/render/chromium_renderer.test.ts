import assert from 'node:assert/strict';
import sharp from 'sharp';
import pixelmatch from 'pixelmatch';
import { ChromiumRenderer, DEFAULT_CHROMIUM_PATH } from '../../../src/render/chromium_renderer.js';
import { startFixtureServer, tilemakerAvailable, type FixtureServer } from './fixture_tile_server.js';
import { MULHOUSE, rendererContract } from './renderer_contract.js';
import fs from 'node:fs';

const available = fs.existsSync(DEFAULT_CHROMIUM_PATH) && tilemakerAvailable();

describe(`ChromiumRenderer @slow${available ? '' : ' (skipped: needs Debian chromium and tilemaker)'}`, function () {
  if (!available) return;
  let server: FixtureServer;
  let renderer: ChromiumRenderer;
  before(async () => {
    server = await startFixtureServer();
    renderer = new ChromiumRenderer({ allowedOrigins: [server.baseUrl] });
  });
  after(async () => {
    await renderer?.close();
    await server?.close();
  });

  rendererContract(() => ({ renderer, server }));

  it('keeps drawing after its page is recycled', async () => {
    await renderer.recycle();
    const png = await renderer.render({ style: server.style('dark-matter'), styleKey: 'dark-matter', view: { center: MULHOUSE, zoom: 14 }, width: 256, height: 256, scale: 1, format: 'png' });
    assert.equal((await sharp(png).metadata()).width, 256);
  });
});

describe(`ChromiumRenderer idle-hold fast path @slow${available ? '' : ' (skipped: needs Debian chromium and tilemaker)'}`, function () {
  if (!available) return;
  let server: FixtureServer;
  before(async () => { server = await startFixtureServer(); });
  after(async () => server?.close());

  /** One browser at a time: render, close, return the straight RGBA. */
  async function renderWith(fastPath: boolean, zoom: number): Promise<Buffer> {
    const r = new ChromiumRenderer({ allowedOrigins: [server.baseUrl], fastPath });
    try {
      return await r.render({ style: server.style('osm-bright'), styleKey: 'osm-bright', view: { center: MULHOUSE, zoom }, width: 512, height: 512, scale: 1, format: 'raw' });
    } finally {
      await r.close();
    }
  }

  for (const zoom of [13, 15.5]) {
    it(`draws the same pixels as MapLibre's stock path at zoom ${zoom}`, async () => {
      const fast = await renderWith(true, zoom);
      const stock = await renderWith(false, zoom);
      const diff = pixelmatch(fast, stock, undefined, 512, 512, { threshold: 0 });
      assert.equal(diff, 0, `${diff} pixels differ`);
    });
  }
});
