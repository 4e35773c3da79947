import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import { GLYPH_BUFFER, GlyphRasterizer, HALO_SPACES, SPACE_HALO_VALUE } from '../../../src/styles/glyph_rasterizer.js';
import { decodeGlyphRange, type SdfGlyph } from '../../../src/styles/glyph_pbf.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { FONTNIK_REFERENCE_0_255, NOTO_REGULAR } from './glyph_fixtures.js';

/**
 * The reference was built by fontnik from an older Noto Sans release than
 * Debian's, so a few glyphs really differ by a pixel (e.g. accents on capitals
 * sit higher in the newer font); the bulk must match exactly.
 */
describe('GlyphRasterizer against fontnik (Noto Sans Regular 0-255)', () => {
  const ref = decodeGlyphRange(fs.readFileSync(FONTNIK_REFERENCE_0_255)).glyphs;
  const raster = new GlyphRasterizer(fs.readFileSync(NOTO_REGULAR));
  const ours = new Map<number, SdfGlyph>();
  for (const g of ref) {
    const m = raster.render(g.id);
    if (m) ours.set(g.id, m);
  }

  it('has every codepoint the reference has', () => {
    const missing = ref.filter((g) => !ours.has(g.id)).map((g) => g.id);
    assert.deepEqual(missing, []);
  });

  for (const key of ['advance', 'left', 'top', 'width', 'height'] as const) {
    it(`matches ${key} exactly for at least 85% of glyphs and within 1 px for all`, () => {
      let exact = 0;
      const far: string[] = [];
      for (const g of ref) {
        // word spaces carry a halo box fontnik does not draw (tested below)
        if (HALO_SPACES.has(g.id) && key !== 'advance') continue;
        const d = Math.abs(ours.get(g.id)![key] - g[key]);
        if (d === 0) exact++;
        if (d > 1) far.push(`${g.id}: ${g[key]} vs ${ours.get(g.id)![key]}`);
      }
      assert.deepEqual(far, []);
      assert.ok(exact / ref.length >= 0.85, `${exact}/${ref.length} exact`);
    });
  }

  it('draws the same shapes: inside masks (SDF ≥ 192) overlap by IoU ≥ 0.9 on average', () => {
    let sum = 0;
    let n = 0;
    for (const g of ref) {
      const m = ours.get(g.id)!;
      if (!g.bitmap || !m.bitmap || g.width !== m.width || g.height !== m.height) continue;
      let inter = 0;
      let union = 0;
      for (let i = 0; i < g.bitmap.length; i++) {
        const a = g.bitmap[i] >= 192;
        const b = m.bitmap[i] >= 192;
        if (a && b) inter++;
        if (a || b) union++;
      }
      if (union > 0) { sum += inter / union; n++; }
    }
    assert.ok(n > 100, `only ${n} comparable glyphs`);
    assert.ok(sum / n >= 0.9, `mean IoU ${(sum / n).toFixed(3)}`);
  });

  it('gives word spaces a halo-only box: as wide as the advance, x-height tall, every value below the fill edge', () => {
    for (const cp of [0x20, 0xa0]) {
      const space = raster.render(cp)!;
      const x = raster.render(0x78)!;
      assert.ok(space.advance > 0);
      assert.deepEqual([space.width, space.left, space.height, space.top], [space.advance, 0, x.height, x.top]);
      assert.equal(space.bitmap!.length, (space.width + 2 * GLYPH_BUFFER) * (space.height + 2 * GLYPH_BUFFER));
      assert.ok(space.bitmap!.every((v) => v === SPACE_HALO_VALUE) && SPACE_HALO_VALUE < 192 - 48);
    }
  });

  it('leaves other empty glyphs (en quad) without bitmap', () => {
    const quad = raster.render(0x2000);
    if (quad) assert.equal(quad.bitmap, undefined);
  });

  it('returns undefined for a codepoint the font lacks', () => {
    assert.equal(raster.render(0x4e00), undefined);
  });

  it('rejects bytes that are not a font with BAD_INPUT', () => {
    assert.throws(() => new GlyphRasterizer(Buffer.from('not a font at all')), (e: unknown) => isTuilerieError(e, 'BAD_INPUT'));
  });
});
