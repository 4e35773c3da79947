import assert from 'node:assert/strict';
import { parseWmsGetFeatureInfo, parseWmtsFeatureInfo, wmtsFeatureInfoParamsFromKvp, type WmtsFeatureInfoParams } from '../../../src/ogc/feature_info_request.js';
import { infoFormatOf, infoFormatOfExtension } from '../../../src/ogc/info_formats.js';
import { KvpParams } from '../../../src/ogc/kvp_params.js';
import { ogcCode } from './ogc_code.js';
import { findTileMatrixSet, tileExtent } from '../../../src/ogc/tile_matrix_sets.js';

const LAYERS = new Set(['bright', 'osm-default', 'hillshade']);
const opts = { maxWidth: 4096, maxHeight: 4096, maxLayers: 4, isLayer: (n: string) => LAYERS.has(n), isQueryable: (n: string) => n !== 'hillshade' };

const v13 = (over: Record<string, string | undefined> = {}) => ({
  SERVICE: 'WMS', VERSION: '1.3.0', REQUEST: 'GetFeatureInfo', LAYERS: 'bright,hillshade', STYLES: ',', CRS: 'EPSG:2154',
  BBOX: '1024000,6747000,1025000,6748000', WIDTH: '200', HEIGHT: '100', FORMAT: 'image/png', QUERY_LAYERS: 'bright',
  INFO_FORMAT: 'application/json', I: '10', J: '20', ...over,
});
const v11 = (over: Record<string, string | undefined> = {}) => {
  const { I: _i, J: _j, CRS: _c, ...rest } = v13({ VERSION: '1.1.1', SRS: 'EPSG:4326', BBOX: '7.3,47.7,7.4,47.8', X: '199', Y: '99' });
  return { ...rest, ...over };
};
const wms = (q: Record<string, string | undefined>) => parseWmsGetFeatureInfo(new KvpParams(Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined))), opts);

