import assert from 'node:assert/strict';
import { SUPPORTED_CRS } from '../../../src/ogc/crs.js';
import { OgcError, owsExceptionReport, wmsExceptionReport } from '../../../src/ogc/ogc_exception.js';
import type { OgcLayer, OgcServiceInfo } from '../../../src/ogc/ogc_layer.js';
import { TILE_MATRIX_SETS } from '../../../src/ogc/tile_matrix_sets.js';
import { buildWmsCapabilities } from '../../../src/ogc/wms_capabilities.js';
import { buildWmtsCapabilities } from '../../../src/ogc/wmts_capabilities.js';
import { parseXml } from './xml_well_formed.js';

const WMTS_NS = 'http://www.opengis.net/wmts/1.0';
const OWS_NS = 'http://www.opengis.net/ows/1.1';
const MULHOUSE: [number, number, number, number] = [7.26, 47.7, 7.4, 47.8];

const SERVICE: OgcServiceInfo = {
  title: 'T', abstract: 'Basemaps & more', fees: 'none', accessConstraints: 'ODbL', contactOrganization: 'Région', contactPerson: 'Ops', contactEmail: 'ops@example.test',
};

function layers(): OgcLayer[] {
  return [
    { name: 'osm-bright', title: 'Bright & <clear>', styleId: 'osm-bright', bounds: MULHOUSE, opaque: true, attribution: { title: '© OpenStreetMap contributors', url: 'https://www.openstreetmap.org/copyright' }, legend: { href: 'http://example.test/wms?REQUEST=GetLegendGraphic&LAYER=osm-bright', width: 120, height: 80 } },
    { name: 'labels', title: 'Labels', abstract: 'Labels only.', styleId: 'labels', bounds: MULHOUSE, opaque: false },
  ];
}

describe('WMTS capabilities', () => {
  const xml = () => buildWmtsCapabilities({ baseUrl: 'http://example.test', service: SERVICE, layers: layers(), sets: TILE_MATRIX_SETS });

  it('is well-formed XML in the WMTS 1.0 namespace', () => {
    const els = parseXml(xml());
    assert.equal(els[0].name, 'Capabilities');
    assert.equal(els[0].uri, WMTS_NS);
    assert.equal(els[0].attributes.version, '1.0.0');
  });

  it('lists every layer (style and alias) by identifier, with escaped titles', () => {
    const els = parseXml(xml());
    const ids = els.filter((e) => e.path === 'Capabilities/Contents/Layer/Identifier').map((e) => e.text);
    assert.deepEqual(ids, ['osm-bright', 'labels']);
    assert.ok(els.some((e) => e.path === 'Capabilities/Contents/Layer/Title' && e.text === 'Bright & <clear>'));
  });

  it('defines the three tile matrix sets with their CRS and links each layer to all of them', () => {
    const els = parseXml(xml());
    const sets = els.filter((e) => e.path === 'Capabilities/Contents/TileMatrixSet/Identifier').map((e) => e.text);
    assert.deepEqual(sets, ['GoogleMapsCompatible', 'GoogleMapsCompatible512', 'LAMB93']);
    const crs = els.filter((e) => e.path === 'Capabilities/Contents/TileMatrixSet/SupportedCRS').map((e) => e.text);
    assert.deepEqual(crs, ['urn:ogc:def:crs:EPSG::3857', 'urn:ogc:def:crs:EPSG::3857', 'urn:ogc:def:crs:EPSG::2154']);
    assert.equal(els.filter((e) => e.path === 'Capabilities/Contents/Layer/TileMatrixSetLink/TileMatrixSet').length, 2 * 3);
  });

  it('gives LAMB93 level 0 the Géoplateforme scale denominator and top-left corner', () => {
    const els = parseXml(xml());
    const i = els.findIndex((e) => e.name === 'Identifier' && e.text === 'LAMB93');
    const scale = els.slice(i).find((e) => e.name === 'ScaleDenominator')!;
    const corner = els.slice(i).find((e) => e.name === 'TopLeftCorner')!;
    assert.ok(Math.abs(Number(scale.text) - 373497230.535336) < 0.01);
    assert.equal(corner.text, '0 12000000');
  });

  it('offers RESTful ResourceURL templates per format and a KVP GetTile endpoint', () => {
    const els = parseXml(xml());
    const urls = els.filter((e) => e.name === 'ResourceURL').map((e) => e.attributes.template);
    assert.ok(urls.includes('http://example.test/wmts/1.0.0/osm-bright/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.jpg'));
    const kvp = els.filter((e) => e.name === 'Get' && e.uri === OWS_NS).map((e) => e.attributes['xlink:href']);
    assert.ok(kvp.includes('http://example.test/wmts?'));
  });
});

