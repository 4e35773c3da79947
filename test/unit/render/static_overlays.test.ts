import assert from 'node:assert/strict';
import { decodePolyline, overlayBounds, parseColor, parseMarkerParam, parsePathParam, withOverlays } from '../../../src/render/static_overlays.js';
import { isTuilerieError } from '../../../src/core/errors.js';

describe('static map overlays', () => {
  it("decodes Google's documented polyline example", () => {
    const pts = decodePolyline('_p~iF~ps|U_ulLnnqC_mqNvxq`@');
    assert.deepEqual(pts, [[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]]);
  });

  it('parses stroke, width, fill and lon,lat points of a path', () => {
    const p = parsePathParam('stroke:f00|width:5|fill:rgba(0,0,255,0.2)|7.33,47.75|7.34,47.751|7.335,47.76');
    assert.equal(p.stroke, '#f00');
    assert.equal(p.width, 5);
    assert.equal(p.fill, 'rgba(0,0,255,0.2)');
    assert.deepEqual(p.coords[1], [7.34, 47.751]);
  });

  it('takes everything after enc: as one polyline, even with | inside', () => {
    const p = parsePathParam('stroke:red|enc:_p~iF~ps|U_ulLnnqC_mqNvxq`@');
    assert.equal(p.coords.length, 3);
  });

  it('refuses a path of one point', () => {
    assert.throws(() => parsePathParam('7.33,47.75'), (e) => isTuilerieError(e, 'BAD_REQUEST'));
  });

  it('refuses a colour that is not one', () => {
    assert.throws(() => parseColor('url(http://evil/x.png)', 'stroke'), (e) => isTuilerieError(e, 'BAD_REQUEST'));
  });

  it('refuses a marker icon that is a URL rather than a sprite name', () => {
    assert.throws(() => parseMarkerParam('7.33,47.75|icon:http://evil.example/x.png'), (e) => isTuilerieError(e, 'BAD_REQUEST'));
  });

  it('parses a marker with a sprite icon and a scale', () => {
    assert.deepEqual(parseMarkerParam('7.33,47.75|icon:marker_11|scale:2'), { coord: [7.33, 47.75], icon: 'marker_11', color: '#e03020', scale: 2 });
  });

  it('bounds all overlay points', () => {
    const b = overlayBounds({ paths: [parsePathParam('7.3,47.7|7.4,47.8')], markers: [parseMarkerParam('7.5,47.75')] });
    assert.deepEqual(b, [7.3, 47.7, 7.5, 47.8]);
  });

  it('adds one GeoJSON source and layers above the style without touching the input', () => {
    const style = { version: 8, sources: { a: { type: 'vector' } }, layers: [{ id: 'bg', type: 'background' }] };
    const out = withOverlays(style, { paths: [parsePathParam('7.3,47.7|7.4,47.8')], markers: [] }) as { sources: Record<string, unknown>; layers: { id: string }[] };
    assert.deepEqual(Object.keys(out.sources), ['a', 'tuilerie-overlay']);
    assert.equal(out.layers[0].id, 'bg');
    assert.ok(out.layers.length > 1);
    assert.equal(style.layers.length, 1);
  });
});
