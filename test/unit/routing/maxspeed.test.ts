import assert from 'node:assert/strict';
import { countryAt, legalSpeed, parseMaxspeed } from '../../../src/routing/maxspeed.js';

describe('maxspeed', () => {
  it('parses numbers, mph and walk, and ignores what is not a speed', () => {
    assert.equal(parseMaxspeed('50'), 50);
    assert.ok(Math.abs(parseMaxspeed('30 mph')! - 48.27) < 0.01);
    assert.equal(parseMaxspeed('walk'), 7);
    assert.equal(parseMaxspeed('none'), undefined);
    assert.equal(parseMaxspeed('FR:urban'), undefined);
  });

  it('places cities of the region on the right side of the border', () => {
    const cases: Array<[string, number, number, 'FR' | 'DE']> = [
      ['Strasbourg', 7.75, 48.58, 'FR'], ['Kehl', 7.82, 48.57, 'DE'], ['Mulhouse', 7.34, 47.75, 'FR'],
      ['Freiburg', 7.85, 47.99, 'DE'], ['Heidelberg', 8.69, 49.41, 'DE'], ['Metz', 6.18, 49.12, 'FR'],
      ['Saarbrücken', 6.99, 49.23, 'DE'], ['Wissembourg', 7.94, 49.03, 'FR'], ['Colmar', 7.36, 48.08, 'FR'],
      ['Nancy', 6.18, 48.69, 'FR'], ['Karlsruhe', 8.40, 49.01, 'DE'],
    ];
    for (const [name, lon, lat, c] of cases) assert.equal(countryAt(lon, lat), c, name);
  });

  it('uses the tag when present', () => {
    assert.equal(legalSpeed({ tags: { maxspeed: '70' }, highway: 'primary', lon: 8.69, lat: 49.41 }), 70);
  });

  it('applies rural defaults by country: 80 in France, 100 in Germany', () => {
    assert.equal(legalSpeed({ tags: {}, highway: 'secondary', lon: 7.36, lat: 48.08 }), 80);
    assert.equal(legalSpeed({ tags: {}, highway: 'secondary', lon: 8.69, lat: 49.41 }), 100);
  });

  it('applies 50 in urban zones and 130 on motorways', () => {
    assert.equal(legalSpeed({ tags: {}, highway: 'residential', lon: 7.36, lat: 48.08 }), 50);
    assert.equal(legalSpeed({ tags: { 'maxspeed:type': 'DE:urban' }, highway: 'primary', lon: 8.69, lat: 49.41 }), 50);
    assert.equal(legalSpeed({ tags: {}, highway: 'motorway', lon: 8.69, lat: 49.41 }), 130);
  });

  it('lets a country-naming tag win over the location', () => {
    assert.equal(legalSpeed({ tags: { 'source:maxspeed': 'DE:rural' }, highway: 'secondary', lon: 7.36, lat: 48.08 }), 100);
    assert.equal(legalSpeed({ tags: { 'zone:traffic': 'FR:rural' }, highway: 'secondary', lon: 8.69, lat: 49.41 }), 80);
  });
});
