/**
 * Country labels at z2 in headless Chromium: with Natural Earth imported (as `start` does), our bright style labels
 * the large countries of Europe at z2 (issue 14: Anguilla, Barbados and the Seychelles were labelled while Germany,
 * Poland and the Netherlands were not — ties on rank resolved by collision order). Reads the labels MapLibre placed.
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { NATURAL_EARTH_DIR, REPO_ROOT, tempDir } from '../helpers/paths.js';
import { makeMulhouseTiles, serveMulhouse } from './mulhouse_tiles.js';
import { CHROMIUM, openBrowser, type BrowserSession } from './browser_session.js';

const OUT_DIR = path.join(REPO_ROOT, 'test', 'output', 'browser');

async function placedCountries(page: Page): Promise<string[]> {
  await page.waitForFunction(() => (window as unknown as { tuilerie?: { loaded: boolean } }).tuilerie?.loaded === true, undefined, { timeout: 120_000 });
  await page.waitForFunction(() => {
    const map = (window as unknown as { tuilerieMap?: { loaded(): boolean; areTilesLoaded(): boolean } }).tuilerieMap;
    return map !== undefined && map.loaded() && map.areTilesLoaded();
  }, undefined, { timeout: 120_000, polling: 250 });
  return page.evaluate(() => new Promise<string[]>((resolve) => {
    type Map = { once(ev: string, f: () => void): void; triggerRepaint(): void; queryRenderedFeatures(o: unknown): Array<{ properties: { name?: string } }> };
    const map = (window as unknown as { tuilerieMap: Map }).tuilerieMap;
    map.once('idle', () => resolve(map.queryRenderedFeatures({ layers: ['place-country'] }).map((f) => f.properties.name ?? '')));
    map.triggerRepaint();
  }));
}

describe('country labels at z2 in headless Chromium @slow', function () {
  this.timeout(900_000);
  let dir: string;
  let server: TuilerieServer;
  let browser: BrowserSession;
  let base: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: install Debian chromium (npm run setup)`);
    dir = tempDir('tuilerie-countries-');
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const tiles = makeMulhouseTiles(dir, ['--natural-earth', NATURAL_EARTH_DIR, '--maxzoom', '6']);
    ({ server, base } = await serveMulhouse(dir, tiles, { bright: path.join(REPO_ROOT, 'styles', 'bright.json') }));
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('labels Germany, France and Poland at z2 over Europe, and not Anguilla, Barbados or the Seychelles', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/viewer/style/bright#2/48/10`);
    const names = await placedCountries(page);
    fs.writeFileSync(path.join(OUT_DIR, 'countries-z2.png'), await page.locator('#map').screenshot());
    await page.close();
    fs.writeFileSync(path.join(OUT_DIR, 'countries-z2.txt'), `${names.sort().join('\n')}\n`);
    for (const n of ['Germany', 'France', 'Poland']) assert.ok(names.includes(n), `${n} not labelled at z2; labelled: ${names.join(', ')}`);
    for (const n of ['Anguilla', 'Barbados', 'Seychelles']) assert.ok(!names.includes(n), `${n} labelled at z2`);
  });
});
