import assert from 'node:assert/strict';
import { KvpParams } from '../../../src/ogc/kvp_params.js';
import { ogcCode } from './ogc_code.js';
import { parseWmsGetMap } from '../../../src/ogc/wms_request.js';
import { parseWmtsTile, wmtsTileParamsFromKvp } from '../../../src/ogc/wmts_request.js';

const isLayer = (n: string) => n === 'osm-bright' || n === 'bright';
const limits = { maxWidth: 4096, maxHeight: 4096, maxLayers: 4, isLayer };

const tile = (over: Record<string, string> = {}) => ({ SERVICE: 'WMTS', REQUEST: 'GetTile', LAYER: 'bright', STYLE: 'default', TILEMATRIXSET: 'GoogleMapsCompatible', TILEMATRIX: '14', TILEROW: '5762', TILECOL: '8525', FORMAT: 'image/png', ...over });
const map = (over: Record<string, string> = {}) => ({ SERVICE: 'WMS', VERSION: '1.3.0', REQUEST: 'GetMap', LAYERS: 'bright', STYLES: '', CRS: 'EPSG:2154', BBOX: '1024000,6747000,1025000,6748000', WIDTH: '256', HEIGHT: '256', FORMAT: 'image/png', ...over });

describe('WMTS GetTile parameters', () => {
  it('reads KVP keys whatever their case', () => {
    const q = new KvpParams({ layer: 'bright', Style: 'default', tileMatrixSet: 'LAMB93', TileMatrix: '15', tilerow: '6431', TILECOL: '1254', format: 'image/jpeg' });
    const t = parseWmtsTile(wmtsTileParamsFromKvp(q), isLayer);
    assert.deepEqual([t.set.id, t.level, t.row, t.col, t.format], ['LAMB93', 15, 6431, 1254, 'jpeg']);
  });

  it('a missing parameter is MissingParameterValue naming it', () => {
    const { TILEROW: _omit, ...rest } = tile();
    assert.deepEqual(ogcCode(() => wmtsTileParamsFromKvp(new KvpParams(rest))), ['MissingParameterValue', 'TILEROW']);
  });

  it('an unknown layer, set, matrix or format is InvalidParameterValue naming it', () => {
    const parse = (o: Record<string, string>) => () => parseWmtsTile(wmtsTileParamsFromKvp(new KvpParams(tile(o))), isLayer);
    assert.deepEqual(ogcCode(parse({ LAYER: 'nope' })), ['InvalidParameterValue', 'LAYER']);
    assert.deepEqual(ogcCode(parse({ TILEMATRIXSET: 'EPSG:4326' })), ['InvalidParameterValue', 'TILEMATRIXSET']);
    assert.deepEqual(ogcCode(parse({ TILEMATRIX: '25' })), ['InvalidParameterValue', 'TILEMATRIX']);
    assert.deepEqual(ogcCode(parse({ FORMAT: 'image/gif' })), ['InvalidParameterValue', 'FORMAT']);
  });

  it('a row or column past the matrix is TileOutOfRange', () => {
    const parse = (o: Record<string, string>) => () => parseWmtsTile(wmtsTileParamsFromKvp(new KvpParams(tile(o))), isLayer);
    assert.deepEqual(ogcCode(parse({ TILEMATRIX: '2', TILEROW: '4' })), ['TileOutOfRange', 'TILEROW']);
    assert.deepEqual(ogcCode(parse({ TILEMATRIXSET: 'LAMB93', TILEMATRIX: '0', TILECOL: '2', TILEROW: '0' })), ['TileOutOfRange', 'TILECOL']);
  });

  it('accepts the RESTful extension jpg and a prefixed tile matrix identifier', () => {
    const t = parseWmtsTile({ layer: 'bright', style: 'default', tileMatrixSet: 'googlemapscompatible', tileMatrix: 'EPSG:3857:3', tileRow: '2', tileCol: '5', format: 'jpg' }, isLayer);
    assert.deepEqual([t.level, t.format], [3, 'jpeg']);
  });
});

describe('WMS GetMap parameters', () => {
  it('1.3.0 EPSG:4326 BBOX is lat,lon and is turned into lon,lat', () => {
    const m = parseWmsGetMap(new KvpParams(map({ CRS: 'EPSG:4326', BBOX: '47.7,7.3,47.8,7.4' })), limits);
    assert.deepEqual(m.bbox, [7.3, 47.7, 7.4, 47.8]);
  });

  it('1.1.1 EPSG:4326 BBOX is lon,lat and SRS names the CRS', () => {
    const { CRS: _c, ...rest } = map({ VERSION: '1.1.1', BBOX: '7.3,47.7,7.4,47.8' });
    const m = parseWmsGetMap(new KvpParams({ ...rest, SRS: 'EPSG:4326' }), limits);
    assert.deepEqual([m.version, m.bbox], ['1.1.1', [7.3, 47.7, 7.4, 47.8]]);
  });

  it('reads TRANSPARENT and BGCOLOR', () => {
    const m = parseWmsGetMap(new KvpParams(map({ TRANSPARENT: 'TRUE', BGCOLOR: '0xFF8800' })), limits);
    assert.deepEqual([m.transparent, m.background], [true, '#ff8800']);
  });

  it('an unsupported CRS is InvalidCRS (1.3.0) or InvalidSRS (1.1.1)', () => {
    assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams(map({ CRS: 'EPSG:27572' })), limits)), ['InvalidCRS', 'CRS']);
    const { CRS: _c, ...rest } = map({ VERSION: '1.1.1' });
    assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams({ ...rest, SRS: 'EPSG:27572' }), limits)), ['InvalidSRS', 'SRS']);
  });

  it('an unknown layer is LayerNotDefined and an unknown style StyleNotDefined', () => {
    assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams(map({ LAYERS: 'bright,nope' })), limits)), ['LayerNotDefined', 'LAYERS']);
    assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams(map({ STYLES: 'fancy' })), limits)), ['StyleNotDefined', 'STYLES']);
  });

  it('an inverted or malformed BBOX is InvalidParameterValue on BBOX', () => {
    assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams(map({ BBOX: '1025000,6747000,1024000,6748000' })), limits)), ['InvalidParameterValue', 'BBOX']);
    assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams(map({ BBOX: '1,2,3' })), limits)), ['InvalidParameterValue', 'BBOX']);
  });

  it('a size past the limit is refused, naming WIDTH or HEIGHT', () => {
    assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams(map({ WIDTH: '4097' })), limits)), ['InvalidParameterValue', 'WIDTH']);
    assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams(map({ HEIGHT: '0' })), limits)), ['InvalidParameterValue', 'HEIGHT']);
  });

  it('missing STYLES, CRS or FORMAT is MissingParameterValue; a bad FORMAT is InvalidFormat', () => {
    for (const key of ['STYLES', 'CRS', 'FORMAT', 'LAYERS']) {
      const q: Record<string, string> = map();
      delete q[key];
      assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams(q), limits)), ['MissingParameterValue', key]);
    }
    assert.deepEqual(ogcCode(() => parseWmsGetMap(new KvpParams(map({ FORMAT: 'image/gif' })), limits)), ['InvalidFormat', 'FORMAT']);
  });
});
