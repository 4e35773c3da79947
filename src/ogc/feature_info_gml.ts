/**
 * GetFeatureInfo answers in GML 2, the way GeoServer and MapServer answer
 * application/vnd.ogc.gml: a wfs:FeatureCollection whose gml:featureMember
 * elements hold one feature each, named after its source layer (poi,
 * building, transportation_name…), attributes as child elements and the
 * geometry in a `geometry` element, lon/lat with srsName EPSG:4326 (x = lon,
 * as GML 2 readers such as QGIS and GDAL take that name). No schema is
 * referenced: clients guess the feature types from the document.
 */
import type { Geometry, Position } from 'geojson';
import type { FeatureHit } from './feature_info.js';
import { xmlEscape as x } from './xml_text.js';

const SRS = 'EPSG:4326';

/**
 * An attribute or source-layer name as an unprefixed XML element name. The
 * colon of OpenMapTiles' `name:de` keys becomes a dot (`name_de` also exists),
 * other characters an underscore. Names QGIS's GML reader takes for
 * structure (…member, …_layer, …_feature) get a trailing underscore.
 */
export function gmlName(key: string): string {
  let n = key.replace(/:/g, '.').replace(/[^\p{L}\p{N}_.-]/gu, '_');
  if (!/^[\p{L}_]/u.test(n) || /^xml/i.test(n)) n = `_${n}`;
  if (/(member|_layer|_feature)$/i.test(n)) n = `${n}_`;
  return n;
}

function coordinates(points: Position[]): string {
  return `<gml:coordinates decimal="." cs="," ts=" ">${points.map((p) => `${p[0]},${p[1]}`).join(' ')}</gml:coordinates>`;
}

function polygon(rings: Position[][], srs: string): string {
  const [outer, ...holes] = rings;
  return `<gml:Polygon${srs}><gml:outerBoundaryIs><gml:LinearRing>${coordinates(outer)}</gml:LinearRing></gml:outerBoundaryIs>` +
    holes.map((h) => `<gml:innerBoundaryIs><gml:LinearRing>${coordinates(h)}</gml:LinearRing></gml:innerBoundaryIs>`).join('') +
    '</gml:Polygon>';
}

/** A GeoJSON geometry as GML 2; the srsName goes on the outermost element only. */
export function gml2Geometry(g: Geometry, withSrs = true): string {
  const srs = withSrs ? ` srsName="${SRS}"` : '';
  switch (g.type) {
    case 'Point':
      return `<gml:Point${srs}>${coordinates([g.coordinates])}</gml:Point>`;
    case 'LineString':
      return `<gml:LineString${srs}>${coordinates(g.coordinates)}</gml:LineString>`;
    case 'Polygon':
      return polygon(g.coordinates, srs);
    case 'MultiPoint':
      return `<gml:MultiPoint${srs}>${g.coordinates.map((p) => `<gml:pointMember><gml:Point>${coordinates([p])}</gml:Point></gml:pointMember>`).join('')}</gml:MultiPoint>`;
    case 'MultiLineString':
      return `<gml:MultiLineString${srs}>${g.coordinates.map((l) => `<gml:lineStringMember><gml:LineString>${coordinates(l)}</gml:LineString></gml:lineStringMember>`).join('')}</gml:MultiLineString>`;
    case 'MultiPolygon':
      return `<gml:MultiPolygon${srs}>${g.coordinates.map((p) => `<gml:polygonMember>${polygon(p, '')}</gml:polygonMember>`).join('')}</gml:MultiPolygon>`;
    case 'GeometryCollection':
      return `<gml:MultiGeometry${srs}>${g.geometries.map((m) => `<gml:geometryMember>${gml2Geometry(m, false)}</gml:geometryMember>`).join('')}</gml:MultiGeometry>`;
  }
}

function positionsOf(g: Geometry): Position[] {
  if (g.type === 'GeometryCollection') return g.geometries.flatMap(positionsOf);
  const flat = (c: unknown): Position[] => (typeof (c as unknown[])[0] === 'number' ? [c as Position] : (c as unknown[]).flatMap(flat));
  return flat(g.coordinates);
}

function box(features: FeatureHit[]): string {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const f of features) {
    for (const [lon, lat] of positionsOf(f.geometry)) {
      w = Math.min(w, lon); e = Math.max(e, lon);
      s = Math.min(s, lat); n = Math.max(n, lat);
    }
  }
  if (!(w <= e && s <= n)) return '<gml:boundedBy><gml:null>missing</gml:null></gml:boundedBy>';
  return `<gml:boundedBy><gml:Box srsName="${SRS}">${coordinates([[w, s], [e, n]])}</gml:Box></gml:boundedBy>`;
}

function featureXml(f: FeatureHit): string {
  const type = gmlName(f.sourceLayer);
  const fid = f.id === undefined ? '' : ` fid="${x(`${f.sourceLayer}.${f.id}`)}"`;
  // the geometry element's name is taken first; an attribute of the same element name gets a suffix
  const used = new Set<string>(['geometry']);
  const attrs: string[] = [];
  for (const [k, v] of Object.entries(f.properties)) {
    let name = gmlName(k);
    for (let i = 2; used.has(name); i++) name = `${gmlName(k)}_${i}`;
    used.add(name);
    attrs.push(`      <${name}>${x(String(v))}</${name}>`);
  }
  return [
    '  <gml:featureMember>',
    `    <${type}${fid}>`,
    `      <geometry>${gml2Geometry(f.geometry)}</geometry>`,
    ...attrs,
    `    </${type}>`,
    '  </gml:featureMember>',
  ].join('\n');
}

/** The features of every queried layer in one collection. */
export function featureInfoGml(features: FeatureHit[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" xmlns:gml="http://www.opengis.net/gml">',
    `  ${box(features)}`,
    ...features.map(featureXml),
    '</wfs:FeatureCollection>',
    '',
  ].join('\n');
}
