/**
 * The route demo page in headless Chromium over the Mulhouse graph: two clicks on
 * the map give a route drawn as a layer and a list of French instructions.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { osmFile, tempDir } from '../helpers/paths.js';
import { buildRoutingGraph } from '../../src/routing/build_routing_graph.js';
import { createRoutingRouter, loadOsrmService } from '../../src/server/routing_routes.js';
import { maplibreDistDir } from '../../src/server/viewer/viewer_routes.js';
import { CHROMIUM, openBrowser, type BrowserSession } from '../browser/browser_session.js';

describe('routing demo page (headless Chromium) @slow', function () {
  this.timeout(180000);
  let dir: string;
  let server: http.Server;
  let base: string;
  let browser: BrowserSession | undefined;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip();
    dir = tempDir();
    const file = path.join(dir, 'mulhouse.routing');
    await buildRoutingGraph({ inputs: [osmFile('mulhouse.osm.pbf')], out: file });
    const service = loadOsrmService(file);
    const app = express();
    app.use('/maplibre-gl', express.static(maplibreDistDir()));
    app.use(createRoutingRouter({ service: () => service }));
    server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two clicks draw a route and list its instructions', async () => {
    const page = await browser!.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${base}/routing`);
    await page.waitForFunction(() => (window as unknown as { routingDemo?: { map: { loaded(): boolean } } }).routingDemo?.map.loaded() === true, undefined, { timeout: 60000 });
    // The map is centred on the graph; the Mulhouse extract spans ~60 px at zoom 13.
    const box = (await page.locator('#map').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.click(cx - 20, cy);
    await page.mouse.click(cx + 20, cy + 5);
    await page.waitForFunction(() => (window as unknown as { routingDemo: { last: unknown } }).routingDemo.last !== null, undefined, { timeout: 30000 });
    const last = await page.evaluate(() => (window as unknown as { routingDemo: { last: { code: string } } }).routingDemo.last);
    assert.equal(last.code, 'Ok');
    const items = await page.locator('#steps li').allTextContents();
    assert.ok(items.length >= 2, `steps: ${items.length}`);
    assert.match(items.at(-1)!, /arrivé/);
    assert.ok(await page.evaluate(() => Boolean((window as unknown as { routingDemo: { map: { getLayer(id: string): unknown } } }).routingDemo.map.getLayer('route'))));
    assert.deepEqual(pageErrors, []);
  });
});
