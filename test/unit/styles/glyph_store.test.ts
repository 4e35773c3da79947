import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { buildGlyphs } from '../../../src/styles/glyph_builder.js';
import { GlyphStore } from '../../../src/styles/glyph_store.js';
import { decodeGlyphRange } from '../../../src/styles/glyph_pbf.js';
import { silentLogger } from '../../../src/core/logger.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/paths.js';
import { NOTO_BOLD, NOTO_ITALIC, NOTO_REGULAR } from './glyph_fixtures.js';

describe('GlyphStore', () => {
  let dir: string;
  // Building 0-255 and Cyrillic of three faces takes well under a second; the files are only read afterwards.
  before(() => {
    dir = tempDir('tuilerie-glyphs-');
    buildGlyphs({
      fonts: [
        { name: 'Noto Sans Regular', file: NOTO_REGULAR },
        { name: 'Noto Sans Bold', file: NOTO_BOLD },
        { name: 'Noto Sans Italic', file: NOTO_ITALIC },
      ],
      outDir: dir,
      logger: silentLogger,
      blocks: [[0, 255], [0x400, 0x4ff]],
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const glyph = (buf: Buffer, id: number) => decodeGlyphRange(buf).glyphs.find((g) => g.id === id);
  const fileGlyph = (font: string, id: number) => glyph(fs.readFileSync(path.join(dir, font, '0-255.pbf')), id);

  it('builds only ranges that have glyphs', () => {
    assert.deepEqual(fs.readdirSync(path.join(dir, 'Noto Sans Regular')).sort(), ['0-255.pbf', '1024-1279.pbf']);
  });

  it('lists the fonts it has', () => {
    assert.deepEqual(new GlyphStore({ dir }).fonts(), ['Noto Sans Bold', 'Noto Sans Italic', 'Noto Sans Regular']);
  });

  it('serves a single font as built', () => {
    const out = new GlyphStore({ dir }).getRange('Noto Sans Bold', 0, 255);
    assert.deepEqual(glyph(out, 65), fileGlyph('Noto Sans Bold', 65));
  });

  it('combines a stack: the first font that has a glyph wins, later fonts fill its gaps', () => {
    const mixed = tempDir('tuilerie-glyphs-mixed-');
    try {
      buildGlyphs({ fonts: [{ name: 'Noto Sans Italic', file: NOTO_ITALIC }], outDir: mixed, logger: silentLogger, blocks: [[0, 127]] });
      buildGlyphs({ fonts: [{ name: 'Noto Sans Regular', file: NOTO_REGULAR }], outDir: mixed, logger: silentLogger, blocks: [[0, 255]] });
      const out = new GlyphStore({ dir: mixed }).getRange('Noto Sans Italic,Noto Sans Regular', 0, 255);
      const r = decodeGlyphRange(out);
      assert.deepEqual(glyph(out, 65), fileGlyph('Noto Sans Italic', 65));
      assert.deepEqual(glyph(out, 233), fileGlyph('Noto Sans Regular', 233));
      assert.equal(new Set(r.glyphs.map((g) => g.id)).size, r.glyphs.length, 'each codepoint once');
      assert.equal(r.name, 'Noto Sans Italic,Noto Sans Regular');
    } finally {
      fs.rmSync(mixed, { recursive: true, force: true });
    }
  });

  it('falls back for fonts it does not have, by weight and slant', () => {
    const store = new GlyphStore({ dir });
    assert.deepEqual(glyph(store.getRange('Open Sans Bold', 0, 255), 65), fileGlyph('Noto Sans Bold', 65));
    assert.deepEqual(glyph(store.getRange('Metropolis Light Italic', 0, 255), 65), fileGlyph('Noto Sans Italic', 65));
    assert.deepEqual(glyph(store.getRange('Roboto Condensed', 0, 255), 65), fileGlyph('Noto Sans Regular', 65));
  });

  it('answers a range no font covers with a valid empty PBF', () => {
    const r = decodeGlyphRange(new GlyphStore({ dir }).getRange('Noto Sans Regular', 19968, 20223));
    assert.equal(r.range, '19968-20223');
    assert.equal(r.glyphs.length, 0);
  });

  it('answers the same bytes from its cache', () => {
    const store = new GlyphStore({ dir });
    assert.equal(store.getRange('Noto Sans Regular', 1024, 1279), store.getRange('Noto Sans Regular', 1024, 1279));
  });

  for (const [start, end] of [[1, 256], [0, 511], [65536, 65791], [-256, -1]]) {
    it(`rejects the range ${start}-${end} with BAD_REQUEST`, () => {
      assert.throws(() => new GlyphStore({ dir }).getRange('Noto Sans Regular', start, end), (e: unknown) => isTuilerieError(e, 'BAD_REQUEST'));
    });
  }

  for (const name of ['../etc', 'Noto/Sans', 'a\\b', ' , ']) {
    it(`rejects the font name ${JSON.stringify(name)} with BAD_REQUEST`, () => {
      assert.throws(() => new GlyphStore({ dir }).getRange(name, 0, 255), (e: unknown) => isTuilerieError(e, 'BAD_REQUEST'));
    });
  }
});
