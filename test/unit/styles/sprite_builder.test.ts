import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { buildSprite, type SpriteSheet } from '../../../src/styles/sprite_builder.js';
import { REPO_ROOT, UPSTREAM_STYLES_DIR } from '../../helpers/paths.js';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const MAKI_DIR = path.join(path.dirname(require.resolve('@mapbox/maki/package.json')), 'icons');

describe('buildSprite', () => {
  let one: SpriteSheet;
  let two: SpriteSheet;
  before(async () => {
    one = await buildSprite({ makiDir: MAKI_DIR, pixelRatio: 1 });
    two = await buildSprite({ makiDir: MAKI_DIR, pixelRatio: 2 });
  });

  it('keeps every entry inside the PNG', async () => {
    for (const sheet of [one, two]) {
      const meta = await sharp(sheet.png).metadata();
      for (const [name, e] of Object.entries(sheet.index)) {
        assert.ok(e.x >= 0 && e.y >= 0 && e.x + e.width <= meta.width! && e.y + e.height <= meta.height!, name);
      }
    }
  });

  it('has every Maki icon under its Maki name', () => {
    const names = fs.readdirSync(MAKI_DIR).filter((f) => f.endsWith('.svg')).map((f) => f.slice(0, -4));
    assert.deepEqual(names.filter((n) => !one.index[n]), []);
  });

  it('draws @2x at twice the size of @1x, with pixelRatio 2', () => {
    assert.equal(two.index['town-hall'].width, 2 * one.index['town-hall'].width);
    assert.equal(two.index['town-hall'].pixelRatio, 2);
    assert.equal(one.index['town-hall'].pixelRatio, 1);
  });

  it('points an OpenMapTiles alias at the pixels of its Maki icon', () => {
    const { x, y, width, height } = one.index['town-hall'];
    assert.deepEqual(one.index['town_hall_11'], { x, y, width, height, pixelRatio: 1 });
    assert.deepEqual(one.index['railway_11'], one.index['rail']);
  });

  it('covers every `_11` / `-11` icon the upstream OpenMapTiles sprites have', () => {
    const wanted = new Set<string>();
    for (const style of fs.readdirSync(UPSTREAM_STYLES_DIR)) {
      const f = path.join(UPSTREAM_STYLES_DIR, style, 'sprite.json');
      if (!fs.existsSync(f)) continue;
      for (const name of Object.keys(JSON.parse(fs.readFileSync(f, 'utf8')) as object)) if (/[-_]11$/.test(name)) wanted.add(name);
    }
    assert.ok(wanted.size > 50, `only ${wanted.size} upstream icon names found`);
    assert.deepEqual([...wanted].filter((n) => !one.index[n]).sort(), []);
  });

  it('declares road shields stretchable around a content box', () => {
    const s = two.index['shield-motorway'];
    assert.ok(s.stretchX && s.stretchY && s.content);
    const [[x0, x1]] = s.stretchX!;
    assert.ok(x0 > 0 && x1 < s.width && x0 < x1);
    const [l, t, r, b] = s.content!;
    assert.ok(l >= 0 && t >= 0 && r <= s.width && b <= s.height && l < r && t < b);
  });

  it('draws visible icons (not blank pixels)', async () => {
    const e = one.index['restaurant'];
    const { data } = await sharp(one.png).extract({ left: e.x, top: e.y, width: e.width, height: e.height }).raw().toBuffer({ resolveWithObject: true });
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 128) opaque++;
    assert.ok(opaque > e.width * e.height * 0.2, `${opaque} opaque pixels`);
  });
});
