/**
 * GetFeatureInfo over our own Mulhouse import, drawn by our `bright` style and
 * the upstream OSM Bright: clicks on a POI, a street and a building found in
 * the archive itself, in Web Mercator, Lambert-93 and WGS 84, through WMS
 * 1.3.0 and 1.1.1 and WMTS KVP and RESTful. Answers are read back by clients
 * nobody here wrote: GDAL's GML driver (ogrinfo) and GDAL's own WMS and WMTS
 * clients (gdallocationinfo), which also render the map they query.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { Feature, LineString, Point, Polygon, Position } from 'geojson';
import { openTileSource } from '../../src/archive/open_tile_source.js';
import { lonLatToMercator } from '../../src/core/tile_math.js';
import { findTileMatrixSet, tileAt, tileExtent } from '../../src/ogc/tile_matrix_sets.js';
import type { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { REPO_ROOT, UPSTREAM_STYLES_DIR, tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { parseXml } from '../unit/ogc/xml_well_formed.js';
import { gdal, importMulhouse, startOgcServer } from './ogc_fixtures.js';

const POI_NAME = 'Le Palace';
const STREET_NAME = 'Rue Franklin';

interface DataFeature {
  layer: string;
  id?: number;
  properties: Record<string, unknown>;
  geojson: Feature;
}

/** Every feature of the z14 tiles of the archive, decoded with the reference MVT reader. */
async function z14Features(mbtiles: string): Promise<DataFeature[]> {
  const source = await openTileSource(mbtiles);
  const out: DataFeature[] = [];
  try {
    for await (const t of source.tiles!()) {
      if (t.z !== 14) continue;
      const tile = new VectorTile(new PbfReader(t.tile.encoding === 'gzip' ? zlib.gunzipSync(t.tile.data) : t.tile.data));
      for (const [layer, l] of Object.entries(tile.layers)) {
        for (let k = 0; k < l.length; k++) {
          const f = l.feature(k);
          out.push({ layer, id: f.id, properties: f.properties, geojson: f.toGeoJSON(t.x, t.y, t.z) });
        }
      }
    }
  } finally {
    await source.close();
  }
  return out;
}

/** Midpoint of the longest segment of a line. */
function onLine(coords: Position[]): [number, number] {
  let best = 0, at: [number, number] = [coords[0][0], coords[0][1]];
  for (let k = 1; k < coords.length; k++) {
    const d = Math.hypot(coords[k][0] - coords[k - 1][0], coords[k][1] - coords[k - 1][1]);
    if (d > best) [best, at] = [d, [(coords[k][0] + coords[k - 1][0]) / 2, (coords[k][1] + coords[k - 1][1]) / 2]];
  }
  return at;
}

/** A point inside a ring: the middle of the widest horizontal chord through its vertical middle. */
function inside(ring: Position[]): [number, number] {
  const ys = ring.map((p) => p[1]);
  const y = (Math.min(...ys) + Math.max(...ys)) / 2;
  const xs: number[] = [];
  for (let k = 1; k < ring.length; k++) {
    const [a, b] = [ring[k - 1], ring[k]];
    if ((a[1] > y) !== (b[1] > y)) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
  }
  xs.sort((p, q) => p - q);
  let best = 0, x = xs[0];
  for (let k = 1; k < xs.length; k += 2) if (xs[k] - xs[k - 1] > best) [best, x] = [xs[k] - xs[k - 1], (xs[k] + xs[k - 1]) / 2];
  return [x, y];
}

/** A lon/lat in another CRS, by PROJ (GDAL), east/north order. */
function projected(crs: string, lon: number, lat: number): [number, number] {
  const out = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', crs, '-output_xy'], { input: `${lon} ${lat}\n` }).toString();
  const [x, y] = out.trim().split(/\s+/).map(Number);
  return [x, y];
}

