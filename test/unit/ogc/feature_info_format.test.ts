import assert from 'node:assert/strict';
import type { FeatureHit } from '../../../src/ogc/feature_info.js';
import { formatFeatureInfo, type LayerHits } from '../../../src/ogc/feature_info_format.js';
import { gmlName } from '../../../src/ogc/feature_info_gml.js';
import { infoFormatOf } from '../../../src/ogc/info_formats.js';
import { parseXml } from './xml_well_formed.js';

const poi = (): FeatureHit => ({
  source: 'openmaptiles', sourceLayer: 'poi', styleLayers: ['poi-level-1'], id: 3169660641,
  properties: { name: 'Café <du> Coin & Co', 'name:latin': 'Cafe', class: 'cafe', rank: 1 },
  geometry: { type: 'Point', coordinates: [7.3374242, 47.7525363] },
});
const building = (): FeatureHit => ({
  source: 'openmaptiles', sourceLayer: 'building', styleLayers: ['building'],
  properties: { render_height: 12, geometry: 'an attribute of that name' },
  geometry: { type: 'Polygon', coordinates: [[[7.1, 47.1], [7.2, 47.1], [7.2, 47.2], [7.1, 47.1]], [[7.12, 47.11], [7.13, 47.11], [7.13, 47.12], [7.12, 47.11]]] },
});
const road = (): FeatureHit => ({
  source: 'openmaptiles', sourceLayer: 'transportation_name', styleLayers: ['road-name'],
  properties: { name: 'Rue Franklin' },
  geometry: { type: 'MultiLineString', coordinates: [[[7.3, 47.7], [7.31, 47.71]], [[7.32, 47.72], [7.33, 47.73]]] },
});
const groups = (): LayerHits[] => [{ layer: 'bright', features: [poi(), building()] }, { layer: 'print', features: [road()] }];
const format = (mime: string, g: LayerHits[]) => formatFeatureInfo(infoFormatOf(mime)!, g);

describe('GetFeatureInfo answers', () => {
  it('text/plain: per queried layer, each feature with its source layer and attributes', () => {
    const t = format('text/plain', groups());
    assert.match(t, /Results for layer 'bright': 2 features/);
    assert.match(t, /^poi 3169660641 \(drawn by poi-level-1\)$/m);
    assert.match(t, /^name = Café <du> Coin & Co$/m);
    assert.match(t, /Results for layer 'print': 1 feature\n/);
  });

  it('text/plain and text/html say when nothing was found', () => {
    assert.match(format('text/plain', [{ layer: 'bright', features: [] }]), /Results for layer 'bright': no features were found/);
    assert.match(format('text/html', [{ layer: 'bright', features: [] }]), /No features were found/);
  });

  it('text/html escapes attribute values', () => {
    const h = format('text/html', groups());
    assert.ok(h.includes('<td>Café &lt;du&gt; Coin &amp; Co</td>'), h);
    assert.ok(h.startsWith('<!DOCTYPE html>'));
  });

  it('GeoJSON: a FeatureCollection in CRS84 whose properties are the tile attributes', () => {
    const j = JSON.parse(format('application/json', groups())) as { type: string; crs: { properties: { name: string } }; features: Array<Record<string, unknown>> };
    assert.equal(j.type, 'FeatureCollection');
    assert.equal(j.crs.properties.name, 'urn:ogc:def:crs:OGC:1.3:CRS84');
    assert.deepEqual(j.features.map((f) => [f.id, f.layer, f.sourceLayer]), [['poi.3169660641', 'bright', 'poi'], [undefined, 'bright', 'building'], [undefined, 'print', 'transportation_name']]);
    assert.deepEqual(j.features[0].properties, poi().properties);
    assert.deepEqual(j.features[0].geometry, poi().geometry);
  });

  it('GeoJSON with nothing found is an empty collection', () => {
    assert.deepEqual(JSON.parse(format('application/geo+json', [{ layer: 'bright', features: [] }])).features, []);
  });

  it('GML: a wfs:FeatureCollection of gml:featureMembers named after their source layers', () => {
    const els = parseXml(format('application/vnd.ogc.gml', groups()));
    assert.deepEqual([els[0].name, els[0].uri], ['FeatureCollection', 'http://www.opengis.net/wfs']);
    const members = els.filter((e) => e.path.endsWith('FeatureCollection/featureMember'));
    assert.ok(members.every((m) => m.uri === 'http://www.opengis.net/gml'));
    assert.deepEqual(els.filter((e) => e.path.split('/').length === 3 && e.path.startsWith('FeatureCollection/featureMember/')).map((e) => e.name), ['poi', 'building', 'transportation_name']);
    const feature = els.find((e) => e.name === 'poi')!;
    assert.equal(feature.attributes.fid, 'poi.3169660641');
    assert.equal(els.find((e) => e.path === 'FeatureCollection/featureMember/poi/name')!.text, 'Café <du> Coin & Co');
    assert.equal(els.find((e) => e.path === 'FeatureCollection/featureMember/poi/name.latin')!.text, 'Cafe');
  });

  it('GML: geometry in GML 2, lon,lat with srsName EPSG:4326, polygons with their holes', () => {
    const els = parseXml(format('application/vnd.ogc.gml', groups()));
    const point = els.find((e) => e.path === 'FeatureCollection/featureMember/poi/geometry/Point')!;
    assert.equal(point.attributes.srsName, 'EPSG:4326');
    assert.equal(els.find((e) => e.path === 'FeatureCollection/featureMember/poi/geometry/Point/coordinates')!.text, '7.3374242,47.7525363');
    assert.ok(els.some((e) => e.path === 'FeatureCollection/featureMember/building/geometry/Polygon/innerBoundaryIs/LinearRing/coordinates'));
    assert.equal(els.filter((e) => e.path === 'FeatureCollection/featureMember/transportation_name/geometry/MultiLineString/lineStringMember').length, 2);
    // the geometry element keeps its name; the attribute called geometry is renamed
    assert.equal(els.find((e) => e.path === 'FeatureCollection/featureMember/building/geometry_2')!.text, 'an attribute of that name');
  });

  it('GML: the collection is bounded by its features, or says it is empty', () => {
    const box = parseXml(format('application/vnd.ogc.gml', groups())).find((e) => e.path === 'FeatureCollection/boundedBy/Box/coordinates')!;
    assert.equal(box.text, '7.1,47.1 7.3374242,47.7525363');
    const empty = parseXml(format('application/vnd.ogc.gml', [{ layer: 'bright', features: [] }]));
    assert.ok(empty.some((e) => e.path === 'FeatureCollection/boundedBy/null'));
    assert.ok(!empty.some((e) => e.name === 'featureMember'));
  });

  it('GML element names: colons to dots, invalid characters and starts fixed, structural suffixes avoided', () => {
    assert.deepEqual(['name:de', 'name_de', '3d', 'a b', 'xmlish', 'family_member', 'x_layer', 'ökologie'].map(gmlName), ['name.de', 'name_de', '_3d', 'a_b', '_xmlish', 'family_member_', 'x_layer_', 'ökologie']);
  });
});
