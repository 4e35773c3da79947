import assert from 'node:assert/strict';
import { closestNames, parsePlanOptions } from '../../../src/print/plan_options.js';
import { isTuilerieError } from '../../../src/core/errors.js';

describe('print/plan_options', () => {
  it('defaults: A3 landscape, 300 dpi, print style, French, index beside the map, PDF', () => {
    const o = parsePlanOptions({ place: 'Mulhouse' });
    assert.deepEqual([o.paper, o.orientation, o.dpi, o.style, o.lang, o.index, o.format, o.scale], ['A3', 'landscape', 300, 'print', 'fr', 'side', 'pdf', undefined]);
  });
  it('reads strings from argv and JSON numbers alike', () => {
    assert.equal(parsePlanOptions({ place: 'X', scale: '1:10000' }).scale, 10_000);
    assert.equal(parsePlanOptions({ place: 'X', scale: 10000 }).scale, 10_000);
  });
  it('an unknown option names the closest one', () => {
    assert.throws(() => parsePlanOptions({ place: 'X', scael: 5000 }), (e) => isTuilerieError(e, 'BAD_REQUEST') && /did you mean "scale"/.test(e.message));
  });
  it('needs a place or a bbox', () => {
    assert.throws(() => parsePlanOptions({}), (e) => isTuilerieError(e, 'BAD_REQUEST'));
  });
  it('a dpi past the limit is TOO_BIG', () => {
    assert.throws(() => parsePlanOptions({ place: 'X', dpi: 2400 }), (e) => isTuilerieError(e, 'TOO_BIG'));
  });
  it('a bbox spanning a region is TOO_BIG', () => {
    assert.throws(() => parsePlanOptions({ bbox: '5,45,9,49' }), (e) => isTuilerieError(e, 'TOO_BIG'));
  });
  it('suggests names ignoring case and accents', () => {
    assert.deepEqual(closestNames('mulhuse', ['Mulhouse', 'Colmar', 'Müllheim']).slice(0, 1), ['Mulhouse']);
  });
});
