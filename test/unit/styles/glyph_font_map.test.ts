import { strict as assert } from 'node:assert';
import { resolveFontName } from '../../../src/styles/glyph_font_map.js';

const HAVE = new Set(['Noto Sans Regular', 'Noto Sans Bold', 'Noto Sans Italic', 'Noto Sans Bold Italic']);

describe('resolveFontName', () => {
  it('keeps a font we have', () => assert.equal(resolveFontName('Noto Sans Italic', HAVE), 'Noto Sans Italic'));
  it('maps another family regular to Noto Sans Regular', () => assert.equal(resolveFontName('Open Sans Regular', HAVE), 'Noto Sans Regular'));
  it('maps bold faces to Noto Sans Bold', () => assert.equal(resolveFontName('Roboto Bold', HAVE), 'Noto Sans Bold'));
  it('maps italic faces to Noto Sans Italic', () => assert.equal(resolveFontName('Metropolis Medium Italic', HAVE), 'Noto Sans Italic'));
  it('maps bold italic faces to Noto Sans Bold Italic', () => assert.equal(resolveFontName('Open Sans Bold Italic', HAVE), 'Noto Sans Bold Italic'));
  it('maps bold italic to Bold when Bold Italic is missing', () => {
    assert.equal(resolveFontName('Open Sans Bold Italic', new Set(['Noto Sans Regular', 'Noto Sans Bold'])), 'Noto Sans Bold');
  });
  it('maps unknown names to Noto Sans Regular', () => assert.equal(resolveFontName('Metropolis Light', HAVE), 'Noto Sans Regular'));
});