describe('WMS capabilities', () => {
  const xml = (version: '1.3.0' | '1.1.1') => buildWmsCapabilities({ version, baseUrl: 'http://example.test', service: SERVICE, layers: layers(), crs: SUPPORTED_CRS, maxWidth: 4096, maxHeight: 4096 });

  it('1.3.0 is well-formed, namespaced, lists the layers and every CRS', () => {
    const els = parseXml(xml('1.3.0'));
    assert.equal(els[0].name, 'WMS_Capabilities');
    assert.equal(els[0].uri, 'http://www.opengis.net/wms');
    assert.deepEqual(els.filter((e) => e.path.endsWith('Layer/Layer/Name')).map((e) => e.text), ['osm-bright', 'labels']);
    assert.deepEqual(els.filter((e) => e.name === 'CRS').map((e) => e.text), SUPPORTED_CRS.map((c) => c.code));
    assert.ok(els.some((e) => e.name === 'MaxWidth' && e.text === '4096'));
  });

  it('1.3.0 writes EPSG:4326 bounding boxes latitude first and EPSG:2154 easting first', () => {
    const els = parseXml(xml('1.3.0'));
    const box = (crs: string) => els.find((e) => e.name === 'BoundingBox' && e.attributes.CRS === crs)!.attributes;
    assert.equal(Number(box('EPSG:4326').minx), 47.7);
    assert.equal(Number(box('CRS:84').minx), 7.26);
    assert.ok(Number(box('EPSG:2154').minx) > 1_000_000 && Number(box('EPSG:2154').miny) > 6_700_000);
  });

  it('1.1.1 is well-formed WMT_MS_Capabilities with SRS and LatLonBoundingBox', () => {
    const els = parseXml(xml('1.1.1'));
    assert.equal(els[0].name, 'WMT_MS_Capabilities');
    assert.ok(els.some((e) => e.name === 'SRS' && e.text === 'EPSG:2154'));
    const ll = els.find((e) => e.name === 'LatLonBoundingBox')!.attributes;
    assert.equal(Number(ll.minx), 7.26);
    assert.equal(Number(els.find((e) => e.name === 'BoundingBox' && e.attributes.SRS === 'EPSG:4326')!.attributes.minx), 7.26);
  });
});

