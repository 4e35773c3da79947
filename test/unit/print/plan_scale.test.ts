import assert from 'node:assert/strict';
import { chooseScale, fitsAt, frameAt, mercBoxOf } from '../../../src/print/plan_scale.js';
import { isTuilerieError } from '../../../src/core/errors.js';

/** Great-circle distance in metres (spherical, WGS84 equatorial radius as Web Mercator uses). */
function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const R = 6378137, rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(a));
}

describe('print/plan_scale', () => {
  const mulhouse = mercBoxOf([7.326, 47.749, 7.342, 47.755]);

  it('1 cm on paper is `scale` cm on the ground at the latitude of the map (Mercator distortion removed)', () => {
    const f = frameAt(mulhouse, 10_000, { widthMm: 100, heightMm: 80 });
    const [w, , e] = f.bounds;
    // a 100 mm frame at 1:10,000 covers 1,000 m along the central parallel
    const lat = f.lat;
    const ground = haversine(w, lat, e, lat);
    assert.ok(Math.abs(ground - 1000) / 1000 < 0.001, `ground width ${ground.toFixed(1)} m`);
  });
  it('the frame height covers the same ground per millimetre as its width', () => {
    const f = frameAt(mulhouse, 5000, { widthMm: 200, heightMm: 150 });
    const [w, s, , n] = f.bounds;
    const ground = haversine(w, s, w, n);
    assert.ok(Math.abs(ground - 750) / 750 < 0.002, `ground height ${ground.toFixed(1)} m`);
  });
  it('chooses the most detailed standard scale that fits', () => {
    // Mulhouse centre is about 1.2 × 0.67 km: 240 mm at 1:5,000
    assert.equal(chooseScale(mulhouse, { widthMm: 300, heightMm: 200 }), 5000);
    assert.equal(chooseScale(mulhouse, { widthMm: 150, heightMm: 100 }), 10_000);
  });
  it('fitsAt is false when the extent is wider than the frame at that scale', () => {
    assert.equal(fitsAt(mulhouse, 1000, { widthMm: 300, heightMm: 200 }), false);
    assert.equal(fitsAt(mulhouse, 5000, { widthMm: 300, heightMm: 200 }), true);
  });
  it('an area too large for any standard scale is TOO_BIG', () => {
    const region = mercBoxOf([6, 47, 8.5, 49]);
    assert.throws(() => chooseScale(region, { widthMm: 190, heightMm: 150 }), (e) => isTuilerieError(e, 'TOO_BIG'));
  });
});
