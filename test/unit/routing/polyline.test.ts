import assert from 'node:assert/strict';
import { polyline } from '../../../src/routing/polyline.js';

// The worked example of Google's "Encoded Polyline Algorithm Format" page: (lat, lng)
// (38.5, -120.2), (40.7, -120.95), (43.252, -126.453) → _p~iF~ps|U_ulLnnqC_mqNvxq`@
const GOOGLE: Array<[number, number]> = [[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]];
const GOOGLE_ENCODED = '_p~iF~ps|U_ulLnnqC_mqNvxq`@';

function randomLine(seed: number, n: number): Array<[number, number]> {
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, () => [rnd() * 360 - 180, rnd() * 180 - 90] as [number, number]);
}

describe('polyline', () => {
  it('encodes the example of the Google specification', () => {
    assert.equal(polyline.encode(GOOGLE, 5), GOOGLE_ENCODED);
  });

  it('decodes the example of the Google specification', () => {
    assert.deepEqual(polyline.decode(GOOGLE_ENCODED, 5), GOOGLE);
  });

  it('encodes the one-value example of the specification (-179.9832104 → `~oia@)', () => {
    // Latitude first: the value, then '?' for a zero longitude.
    assert.equal(polyline.encode([[0, -179.9832104]], 5), '`~oia@?');
  });

  it('round-trips random coordinates at precision 5 within half a unit', () => {
    const line = randomLine(7, 500);
    const back = polyline.decode(polyline.encode(line, 5), 5);
    assert.equal(back.length, line.length);
    back.forEach(([x, y], i) => {
      assert.ok(Math.abs(x - line[i][0]) <= 0.5e-5 + 1e-12);
      assert.ok(Math.abs(y - line[i][1]) <= 0.5e-5 + 1e-12);
    });
  });

  it('round-trips random coordinates at precision 6 within half a unit (deltas past 2^31)', () => {
    const line = randomLine(11, 500);
    const back = polyline.decode(polyline.encode(line, 6), 6);
    back.forEach(([x, y], i) => {
      assert.ok(Math.abs(x - line[i][0]) <= 0.5e-6 + 1e-12);
      assert.ok(Math.abs(y - line[i][1]) <= 0.5e-6 + 1e-12);
    });
  });

  it('precision 6 is not precision 5: the same line encodes differently', () => {
    assert.notEqual(polyline.encode(GOOGLE, 6), polyline.encode(GOOGLE, 5));
    assert.deepEqual(polyline.decode(polyline.encode(GOOGLE, 6), 6), GOOGLE);
  });

  it('rejects a truncated string', () => {
    assert.throws(() => polyline.decode('_p~iF~ps|U_', 5), RangeError);
  });
});