describe('service description, attribution, opacity and legends in capabilities', () => {
  const wms = (version: '1.3.0' | '1.1.1') => parseXml(buildWmsCapabilities({ version, baseUrl: 'http://example.test', service: SERVICE, layers: layers(), crs: SUPPORTED_CRS, maxWidth: 4096, maxHeight: 4096 }));
  const wmts = () => parseXml(buildWmtsCapabilities({ baseUrl: 'http://example.test', service: SERVICE, layers: layers(), sets: TILE_MATRIX_SETS }));

  for (const version of ['1.3.0', '1.1.1'] as const) {
    it(`WMS ${version}: Abstract, ContactInformation, Fees and AccessConstraints from the service description`, () => {
      const els = wms(version);
      const text = (name: string) => els.find((e) => e.name === name && e.path.includes('/Service/'))?.text;
      assert.deepEqual([text('Abstract'), text('ContactOrganization'), text('ContactPerson'), text('ContactElectronicMailAddress'), text('Fees'), text('AccessConstraints')], ['Basemaps & more', 'Région', 'Ops', 'ops@example.test', 'none', 'ODbL']);
    });

    it(`WMS ${version}: each layer's Attribution, LegendURL and opacity (transparent layers opaque="0")`, () => {
      const els = wms(version);
      const named = els.filter((e) => e.name === 'Layer' && e.path.endsWith('Layer/Layer'));
      assert.deepEqual(named.map((e) => e.attributes.opaque), ['1', '0']);
      const attribution = els.find((e) => e.path.endsWith('Layer/Layer/Attribution/Title'));
      assert.equal(attribution?.text, '© OpenStreetMap contributors');
      const legend = els.find((e) => e.name === 'LegendURL')!;
      assert.deepEqual([legend.attributes.width, legend.attributes.height], ['120', '80']);
      const href = els.find((e) => e.path.endsWith('LegendURL/OnlineResource'))!.attributes['xlink:href'];
      assert.equal(href, 'http://example.test/wms?REQUEST=GetLegendGraphic&LAYER=osm-bright');
      assert.equal(els.filter((e) => e.name === 'LegendURL').length, 1, 'no legend where the layer has none');
    });
  }

  it('WMTS: Abstract, Fees, AccessConstraints, ServiceProvider; LegendURL in the style; attribution in the layer abstract', () => {
    const els = wmts();
    const at = (p: string) => els.find((e) => e.path === p)?.text;
    assert.deepEqual([at('Capabilities/ServiceIdentification/Abstract'), at('Capabilities/ServiceIdentification/Fees'), at('Capabilities/ServiceIdentification/AccessConstraints'), at('Capabilities/ServiceProvider/ProviderName')], ['Basemaps & more', 'none', 'ODbL', 'Région']);
    const legend = els.find((e) => e.path === 'Capabilities/Contents/Layer/Style/LegendURL')!;
    assert.deepEqual([legend.attributes.format, legend.attributes['xlink:href'], legend.attributes.width], ['image/png', 'http://example.test/wms?REQUEST=GetLegendGraphic&LAYER=osm-bright', '120']);
    assert.match(at('Capabilities/Contents/Layer/Abstract') ?? '', /Attribution: © OpenStreetMap contributors \(https:\/\/www\.openstreetmap\.org\/copyright\)/);
  });
});

describe('OGC exception reports', () => {
  it('WMTS: an OWS ExceptionReport with the code and locator', () => {
    const els = parseXml(owsExceptionReport(new OgcError('TileOutOfRange', 'row < & >', { locator: 'TILEROW' })));
    assert.equal(els[0].name, 'ExceptionReport');
    assert.equal(els[0].uri, OWS_NS);
    assert.deepEqual([els[1].attributes.exceptionCode, els[1].attributes.locator], ['TileOutOfRange', 'TILEROW']);
    assert.equal(els[2].text, 'row < & >');
  });

  it('WMS: 1.1.1 says InvalidSRS where 1.3.0 says InvalidCRS', () => {
    const e = new OgcError('InvalidCRS', 'no');
    assert.equal(parseXml(wmsExceptionReport(e, '1.1.1'))[1].attributes.code, 'InvalidSRS');
    const v13 = parseXml(wmsExceptionReport(e, '1.3.0'));
    assert.equal(v13[1].attributes.code, 'InvalidCRS');
    assert.equal(v13[0].uri, 'http://www.opengis.net/ogc');
  });

  it('maps HTTP statuses: 400 for client mistakes, 501 for unsupported operations', () => {
    assert.equal(new OgcError('MissingParameterValue', 'x').status, 400);
    assert.equal(new OgcError('OperationNotSupported', 'x').status, 501);
  });
});

