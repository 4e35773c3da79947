import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import { decodeGlyphRange, encodeGlyphRange } from '../../../src/styles/glyph_pbf.js';
import { FONTNIK_REFERENCE_0_255 } from './glyph_fixtures.js';

describe('glyph PBF codec', () => {
  it('round-trips names, metrics (negative ones too) and bitmaps', () => {
    const bitmap = Uint8Array.from({ length: 7 * 8 }, (_, i) => i * 3);
    const range = { name: 'Test Font', range: '256-511', glyphs: [
      { id: 300, bitmap, width: 1, height: 2, left: -2, top: -25, advance: 9 },
      { id: 301, width: 0, height: 0, left: 0, top: -26, advance: 6 },
    ] };
    const back = decodeGlyphRange(encodeGlyphRange(range));
    assert.equal(back.name, 'Test Font');
    assert.equal(back.range, '256-511');
    const { bitmap: got, ...metrics } = back.glyphs[0];
    const { bitmap: _b, ...wantMetrics } = range.glyphs[0];
    assert.deepEqual(metrics, wantMetrics);
    assert.deepEqual(Array.from(got!), Array.from(bitmap));
    assert.equal(back.glyphs[1].bitmap, undefined);
    assert.equal(back.glyphs[1].top, -26);
  });

  it('decodes a fontnik-built range', () => {
    const r = decodeGlyphRange(fs.readFileSync(FONTNIK_REFERENCE_0_255));
    assert.equal(r.name, 'Noto Sans Regular');
    assert.equal(r.range, '0-255');
    const a = r.glyphs.find((g) => g.id === 65)!;
    assert.equal(a.bitmap!.length, (a.width + 6) * (a.height + 6));
  });
});