/** WMS GetFeatureInfo parameters of a 128 × 128 map whose pixel (64, 64) is centred on (x, y), CRS units east/north. */
function clickQuery(o: { version: '1.3.0' | '1.1.1'; crs: string; x: number; y: number; res: number; swap?: boolean }): string {
  const [x0, y0, x1, y1] = [o.x - 64.5 * o.res, o.y - 63.5 * o.res, o.x + 63.5 * o.res, o.y + 64.5 * o.res];
  const bbox = o.swap ? [y0, x0, y1, x1] : [x0, y0, x1, y1];
  const [crsName, i, j] = o.version === '1.3.0' ? ['CRS', 'I', 'J'] : ['SRS', 'X', 'Y'];
  return `SERVICE=WMS&VERSION=${o.version}&REQUEST=GetFeatureInfo&LAYERS=bright&QUERY_LAYERS=bright&STYLES=&${crsName}=${o.crs}&BBOX=${bbox.join(',')}&WIDTH=128&HEIGHT=128&FORMAT=image/png&${i}=64&${j}=64`;
}

/** A query string with some parameters replaced (servers keep the first of repeated ones). */
function withParams(q: string, over: Record<string, string>): string {
  const p = new URLSearchParams(q);
  for (const [k, v] of Object.entries(over)) p.set(k, v);
  return p.toString();
}

/** Shoelace area of a ring, in squared degrees (only compared). */
function ringArea(ring: Position[]): number {
  let a = 0;
  for (let k = 1; k < ring.length; k++) a += ring[k - 1][0] * ring[k][1] - ring[k][0] * ring[k - 1][1];
  return Math.abs(a / 2);
}

function exceptionOf(body: string): [string, string | undefined] {
  const els = parseXml(body);
  const ex = els.find((e) => e.name === 'Exception' || e.name === 'ServiceException');
  return [els[0].name, ex?.attributes.exceptionCode ?? ex?.attributes.code];
}

type Json = { features: Array<{ sourceLayer: string; id?: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: number[] } }> };