describe('WMS GetFeatureInfo parameters', () => {
  it('1.3.0 takes the pixel from I and J, the map from the GetMap parameters', () => {
    const r = wms(v13());
    assert.deepEqual([r.pixel.i, r.pixel.j, r.pixel.width, r.pixel.height, r.pixel.crs.code], [10, 20, 200, 100, 'EPSG:2154']);
    assert.deepEqual(r.pixel.bbox, [1024000, 6747000, 1025000, 6748000]);
    assert.deepEqual([r.queryLayers, r.infoFormat.kind, r.featureCount], [['bright'], 'geojson', 1]);
  });

  it('1.1.1 takes the pixel from X and Y, and EPSG:4326 in lon,lat order', () => {
    const r = wms(v11());
    assert.deepEqual([r.pixel.i, r.pixel.j], [199, 99]);
    assert.deepEqual(r.pixel.bbox, [7.3, 47.7, 7.4, 47.8]);
  });

  it('1.3.0 reads an EPSG:4326 BBOX latitude first', () => {
    assert.deepEqual(wms(v13({ CRS: 'EPSG:4326', BBOX: '47.7,7.3,47.8,7.4' })).pixel.bbox, [7.3, 47.7, 7.4, 47.8]);
  });

  it('accepts X/Y in 1.3.0 (GDAL sends them) and I/J in 1.1.1', () => {
    const a = wms(v13({ I: undefined, J: undefined, X: '3', Y: '4' })).pixel;
    const b = wms(v11({ X: undefined, Y: undefined, I: '5', J: '6' })).pixel;
    assert.deepEqual([a.i, a.j, b.i, b.j], [3, 4, 5, 6]);
  });

  it('a pixel outside the image, negative or not a number is InvalidPoint naming the parameter', () => {
    assert.deepEqual(ogcCode(() => wms(v13({ I: '200' }))), ['InvalidPoint', 'I']);
    assert.deepEqual(ogcCode(() => wms(v13({ J: '100' }))), ['InvalidPoint', 'J']);
    assert.deepEqual(ogcCode(() => wms(v13({ J: '-1' }))), ['InvalidPoint', 'J']);
    assert.deepEqual(ogcCode(() => wms(v13({ I: 'left' }))), ['InvalidPoint', 'I']);
    assert.deepEqual(ogcCode(() => wms(v11({ X: '200' }))), ['InvalidPoint', 'X']);
    assert.deepEqual(ogcCode(() => wms(v13({ I: undefined }))), ['InvalidPoint', 'I']);
  });

  it('floors a fractional pixel index (some clients send the click position)', () => {
    assert.equal(wms(v13({ I: '10.7' })).pixel.i, 10);
  });

  it('an unsupported INFO_FORMAT is InvalidFormat; a missing one is an error in 1.3.0 and text/plain in 1.1.1', () => {
    assert.deepEqual(ogcCode(() => wms(v13({ INFO_FORMAT: 'image/png' }))), ['InvalidFormat', 'INFO_FORMAT']);
    assert.deepEqual(ogcCode(() => wms(v13({ INFO_FORMAT: undefined }))), ['MissingParameterValue', 'INFO_FORMAT']);
    assert.equal(wms(v11({ INFO_FORMAT: undefined })).infoFormat.mime, 'text/plain');
  });

  it('QUERY_LAYERS: required, defined, among LAYERS and queryable', () => {
    assert.deepEqual(ogcCode(() => wms(v13({ QUERY_LAYERS: undefined }))), ['MissingParameterValue', 'QUERY_LAYERS']);
    assert.deepEqual(ogcCode(() => wms(v13({ QUERY_LAYERS: 'nope' }))), ['LayerNotDefined', 'QUERY_LAYERS']);
    assert.deepEqual(ogcCode(() => wms(v13({ QUERY_LAYERS: 'osm-default' }))), ['LayerNotDefined', 'QUERY_LAYERS']);
    assert.deepEqual(ogcCode(() => wms(v13({ QUERY_LAYERS: 'bright,hillshade' }))), ['LayerNotQueryable', 'QUERY_LAYERS']);
  });

  it('tolerates a missing or unknown FORMAT (nothing is rendered)', () => {
    assert.equal(wms(v13({ FORMAT: undefined })).pixel.i, 10);
    assert.equal(wms(v13({ FORMAT: 'image/gif' })).pixel.i, 10);
  });

  it('still checks the map part as GetMap does', () => {
    assert.deepEqual(ogcCode(() => wms(v13({ LAYERS: 'bright,nope' }))), ['LayerNotDefined', 'LAYERS']);
    assert.deepEqual(ogcCode(() => wms(v13({ CRS: 'EPSG:27572' }))), ['InvalidCRS', 'CRS']);
    assert.deepEqual(ogcCode(() => wms(v13({ BBOX: '1,2,3' }))), ['InvalidParameterValue', 'BBOX']);
  });

  it('FEATURE_COUNT: 1 by default, capped at 50, a whole number ≥ 1', () => {
    assert.equal(wms(v13({ FEATURE_COUNT: '7' })).featureCount, 7);
    assert.equal(wms(v13({ FEATURE_COUNT: '100000' })).featureCount, 50);
    assert.deepEqual(ogcCode(() => wms(v13({ FEATURE_COUNT: '0' }))), ['InvalidParameterValue', 'FEATURE_COUNT']);
    assert.deepEqual(ogcCode(() => wms(v13({ FEATURE_COUNT: 'all' }))), ['InvalidParameterValue', 'FEATURE_COUNT']);
  });
});

describe('GetFeatureInfo formats', () => {
  it('knows the advertised MIME types, their aliases and parameters', () => {
    assert.equal(infoFormatOf('text/plain')?.kind, 'text');
    assert.equal(infoFormatOf('TEXT/HTML')?.kind, 'html');
    assert.equal(infoFormatOf('application/json; charset=utf-8')?.kind, 'geojson');
    assert.equal(infoFormatOf('application/geojson')?.mime, 'application/geo+json');
    assert.equal(infoFormatOf('application/geo json')?.mime, 'application/geo+json');
    assert.equal(infoFormatOf('text/xml')?.mime, 'application/vnd.ogc.gml');
    assert.equal(infoFormatOf('application/vnd.ogc.gml')?.kind, 'gml');
    assert.equal(infoFormatOf('image/png'), undefined);
  });

  it('maps RESTful extensions', () => {
    assert.deepEqual(['txt', 'html', 'json', 'geojson', 'gml', 'xml'].map((e) => infoFormatOfExtension(e)?.kind), ['text', 'html', 'geojson', 'geojson', 'gml', 'gml']);
    assert.equal(infoFormatOfExtension('png'), undefined);
  });
});

