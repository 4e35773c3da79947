/**
 * Render tests against reviewed reference images (maplibre-gl's own render tests
 * work this way): a style and a view of the tilemaker Mulhouse fixture, compared
 * with pixelmatch. Regenerate on purpose, then look at them, with
 *   TUILERIE_UPDATE_REFERENCES=1 npx mocha test/unit/render/reference_images.test.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import pixelmatch from 'pixelmatch';
import { ChromiumRenderer, DEFAULT_CHROMIUM_PATH } from '../../../src/render/chromium_renderer.js';
import { PixelWorkers } from '../../../src/render/pixel_tasks.js';
import { REPO_ROOT } from '../../helpers/paths.js';
import { startFixtureServer, tilemakerAvailable, type FixtureServer } from './fixture_tile_server.js';
import { MULHOUSE } from './renderer_contract.js';

const REFERENCE_DIR = path.join(REPO_ROOT, 'test', 'unit', 'render', 'reference');
const update = process.env.TUILERIE_UPDATE_REFERENCES === '1';
const available = fs.existsSync(DEFAULT_CHROMIUM_PATH) && tilemakerAvailable();

const CASES = [
  { name: 'osm-bright-z15', style: 'osm-bright', zoom: 15, size: 256 },
  { name: 'positron-z14', style: 'positron', zoom: 14, size: 256 },
  { name: 'dark-matter-z16-2x', style: 'dark-matter', zoom: 16, size: 128, scale: 2 },
];

describe(`reference images @slow${available ? '' : ' (skipped: needs Debian chromium and tilemaker)'}`, function () {
  if (!available) return;
  let server: FixtureServer;
  let renderer: ChromiumRenderer;
  let pixels: PixelWorkers;
  before(async () => {
    server = await startFixtureServer();
    pixels = new PixelWorkers({ niceness: 0 });
    renderer = new ChromiumRenderer({ allowedOrigins: [server.baseUrl], pixels });
  });
  after(async () => {
    await renderer?.close();
    await pixels?.close();
    await server?.close();
  });

  for (const c of CASES) {
    it(`${c.name} matches its reviewed reference (at most 0.5% of pixels differ)`, async () => {
      const scale = c.scale ?? 1;
      const png = await renderer.render({ style: server.style(c.style), styleKey: c.style, view: { center: MULHOUSE, zoom: c.zoom }, width: c.size, height: c.size, scale, format: 'png' });
      const file = path.join(REFERENCE_DIR, `${c.name}.png`);
      if (update) {
        fs.mkdirSync(REFERENCE_DIR, { recursive: true });
        fs.writeFileSync(file, png);
      }
      const actual = await sharp(png).ensureAlpha().raw().toBuffer();
      const expected = await sharp(fs.readFileSync(file)).ensureAlpha().raw().toBuffer();
      const px = c.size * scale;
      assert.equal(expected.length, actual.length, 'same size as the reference');
      const diff = pixelmatch(actual, expected, undefined, px, px, { threshold: 0.1 });
      assert.ok(diff <= px * px * 0.005, `${diff} of ${px * px} pixels differ from ${path.relative(REPO_ROOT, file)}`);
    });
  }
});