describe('GetFeatureInfo over a Mulhouse import (WMS, WMTS; GDAL as client) @slow', function () {
  let dir: string;
  let server: TuilerieServer;
  let url: string;
  let poi: [number, number];
  let street: [number, number];
  let building: { at: [number, number]; id: number };

  before(async () => {
    dir = tempDir('tuilerie-gfi-e2e-');
    const mbtiles = importMulhouse(dir);
    const features = await z14Features(mbtiles);
    const p = features.find((f) => f.layer === 'poi' && f.properties.name === POI_NAME);
    assert.ok(p, `${POI_NAME} is a POI of the import`);
    poi = (p.geojson.geometry as Point).coordinates as [number, number];
    const s = features.filter((f) => f.layer === 'transportation_name' && f.properties.name === STREET_NAME && f.geojson.geometry.type === 'LineString');
    assert.ok(s.length > 0, `${STREET_NAME} is a named street of the import`);
    street = onLine((s[0].geojson.geometry as LineString).coordinates);
    // the largest building, clicked well inside
    const b = features.filter((f) => f.layer === 'building' && f.id !== undefined && f.geojson.geometry.type === 'Polygon')
      .map((f) => ({ f, ring: (f.geojson.geometry as Polygon).coordinates[0] }))
      .sort((m, n) => ringArea(n.ring) - ringArea(m.ring))[0];
    building = { at: inside(b.ring), id: b.f.id! };
    const bg = path.join(dir, 'background.json');
    fs.writeFileSync(bg, JSON.stringify({ version: 8, name: 'plain', sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#eeeeee' } }] }));
    ({ server, url } = await startOgcServer(dir, {
      mbtiles,
      styles: { bright: path.join(REPO_ROOT, 'styles', 'bright.json'), 'osm-bright': path.join(UPSTREAM_STYLES_DIR, 'osm-bright', 'style.json'), plain: bg },
    }));
  });
  after(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const wms = (q: string) => request(`${url}/wms?${q}`);
  const mercatorClick = (lonLat: [number, number], version: '1.3.0' | '1.1.1' = '1.3.0') => {
    const [x, y] = lonLatToMercator(lonLat[0], lonLat[1]);
    return clickQuery({ version, crs: 'EPSG:3857', x, y, res: 0.3 });
  };

  it(`a click on ${POI_NAME} (EPSG:3857) answers its name in text/plain`, async () => {
    const r = await wms(`${mercatorClick(poi)}&INFO_FORMAT=text/plain`);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    assert.match(String(r.headers['content-type']), /^text\/plain/);
    assert.match(r.text(), new RegExp(`^poi .*\\n(.*\\n)*name = ${POI_NAME}$`, 'm'));
  });

  it(`… in GeoJSON, first, with its lon/lat`, async () => {
    const r = await wms(`${mercatorClick(poi)}&INFO_FORMAT=application/json&FEATURE_COUNT=5`);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    const f = (r.json() as Json).features[0];
    assert.deepEqual([f.sourceLayer, f.properties.name, f.geometry.type], ['poi', POI_NAME, 'Point']);
    assert.ok(Math.hypot(f.geometry.coordinates[0] - poi[0], f.geometry.coordinates[1] - poi[1]) < 1e-6);
  });

  it('… and in GML that GDAL reads as a poi layer with the name and the point in lon/lat', async () => {
    const r = await wms(`${mercatorClick(poi)}&INFO_FORMAT=application/vnd.ogc.gml`);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    const file = path.join(dir, 'poi.gml');
    fs.writeFileSync(file, r.body);
    const out = await gdal(['ogrinfo', '-ro', '-al', file], dir);
    assert.match(out, /Layer name: poi/);
    assert.match(out, new RegExp(`name \\(String\\) = ${POI_NAME}`));
    const [, lon, lat] = /POINT \(([\d.]+) ([\d.]+)\)/.exec(out) ?? [];
    assert.ok(Math.hypot(Number(lon) - poi[0], Number(lat) - poi[1]) < 1e-6, out.slice(-300));
  });

  it(`a click on ${POI_NAME} in EPSG:2154 (projected by PROJ) finds it too, in the upstream OSM Bright as well`, async () => {
    const [x, y] = projected('EPSG:2154', poi[0], poi[1]);
    const q = withParams(clickQuery({ version: '1.3.0', crs: 'EPSG:2154', x, y, res: 0.25 }), { LAYERS: 'bright,osm-bright', QUERY_LAYERS: 'bright,osm-bright', INFO_FORMAT: 'application/json' });
    const r = await wms(q);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    const features = (r.json() as { features: Array<{ layer: string; properties: Record<string, unknown> }> }).features;
    assert.deepEqual(features.map((f) => [f.layer, f.properties.name]), [['bright', POI_NAME], ['osm-bright', POI_NAME]]);
  });

  it('WMS 1.1.1 with SRS=EPSG:4326 (lon,lat) and X/Y, and 1.3.0 with EPSG:4326 (lat,lon) find it alike', async () => {
    const res = 0.25 / 111_320;
    const a = await wms(`${clickQuery({ version: '1.1.1', crs: 'EPSG:4326', x: poi[0], y: poi[1], res })}&INFO_FORMAT=text/plain`);
    const b = await wms(`${clickQuery({ version: '1.3.0', crs: 'EPSG:4326', x: poi[0], y: poi[1], res, swap: true })}&INFO_FORMAT=text/plain`);
    assert.equal(a.status, 200, a.text().slice(0, 300));
    assert.match(a.text(), new RegExp(`name = ${POI_NAME}`));
    assert.equal(b.text(), a.text());
  });

  it(`a click on ${STREET_NAME} (EPSG:2154) answers the street and its name`, async () => {
    const [x, y] = projected('EPSG:2154', street[0], street[1]);
    const r = await wms(`${clickQuery({ version: '1.3.0', crs: 'EPSG:2154', x, y, res: 0.25 })}&INFO_FORMAT=application/geo%2Bjson&FEATURE_COUNT=10`);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    const features = (r.json() as Json).features;
    assert.equal(features.find((f) => f.sourceLayer === 'transportation_name')?.properties.name, STREET_NAME, JSON.stringify(features.map((f) => f.sourceLayer)));
    assert.ok(features.some((f) => f.sourceLayer === 'transportation'), 'the road line itself');
  });

  it('a click inside a building answers that building (GML, by its tile feature id)', async () => {
    const r = await wms(`${mercatorClick(building.at)}&INFO_FORMAT=application/vnd.ogc.gml&FEATURE_COUNT=10`);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    const fids = parseXml(r.text()).filter((e) => e.name === 'building').map((e) => e.attributes.fid);
    assert.ok(fids.includes(`building.${building.id}`), `${fids.join()} (expected building.${building.id})`);
  });

  it('a click in the middle of nowhere answers empty collections, not errors', async () => {
    const nowhere: [number, number] = [2.35, 48.85];
    const json = await wms(`${mercatorClick(nowhere)}&INFO_FORMAT=application/json`);
    assert.equal(json.status, 200, json.text().slice(0, 300));
    assert.deepEqual((json.json() as Json).features, []);
    const gml = await wms(`${mercatorClick(nowhere)}&INFO_FORMAT=application/vnd.ogc.gml`);
    assert.ok(!parseXml(gml.text()).some((e) => e.name === 'featureMember'));
    assert.match((await wms(`${mercatorClick(nowhere)}&INFO_FORMAT=text/plain`)).text(), /no features were found/);
  });

  for (const setId of ['GoogleMapsCompatible', 'LAMB93']) {
    it(`WMTS ${setId}: KVP and RESTful GetFeatureInfo at the tile pixel of ${POI_NAME}`, async () => {
      const set = findTileMatrixSet(setId)!;
      // the deepest published level, at most 19 (LAMB93 stops at 18)
      const level = Math.min(19, set.matrices.length - 1);
      const m = set.matrices[level];
      const [x, y] = setId === 'LAMB93' ? projected('EPSG:2154', poi[0], poi[1]) : lonLatToMercator(poi[0], poi[1]);
      const t = tileAt(m, x, y);
      const [minx, , , maxy] = tileExtent(m, t.row, t.col);
      const i = Math.floor((x - minx) / m.cellSize), j = Math.floor((maxy - y) / m.cellSize);
      const kvp = await request(`${url}/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&VERSION=1.0.0&LAYER=bright&STYLE=default&TILEMATRIXSET=${setId}&TILEMATRIX=${level}&TILEROW=${t.row}&TILECOL=${t.col}&I=${i}&J=${j}&INFOFORMAT=application/json`);
      assert.equal(kvp.status, 200, kvp.text().slice(0, 300));
      assert.equal((kvp.json() as Json).features[0]?.properties.name, POI_NAME);
      const rest = await request(`${url}/wmts/1.0.0/bright/default/${setId}/${level}/${t.row}/${t.col}/${j}/${i}.gml`);
      assert.equal(rest.status, 200, rest.text().slice(0, 300));
      assert.match(String(rest.headers['content-type']), /^application\/vnd\.ogc\.gml/);
      assert.equal(parseXml(rest.text()).find((e) => e.path === 'FeatureCollection/featureMember/poi/name')?.text, POI_NAME);
    });
  }

  it(`GDAL's WMS client (gdallocationinfo) gets ${POI_NAME} from GetFeatureInfo`, async () => {
    const [x, y] = lonLatToMercator(poi[0], poi[1]);
    const x0 = Math.round(x) - 128, y1 = Math.round(y) + 128;
    const xml = path.join(dir, 'wms.xml');
    fs.writeFileSync(xml, `<GDAL_WMS><Service name="WMS"><Version>1.3.0</Version><ServerUrl>${url}/wms?</ServerUrl><CRS>EPSG:3857</CRS><ImageFormat>image/png</ImageFormat><Layers>bright</Layers></Service>
<DataWindow><UpperLeftX>${x0}</UpperLeftX><UpperLeftY>${y1}</UpperLeftY><LowerRightX>${x0 + 256}</LowerRightX><LowerRightY>${y1 - 256}</LowerRightY><SizeX>1024</SizeX><SizeY>1024</SizeY></DataWindow>
<BandsCount>3</BandsCount><BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY></GDAL_WMS>`);
    const out = await gdal(['gdallocationinfo', '-xml', '-b', '1', '-geoloc', xml, String(x), String(y)], dir);
    assert.ok(out.includes(`<name>${POI_NAME}</name>`), out.slice(0, 600));
  });

  it(`GDAL's WMTS client (gdallocationinfo, RESTful FeatureInfo template) gets ${POI_NAME} on LAMB93`, async () => {
    const conn = `<GDAL_WMTS><GetCapabilitiesUrl>${url}/wmts/1.0.0/WMTSCapabilities.xml</GetCapabilitiesUrl><Layer>bright</Layer><TileMatrixSet>LAMB93</TileMatrixSet><InfoFormat>application/vnd.ogc.gml</InfoFormat></GDAL_WMTS>`;
    const out = await gdal(['gdallocationinfo', '-xml', '-b', '1', '-wgs84', conn, String(poi[0]), String(poi[1])], dir);
    assert.ok(out.includes(`<name>${POI_NAME}</name>`), out.slice(0, 600));
  });

  it('capabilities: WMS layers queryable where they draw vector data, GetFeatureInfo offered; WMTS FeatureInfo templates', async () => {
    const caps = parseXml((await request(`${url}/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0`)).text());
    const queryable = Object.fromEntries(caps.filter((e) => e.path === 'WMS_Capabilities/Capability/Layer/Layer').map((e, k, all) => [caps[caps.indexOf(all[k]) + 1].text, e.attributes.queryable]));
    assert.deepEqual([queryable.bright, queryable['osm-bright'], queryable.plain], ['1', '1', '0']);
    assert.ok(caps.some((e) => e.path === 'WMS_Capabilities/Capability/Request/GetFeatureInfo/Format' && e.text === 'application/vnd.ogc.gml'));
    const wmts = parseXml((await request(`${url}/wmts/1.0.0/WMTSCapabilities.xml`)).text());
    const templates = wmts.filter((e) => e.name === 'ResourceURL' && e.attributes.resourceType === 'FeatureInfo').map((e) => e.attributes.template);
    assert.ok(templates.includes(`${url}/wmts/1.0.0/bright/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}/{J}/{I}.json`), templates.slice(0, 3).join('\n'));
    assert.ok(!templates.some((t) => t.includes('/plain/')));
  });

  const base = (over: Record<string, string>, version: '1.3.0' | '1.1.1' = '1.3.0') => withParams(`${mercatorClick(poi, version)}&INFO_FORMAT=text/plain`, over);
  const bad: Array<[string, () => Promise<{ status: number; text(): string }>, string, string]> = [
    ['WMS query layer not drawing vector data', () => wms(base({ LAYERS: 'plain', QUERY_LAYERS: 'plain' })), 'ServiceExceptionReport', 'LayerNotQueryable'],
    ['WMS query layer not among LAYERS', () => wms(base({ QUERY_LAYERS: 'osm-bright' })), 'ServiceExceptionReport', 'LayerNotDefined'],
    ['WMS unknown query layer', () => wms(base({ QUERY_LAYERS: 'nope' })), 'ServiceExceptionReport', 'LayerNotDefined'],
    ['WMS unsupported INFO_FORMAT', () => wms(base({ INFO_FORMAT: 'image/png' })), 'ServiceExceptionReport', 'InvalidFormat'],
    ['WMS 1.3.0 I outside the image', () => wms(base({ I: '128' })), 'ServiceExceptionReport', 'InvalidPoint'],
    ['WMS 1.1.1 Y outside the image', () => wms(base({ Y: '-3' }, '1.1.1')), 'ServiceExceptionReport', 'InvalidPoint'],
    ['WMTS RESTful J outside the tile', () => request(`${url}/wmts/1.0.0/bright/default/GoogleMapsCompatible/14/5711/8525/256/0.json`), 'ExceptionReport', 'PointIJOutOfRange'],
    ['WMTS KVP unsupported INFOFORMAT', () => request(`${url}/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&LAYER=bright&STYLE=default&TILEMATRIXSET=LAMB93&TILEMATRIX=5&TILEROW=0&TILECOL=0&I=1&J=1&INFOFORMAT=image/png`), 'ExceptionReport', 'InvalidParameterValue'],
    ['WMTS KVP tile out of range', () => request(`${url}/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&LAYER=bright&STYLE=default&TILEMATRIXSET=LAMB93&TILEMATRIX=0&TILEROW=9&TILECOL=0&I=1&J=1&INFOFORMAT=text/plain`), 'ExceptionReport', 'TileOutOfRange'],
  ];
  for (const [what, send, root, code] of bad) {
    it(`${what}: HTTP 400 with an OGC ${root} (${code})`, async () => {
      const r = await send();
      assert.equal(r.status, 400, r.text().slice(0, 300));
      assert.deepEqual(exceptionOf(r.text()), [root, code]);
    });
  }
});