describe('WMTS GetFeatureInfo parameters', () => {
  const kvp = (over: Record<string, string> = {}) => new KvpParams({ SERVICE: 'WMTS', REQUEST: 'GetFeatureInfo', LAYER: 'bright', STYLE: 'default', TILEMATRIXSET: 'LAMB93', TILEMATRIX: '16', TILEROW: '10000', TILECOL: '2000', I: '12', J: '250', INFOFORMAT: 'text/html', ...over });
  const wmtsOpts = { isLayer: opts.isLayer, isQueryable: opts.isQueryable };
  const rest = (over: Partial<WmtsFeatureInfoParams> = {}): WmtsFeatureInfoParams => ({ layer: 'bright', style: 'default', tileMatrixSet: 'GoogleMapsCompatible', tileMatrix: '17', tileRow: '45691', tileCol: '68206', i: '0', j: '255', infoFormat: 'gml', restful: true, ...over });

  it('KVP: the tile address of GetTile (no FORMAT), I, J and INFOFORMAT; the pixel grid is the tile', () => {
    const r = parseWmtsFeatureInfo(wmtsFeatureInfoParamsFromKvp(kvp()), wmtsOpts);
    const m = findTileMatrixSet('LAMB93')!.matrices[16];
    assert.deepEqual([r.tile.set.id, r.tile.level, r.pixel.i, r.pixel.j, r.pixel.crs.code, r.infoFormat.kind, r.featureCount], ['LAMB93', 16, 12, 250, 'EPSG:2154', 'html', 1]);
    assert.deepEqual(r.pixel.bbox, tileExtent(m, 10000, 2000));
    assert.deepEqual([r.pixel.width, r.pixel.height], [256, 256]);
  });

  it('KVP: a pixel past the tile is PointIJOutOfRange, a missing one MissingParameterValue', () => {
    assert.deepEqual(ogcCode(() => parseWmtsFeatureInfo(wmtsFeatureInfoParamsFromKvp(kvp({ I: '256' })), wmtsOpts)), ['PointIJOutOfRange', 'I']);
    assert.deepEqual(ogcCode(() => parseWmtsFeatureInfo(wmtsFeatureInfoParamsFromKvp(kvp({ J: '300' })), wmtsOpts)), ['PointIJOutOfRange', 'J']);
    const { J: _omit, ...noJ } = Object.fromEntries(['SERVICE', 'LAYER', 'STYLE', 'TILEMATRIXSET', 'TILEMATRIX', 'TILEROW', 'TILECOL', 'I', 'J', 'INFOFORMAT'].map((k) => [k, kvp().get(k)!]));
    assert.deepEqual(ogcCode(() => wmtsFeatureInfoParamsFromKvp(new KvpParams(noJ))), ['MissingParameterValue', 'J']);
  });

  it('KVP: an unsupported INFOFORMAT, tile or layer is an error naming it', () => {
    assert.deepEqual(ogcCode(() => parseWmtsFeatureInfo(wmtsFeatureInfoParamsFromKvp(kvp({ INFOFORMAT: 'image/png' })), wmtsOpts)), ['InvalidParameterValue', 'INFOFORMAT']);
    assert.deepEqual(ogcCode(() => parseWmtsFeatureInfo(wmtsFeatureInfoParamsFromKvp(kvp({ TILEROW: '999999' })), wmtsOpts)), ['TileOutOfRange', 'TILEROW']);
    assert.deepEqual(ogcCode(() => parseWmtsFeatureInfo(wmtsFeatureInfoParamsFromKvp(kvp({ LAYER: 'hillshade' })), wmtsOpts)), ['InvalidParameterValue', 'LAYER']);
  });

  it('RESTful: the format from the extension; an image extension is refused', () => {
    const r = parseWmtsFeatureInfo(rest(), wmtsOpts);
    assert.deepEqual([r.tile.set.id, r.tile.row, r.tile.col, r.pixel.i, r.pixel.j, r.infoFormat.mime], ['GoogleMapsCompatible', 45691, 68206, 0, 255, 'application/vnd.ogc.gml']);
    assert.deepEqual(ogcCode(() => parseWmtsFeatureInfo(rest({ infoFormat: 'png' }), wmtsOpts)), ['InvalidParameterValue', 'FORMAT']);
  });

  it('takes FEATURE_COUNT as a vendor parameter', () => {
    assert.equal(parseWmtsFeatureInfo(rest({ featureCount: '5' }), wmtsOpts).featureCount, 5);
  });
});