describe('GetFeatureInfo in capabilities', () => {
  const mixed = (): OgcLayer[] => [
    { name: 'bright', title: 'Bright', styleId: 'bright', bounds: MULHOUSE, queryable: true, opaque: true },
    { name: 'hillshade', title: 'Hillshade', styleId: 'hillshade', bounds: MULHOUSE, queryable: false, opaque: true },
  ];
  const FORMATS = ['text/plain', 'text/html', 'application/json', 'application/geo+json', 'application/vnd.ogc.gml'];

  for (const version of ['1.3.0', '1.1.1'] as const) {
    it(`WMS ${version}: GetFeatureInfo with its formats and GET endpoint; queryable only where vector data is drawn`, () => {
      const els = parseXml(buildWmsCapabilities({ version, baseUrl: 'http://example.test', service: SERVICE, layers: mixed(), crs: SUPPORTED_CRS, maxWidth: 4096, maxHeight: 4096 }));
      const root = version === '1.3.0' ? 'WMS_Capabilities' : 'WMT_MS_Capabilities';
      const ops = els.filter((e) => e.path.startsWith(`${root}/Capability/Request/`) && e.path.split('/').length === 4).map((e) => e.name);
      assert.deepEqual(ops, ['GetCapabilities', 'GetMap', 'GetFeatureInfo', 'GetLegendGraphic']);
      assert.deepEqual(els.filter((e) => e.path === `${root}/Capability/Request/GetFeatureInfo/Format`).map((e) => e.text), FORMATS);
      const get = els.find((e) => e.path === `${root}/Capability/Request/GetFeatureInfo/DCPType/HTTP/Get/OnlineResource`)!;
      assert.equal(get.attributes['xlink:href'], 'http://example.test/wms?');
      const named = els.filter((e) => e.path === `${root}/Capability/Layer/Layer`);
      assert.deepEqual(named.map((e) => e.attributes.queryable), ['1', '0']);
    });
  }

  it('WMTS: a GetFeatureInfo operation in both encodings', () => {
    const els = parseXml(buildWmtsCapabilities({ baseUrl: 'http://example.test', service: SERVICE, layers: mixed(), sets: TILE_MATRIX_SETS }));
    const ops = els.filter((e) => e.name === 'Operation').map((e) => e.attributes.name);
    assert.deepEqual(ops, ['GetCapabilities', 'GetTile', 'GetFeatureInfo']);
    const i = els.findIndex((e) => e.name === 'Operation' && e.attributes.name === 'GetFeatureInfo');
    const encodings = els.slice(i).filter((e) => e.name === 'Value').slice(0, 2).map((e) => e.text);
    assert.deepEqual(encodings, ['KVP', 'RESTful']);
  });

  it('WMTS: queryable layers list InfoFormats (after Format, before TileMatrixSetLink) and FeatureInfo templates', () => {
    const els = parseXml(buildWmtsCapabilities({ baseUrl: 'http://example.test', service: SERVICE, layers: mixed(), sets: TILE_MATRIX_SETS }));
    const layerStarts = els.map((e, k) => (e.path === 'Capabilities/Contents/Layer' ? k : -1)).filter((k) => k >= 0);
    const children = (n: number) => els.slice(layerStarts[n], layerStarts[n + 1] ?? els.length).filter((e) => e.path.split('/').length === 4);
    const bright = children(0);
    assert.deepEqual(bright.filter((e) => e.name === 'InfoFormat').map((e) => e.text), FORMATS);
    const order = bright.map((e) => e.name);
    assert.ok(order.lastIndexOf('Format') < order.indexOf('InfoFormat') && order.lastIndexOf('InfoFormat') < order.indexOf('TileMatrixSetLink'), order.join());
    const templates = bright.filter((e) => e.name === 'ResourceURL' && e.attributes.resourceType === 'FeatureInfo').map((e) => [e.attributes.format, e.attributes.template]);
    assert.deepEqual(templates.map(([f]) => f), FORMATS);
    assert.ok(templates.some(([, t]) => t === 'http://example.test/wmts/1.0.0/bright/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}/{J}/{I}.gml'));
    const hillshade = children(1);
    assert.ok(!hillshade.some((e) => e.name === 'InfoFormat' || e.attributes.resourceType === 'FeatureInfo'));
  });
});
