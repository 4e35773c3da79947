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
  const searches: string[] = [];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip();
    dir = tempDir();
    const file = path.join(dir, 'mulhouse.routing');
    await buildRoutingGraph({ inputs: [osmFile('mulhouse.osm.pbf')], out: file });
    const service = loadOsrmService(file);
    const app = express();
    app.use('/maplibre-gl', express.static(maplibreDistDir()));
    // a Photon answer for the search boxes (the index itself is tested in search.test.ts)
    app.get('/search', (req, res) => {
      searches.push(String(req.url));
      const q = String(req.query.q).toLowerCase();
      const f = (name: string, coordinates: number[]) => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties: { name, type: 'street', osm_key: 'highway', osm_value: 'residential', city: 'Mulhouse' } });
      const features = [f('Rue du Sauvage', [7.33858, 47.74632]), f('Avenue du Général Leclerc', [7.34226, 47.74213])].filter((x) => x.properties.name.toLowerCase().includes(q.split(' ')[0]));
      res.json({ type: 'FeatureCollection', features });
    });
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

  it('the two search boxes complete addresses from /search and route between the chosen places; a link leads home', async () => {
    const page = await browser!.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const routeUrls: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/route/v1/')) routeUrls.push(r.url()); });
    await page.goto(`${base}/routing`);
    await page.waitForFunction(() => (window as unknown as { routingDemo?: { map: { loaded(): boolean } } }).routingDemo?.map.loaded() === true, undefined, { timeout: 60000 });
    assert.equal(await page.locator('a#home').getAttribute('href'), './');
    await page.locator('#from').fill('sauv');
    await page.locator('#from-list li').first().waitFor({ timeout: 30000 });
    assert.match(await page.locator('#from-list li').first().textContent() ?? '', /Rue du Sauvage.*Mulhouse/);
    await page.locator('#from').press('Enter');
    await page.locator('#to').fill('avenue');
    await page.locator('#to-list li').first().click({ timeout: 30000 });
    await page.waitForFunction(() => (window as unknown as { routingDemo: { last: unknown } }).routingDemo.last !== null, undefined, { timeout: 30000 });
    const last = await page.evaluate(() => (window as unknown as { routingDemo: { last: { code: string } } }).routingDemo.last);
    assert.equal(last.code, 'Ok');
    assert.ok(routeUrls.some((u) => u.includes('/7.338580,47.746320;7.342260,47.742130?')), `the route goes from the first chosen place to the second: ${routeUrls}`);
    assert.match(await page.locator('#from').inputValue(), /Rue du Sauvage/);
    assert.ok(searches.some((u) => /[?&]lat=[\d.]+&lon=[\d.]+/.test(u)), `biased by the map centre: ${searches[0]}`);
    assert.deepEqual(pageErrors, []);
  });
});
