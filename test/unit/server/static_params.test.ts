import assert from 'node:assert/strict';
import { lonLatToMercator } from '../../../src/core/tile_math.js';
import { parseMarkerParam, parsePathParam, withOverlays } from '../../../src/render/static_overlays.js';
import { paddingPixels, rawViewToLonLat, tileserverLineStyle, tileserverMarker, tileserverPath } from '../../../src/server/static_params.js';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';

const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-6);

describe('server/static_params (tileserver-gl static map parameters)', () => {
  it('raw: a view in EPSG:3857 metres is the same view in lon/lat', () => {
    const [x, y] = lonLatToMercator(7.34, 47.75);
    assert.ok(near(rawViewToLonLat(`${x},${y},14`).split(',').map(Number), [7.34, 47.75, 14]));
    const [x2, y2] = lonLatToMercator(7.36, 47.76);
    assert.ok(near(rawViewToLonLat(`${x},${y},${x2},${y2}`).split(',').map(Number), [7.34, 47.75, 7.36, 47.76]));
    assert.equal(rawViewToLonLat('auto'), 'auto');
    assert.throws(() => rawViewToLonLat('a,b,c'), /EPSG:3857/);
  });

  it('raw and latlng=1 rewrite every overlay coordinate to lon,lat, encoded polylines untouched', () => {
    const [x, y] = lonLatToMercator(7.34, 47.75);
    const p = parsePathParam(tileserverPath(`${x},${y}|${x + 100},${y}`, {}, { raw: true, latlng: false }));
    assert.ok(near(p.coords[0], [7.34, 47.75]));
    const q = parsePathParam(tileserverPath('47.75,7.34|47.76,7.35', {}, { raw: false, latlng: true }));
    assert.deepEqual(q.coords, [[7.34, 47.75], [7.35, 47.76]]);
    const m = parseMarkerParam(tileserverMarker('47.75,7.34|color:red', { raw: false, latlng: true }));
    assert.deepEqual(m.coord, [7.34, 47.75]);
    assert.equal(tileserverPath('enc:_p~iF~ps|U', {}, { raw: false, latlng: true }), 'enc:_p~iF~ps|U');
  });

  it('global stroke, width and fill apply to the paths that set none of their own', () => {
    const q = { stroke: 'red', width: '7', fill: 'rgba(0,0,255,0.3)' };
    const p = parsePathParam(tileserverPath('7.3,47.7|7.4,47.8', q, { raw: false, latlng: false }));
    assert.deepEqual([p.width, p.fill !== undefined, p.stroke !== 'rgba(0,64,255,0.8)'], [7, true, true]);
    const own = parsePathParam(tileserverPath('width:2|7.3,47.7|7.4,47.8', q, { raw: false, latlng: false }));
    assert.equal(own.width, 2);
  });

  it("tileserver-gl's marker icon file names a sprite image; offset kept; URLs refused", () => {
    const m = parseMarkerParam(tileserverMarker('7.34,47.75|icons/pin-red.png|scale:0.5|offset:2,-4', { raw: false, latlng: false }));
    assert.deepEqual(m, { coord: [7.34, 47.75], icon: 'pin-red', color: '#e03020', scale: 0.5, offset: [2, -4] });
    assert.equal(parseMarkerParam(tileserverMarker('7.34,47.75|icon:marker_11', { raw: false, latlng: false })).icon, 'marker_11');
    assert.throws(() => tileserverMarker('7.34,47.75|https://example.com/pin.png', { raw: false, latlng: false }), /not fetched/);
  });

  it('border (default a tenth of the stroke each side), borderwidth, linecap and linejoin make a valid style with the border under the stroke', () => {
    const p = parsePathParam(tileserverPath('7.3,47.7|7.4,47.8', { border: 'white', width: '10' }, { raw: false, latlng: false }));
    assert.deepEqual(p.border, { color: 'white', width: 1 });
    const q = parsePathParam(tileserverPath('border:000|borderwidth:3|7.3,47.7|7.4,47.8', {}, { raw: false, latlng: false }));
    assert.deepEqual(q.border, { color: '#000', width: 3 });
    const style = withOverlays({ version: 8, sources: {}, layers: [] }, { paths: [p], markers: [], ...tileserverLineStyle({ linecap: 'butt', linejoin: 'miter' }) }) as { layers: { id: string; layout?: Record<string, unknown> }[] };
    assert.deepEqual(validateStyleMin(style as never), []);
    const ids = style.layers.map((l) => l.id);
    assert.ok(ids.indexOf('tuilerie-overlay-border') < ids.indexOf('tuilerie-overlay-line'));
    assert.deepEqual(style.layers.find((l) => l.id === 'tuilerie-overlay-line')!.layout, { 'line-join': 'miter', 'line-cap': 'butt' });
    assert.throws(() => tileserverLineStyle({ linecap: 'pointy' }), /linecap= must be one of/);
  });

  it("padding below 1 is tileserver-gl's ratio of the image, else pixels", () => {
    // the area fits in 400/1.2 pixels: 33 each side
    assert.equal(paddingPixels('0.1', 600, 400), 33);
    assert.equal(paddingPixels('25', 600, 400), 25);
    assert.equal(paddingPixels(undefined, 600, 400), undefined);
    assert.throws(() => paddingPixels('-1', 600, 400));
  });
});
