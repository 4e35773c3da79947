/**
 * WMTS and WMS over our own Mulhouse import, checked by a GIS client nobody
 * here wrote (GDAL from Debian) and by a reprojection accuracy test on a real
 * street corner. One server and one browser for the whole file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Logger } from '../../src/core/logger.js';
import { lonLatToMercator, lonLatToTile } from '../../src/core/tile_math.js';
import { openOsmFile } from '../../src/osm/open_osm_file.js';
import { findTileMatrixSet, tileAt } from '../../src/ogc/tile_matrix_sets.js';
import type { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { REPO_ROOT, UPSTREAM_STYLES_DIR, osmFile, tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { parseXml } from '../unit/ogc/xml_well_formed.js';
import { gdal, importMulhouse, startOgcServer } from './ogc_fixtures.js';

const CORNER_STREETS = ["Rue de l'Arc", 'Rue Franklin'];
const OUR_STYLES = ['bright', 'light', 'dark', 'nolabels', 'labels', 'print'];
/** The layer names of the region's current WMS, which partners' projects refer to. */
const PARTNER_LAYERS = ['osm-default', 'bright', 'grey', 'faded', 'pure', 'overlay'];

/** The node two named streets share, read from the OSM extract with our reader. */
async function streetCorner(a: string, b: string): Promise<{ id: number; lon: number; lat: number }> {
  const reader = await openOsmFile(osmFile('mulhouse.osm.pbf'));
  const onA = new Set<number>(), onB = new Set<number>();
  const coords = new Map<number, [number, number]>();
  for await (const block of reader.blocks({ threads: 1 })) {
    for (let i = 0; i < block.nodeIds.length; i++) coords.set(block.nodeIds[i], [block.nodeLons[i], block.nodeLats[i]]);
    for (const w of block.ways) {
      if (!w.tags.highway) continue;
      if (w.tags.name === a) for (const r of w.refs) onA.add(r);
      if (w.tags.name === b) for (const r of w.refs) onB.add(r);
    }
  }
  const shared = [...onA].filter((id) => onB.has(id));
  assert.equal(shared.length, 1, `${a} and ${b} meet at one node (found ${shared.length})`);
  const [lon, lat] = coords.get(shared[0])!;
  return { id: shared[0], lon, lat };
}

/** A style that makes one point identifiable: roads in black on white, a red ring centred on the point. */
function cornerStyle(lon: number, lat: number): Record<string, unknown> {
  return {
    version: 8,
    name: 'corner test',
    sources: {
      openmaptiles: { type: 'vector', url: 'mbtiles://mulhouse' },
      corner: { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [lon, lat] } } },
    },
    layers: [
      { id: 'bg', type: 'background', paint: { 'background-color': '#ffffff' } },
      { id: 'roads', type: 'line', source: 'openmaptiles', 'source-layer': 'transportation', paint: { 'line-color': '#000000', 'line-width': 3 } },
      { id: 'ring', type: 'circle', source: 'corner', paint: { 'circle-radius': 7, 'circle-opacity': 0, 'circle-stroke-color': '#ff0000', 'circle-stroke-width': 2 } },
    ],
  };
}

/** PROJ's (GDAL's) Lambert-93 coordinates of a lon/lat: independent of our proj4 definitions. */
function lambert93(lon: number, lat: number): [number, number] {
  const out = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', 'EPSG:2154', '-output_xy'], { input: `${lon} ${lat}\n` }).toString();
  const [x, y] = out.trim().split(/\s+/).map(Number);
  return [x, y];
}

async function rgba(body: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Centre of the red ring of the corner style, pixel units (pixel centres at i + 0.5). */
function ringCentre(img: { data: Buffer; width: number; height: number }): [number, number] {
  let sx = 0, sy = 0, sw = 0;
  for (let j = 0; j < img.height; j++) {
    for (let i = 0; i < img.width; i++) {
      const o = (j * img.width + i) * 4;
      const red = Math.max(0, img.data[o] - Math.max(img.data[o + 1], img.data[o + 2]));
      sx += red * (i + 0.5); sy += red * (j + 0.5); sw += red;
    }
  }
  assert.ok(sw > 0, 'the red ring is drawn');
  return [sx / sw, sy / sw];
}

function exceptionOf(body: string): { root: string; code: string | undefined; locator: string | undefined } {
  const els = parseXml(body);
  const ex = els.find((e) => e.name === 'Exception' || e.name === 'ServiceException');
  return { root: els[0].name, code: ex?.attributes.exceptionCode ?? ex?.attributes.code, locator: ex?.attributes.locator };
}

async function bandStats(tif: string): Promise<{ srs: string; bands: number; stddev: number[]; origin: number[]; pixel: number[] }> {
  const info = JSON.parse(await gdal(['gdalinfo', '-json', '-stats', tif], path.dirname(tif))) as { coordinateSystem?: { wkt: string }; bands: { stdDev?: number }[]; geoTransform: number[] };
  const wkt = info.coordinateSystem?.wkt ?? '';
  const id = /ID\["EPSG",(\d+)\]\]\s*$/.exec(wkt)?.[1];
  return { srs: `EPSG:${id}`, bands: info.bands.length, stddev: info.bands.map((b) => b.stdDev ?? 0), origin: [info.geoTransform[0], info.geoTransform[3]], pixel: [info.geoTransform[1], info.geoTransform[5]] };
}

describe('WMTS and WMS over a Mulhouse import, read by GDAL @slow', function () {
  let dir: string;
  let server: TuilerieServer;
  let url: string;
  let corner: { id: number; lon: number; lat: number };
  const logged: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    debug() {}, info() {},
    warn: (msg: string, fields?: Record<string, unknown>) => logged.push({ level: 'warn', msg, fields }),
    error: (msg: string, fields?: Record<string, unknown>) => logged.push({ level: 'error', msg, fields }),
    child: () => logger,
  };

  before(async () => {
    dir = tempDir('tuilerie-ogc-e2e-');
    const mbtiles = importMulhouse(dir);
    corner = await streetCorner(CORNER_STREETS[0], CORNER_STREETS[1]);
    const cornerFile = path.join(dir, 'corner.json');
    fs.writeFileSync(cornerFile, JSON.stringify(cornerStyle(corner.lon, corner.lat)));
    ({ server, url } = await startOgcServer(dir, {
      mbtiles,
      logger,
      styles: {
        // our styles, whose metadata gives the partners' historical layer names as aliases
        ...Object.fromEntries(OUR_STYLES.map((id) => [id, path.join(REPO_ROOT, 'styles', `${id}.json`)])),
        positron: path.join(UPSTREAM_STYLES_DIR, 'positron', 'style.json'),
        corner: cornerFile,
      },
    }));
  });
  after(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const caps = () => `${url}/wmts/1.0.0/WMTSCapabilities.xml`;

  it('gdalinfo lists every style of the WMTS capabilities once per tile matrix set, and no alias', async () => {
    const out = await gdal(['gdalinfo', `WMTS:${caps()}`], dir);
    const styles = [...OUR_STYLES, 'positron', 'corner'];
    for (const layer of styles) {
      assert.ok(out.includes(`layer=${layer},tilematrixset=LAMB93`), `layer ${layer} with LAMB93 in:\n${out.slice(0, 400)}`);
    }
    const subdatasets = out.split('\n').filter((l) => /SUBDATASET_\d+_NAME=/.test(l));
    assert.equal(subdatasets.length, styles.length * 3, subdatasets.join('\n'));
    for (const alias of PARTNER_LAYERS.filter((l) => !OUR_STYLES.includes(l))) assert.ok(!out.includes(`layer=${alias},`), `alias ${alias} listed`);
  });

  it('an alias still answers WMTS tiles although the capabilities do not list it', async () => {
    const t = lonLatToTile(corner.lon, corner.lat, 14);
    const r = await request(`${url}/wmts/1.0.0/osm-default/default/GoogleMapsCompatible/14/${t.y}/${t.x}.png`);
    assert.equal(r.status, 200, r.text().slice(0, 300));
  });

  it('gdal_translate -projwin on LAMB93 without -outsize fetches the deepest published level (0.4 m/px), not a 0.05 m/px giant', async () => {
    const [x, y] = lambert93(corner.lon, corner.lat);
    const tif = path.join(dir, 'wmts-projwin.tif');
    await gdal(['gdal_translate', '-q', '-projwin', String(x - 100), String(y + 100), String(x + 100), String(y - 100), `WMTS:${caps()},layer=bright,tilematrixset=LAMB93`, tif], dir);
    const info = JSON.parse(await gdal(['gdalinfo', '-json', tif], dir)) as { size: number[]; geoTransform: number[] };
    assert.ok(Math.abs(info.geoTransform[1] - 0.3987432149) < 1e-6, `pixel ${info.geoTransform[1]} m`);
    assert.ok(info.size[0] <= 510 && info.size[1] <= 510, `size ${info.size}`);
    const s = await bandStats(tif);
    assert.ok(s.stddev[0] > 5, `a map, not a flat image (stddev ${s.stddev[0]})`);
  });

  it('WMS capabilities: the service description, attributions, LegendURLs, and the labels overlay not opaque', async () => {
    const els = parseXml((await request(`${url}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities`)).text());
    const layers = els.filter((e) => e.name === 'Layer' && e.path.endsWith('Layer/Layer'));
    const names = els.filter((e) => e.path.endsWith('Layer/Layer/Name')).map((e) => e.text);
    assert.deepEqual([...names].sort(), [...OUR_STYLES, 'positron', 'corner'].sort());
    assert.equal(layers[names.indexOf('labels')].attributes.opaque, '0');
    assert.equal(layers[names.indexOf('bright')].attributes.opaque, '1');
    assert.match(els.find((e) => e.path.endsWith('Service/AccessConstraints'))?.text ?? '', /OpenStreetMap contributors/);
    assert.ok(els.some((e) => e.path.endsWith('Service/Fees')) && els.some((e) => e.path.endsWith('Service/Abstract')));
    const attributions = els.filter((e) => e.path.endsWith('Layer/Layer/Attribution/Title'));
    assert.equal(attributions.length, names.length);
    assert.ok(attributions.every((a) => /OpenStreetMap/.test(a.text ?? '')), attributions.map((a) => a.text).join());
    const legends = els.filter((e) => e.path.endsWith('LegendURL/OnlineResource')).map((e) => e.attributes['xlink:href']);
    assert.equal(legends.length, names.length);
    const png = await request(legends[names.indexOf('bright')]);
    assert.equal(png.status, 200, png.text().slice(0, 300));
    assert.equal(png.headers['content-type'], 'image/png');
    const meta = await sharp(png.body).metadata();
    const advertised = els.filter((e) => e.name === 'LegendURL')[names.indexOf('bright')].attributes;
    assert.deepEqual([meta.width, meta.height], [Number(advertised.width), Number(advertised.height)]);
  });

  it('GetLegendGraphic answers for an alias too, and an unsupported request is logged without a stack', async () => {
    const r = await request(`${url}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&LAYER=overlay&FORMAT=image/png`);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    logged.length = 0;
    assert.equal((await request(`${url}/wms?SERVICE=WMS&REQUEST=DescribeLayer&LAYERS=bright`)).status, 501);
    assert.ok(logged.length <= 1 && logged.every((l) => l.level !== 'error' && !JSON.stringify(l).includes('    at ')), JSON.stringify(logged));
  });

  it("GDAL's MVT driver reads the vector tiles with the layers of /data/{id}/metadata.json (MBTiles metadata)", async () => {
    const meta = JSON.parse((await request(`${url}/data/mulhouse/metadata.json`)).text()) as Record<string, string>;
    assert.deepEqual([meta.format, meta.maxzoom], ['pbf', '14']);
    const layers = (JSON.parse(meta.json) as { vector_layers: { id: string }[] }).vector_layers.map((l) => l.id);
    assert.ok(layers.includes('transportation') && layers.includes('housenumber'), layers.join());
    const out = await gdal(['ogrinfo', '-ro', '-so', `MVT:${url}/data/mulhouse/14`], dir);
    const listed = [...out.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(listed.sort(), [...layers].sort(), out.slice(0, 600));
  });

  it("tileserver-gl's paths: /styles/{id}/wmts.xml (read by GDAL), /rendered.json and static/raw (EPSG:3857)", async () => {
    const out = await gdal(['gdalinfo', `WMTS:${url}/styles/bright/wmts.xml`], dir);
    assert.match(out, /Driver: WMTS/);
    assert.ok(!/SUBDATASET_/.test(out), 'one layer, one tile matrix set: no sub-datasets');
    const rendered = JSON.parse((await request(`${url}/rendered.json`)).text()) as { id: string; tiles: string[] }[];
    assert.deepEqual(rendered.map((r) => r.id).sort(), [...OUR_STYLES, 'positron', 'corner'].sort());
    assert.ok(rendered.every((r) => r.tiles[0] === `${url}/styles/${r.id}/{z}/{x}/{y}.png`));
    const [mx, my] = lonLatToMercator(corner.lon, corner.lat);
    const raw = await request(`${url}/styles/corner/static/raw/${mx},${my},16/64x64.png`);
    const lonlat = await request(`${url}/styles/corner/static/${corner.lon},${corner.lat},16/64x64.png`);
    assert.equal(raw.status, 200, raw.text().slice(0, 300));
    assert.deepEqual((await rgba(raw.body)).data, (await rgba(lonlat.body)).data);
  });

  it('gdal_translate fetches a GoogleMapsCompatible WMTS layer into a Web Mercator GeoTIFF', async () => {
    const tif = path.join(dir, 'wmts-3857.tif');
    await gdal(['gdal_translate', '-q', '-outsize', '128', '128', `WMTS:${caps()},layer=bright,tilematrixset=GoogleMapsCompatible`, tif], dir);
    const s = await bandStats(tif);
    assert.equal(s.srs, 'EPSG:3857');
    assert.ok(s.stddev[0] > 5, `a map, not a flat image (stddev ${s.stddev[0]})`);
  });

  it('gdal_translate fetches the LAMB93 WMTS layer into a Lambert-93 GeoTIFF', async () => {
    const tif = path.join(dir, 'wmts-2154.tif');
    await gdal(['gdal_translate', '-q', '-outsize', '128', '128', `WMTS:${caps()},layer=light,tilematrixset=LAMB93`, tif], dir);
    const s = await bandStats(tif);
    assert.equal(s.srs, 'EPSG:2154');
    assert.ok(s.stddev[0] > 5, `a map, not a flat image (stddev ${s.stddev[0]})`);
  });

  it('gdal_translate fetches a WMS GetMap in EPSG:2154 at 1 m/px into a GeoTIFF', async () => {
    const [x, y] = lambert93(corner.lon, corner.lat);
    const x0 = Math.round(x) - 128, y1 = Math.round(y) + 128;
    const xml = path.join(dir, 'wms.xml');
    fs.writeFileSync(xml, `<GDAL_WMS><Service name="WMS"><Version>1.3.0</Version><ServerUrl>${url}/wms?</ServerUrl><CRS>EPSG:2154</CRS><ImageFormat>image/png</ImageFormat><Layers>osm-default</Layers></Service>
<DataWindow><UpperLeftX>${x0}</UpperLeftX><UpperLeftY>${y1}</UpperLeftY><LowerRightX>${x0 + 256}</LowerRightX><LowerRightY>${y1 - 256}</LowerRightY><SizeX>256</SizeX><SizeY>256</SizeY></DataWindow>
<BandsCount>3</BandsCount><BlockSizeX>256</BlockSizeX><BlockSizeY>256</BlockSizeY></GDAL_WMS>`);
    const tif = path.join(dir, 'wms-2154.tif');
    await gdal(['gdal_translate', '-q', xml, tif], dir);
    const s = await bandStats(tif);
    assert.deepEqual([s.srs, s.bands, s.origin, s.pixel], ['EPSG:2154', 3, [x0, y1], [1, -1]]);
    assert.ok(s.stddev[0] > 5, `a map, not a flat image (stddev ${s.stddev[0]})`);
  });

  it('gdalinfo lists the WMS layers from GetCapabilities, each style once', async () => {
    const out = await gdal(['gdalinfo', `WMS:${url}/wms`], dir);
    const styles = [...OUR_STYLES, 'positron', 'corner'];
    for (const layer of styles) assert.ok(out.includes(`LAYERS=${layer}&`), `layer ${layer} in:\n${out.slice(0, 400)}`);
    assert.equal(out.split('\n').filter((l) => /SUBDATASET_\d+_NAME=/.test(l)).length, styles.length);
  });

  it(`a street corner (${CORNER_STREETS.join(' × ')}) lands within 1 px of its Lambert-93 position in a 1 m/px WMS image`, async () => {
    const [x, y] = lambert93(corner.lon, corner.lat);
    // the corner off-centre, at a fractional pixel: nothing symmetric can hide an offset
    const x0 = Math.floor(x) - 37, y1 = Math.floor(y) + 51, w = 96, h = 96;
    const r = await request(`${url}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=corner&STYLES=&CRS=EPSG:2154&BBOX=${x0},${y1 - h},${x0 + w},${y1}&WIDTH=${w}&HEIGHT=${h}&FORMAT=image/png`);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    const img = await rgba(r.body);
    const [cx, cy] = ringCentre(img);
    const ex = x - x0, ey = y1 - y;
    const err = Math.hypot(cx - ex, cy - ey);
    assert.ok(err < 1, `ring centre at ${cx.toFixed(2)},${cy.toFixed(2)}; Lambert-93 says ${ex.toFixed(2)},${ey.toFixed(2)} (${err.toFixed(2)} px off)`);
    // and the streets of the data meet there too: road (black) pixels at the corner itself
    const o = (Math.floor(ey) * w + Math.floor(ex)) * 4;
    assert.ok(img.data[o] < 100 && img.data[o + 1] < 100, `road colour at the corner, got ${[...img.data.subarray(o, o + 3)]}`);
  });

  for (const crs of ['EPSG:3035', 'EPSG:4326']) {
    it(`GDAL's WMS 1.3.0 client and our server agree on the axis order of ${crs}: the corner lands where GDAL georeferences it`, async () => {
      const out = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', crs, '-output_xy'], { input: `${corner.lon} ${corner.lat}\n` }).toString();
      const [x, y] = out.trim().split(/\s+/).map(Number);
      // about 1 m per pixel, the corner off-centre
      const px = crs === 'EPSG:4326' ? 1 / (111_320 * Math.cos((corner.lat * Math.PI) / 180)) : 1;
      const py = crs === 'EPSG:4326' ? 1 / 111_132 : 1;
      const x0 = x - 41.3 * px, y1 = y + 47.6 * py, n = 96;
      // GDAL's own WMS client decides the axis order from the CRS: the BBOX of the connection string is in
      // the CRS's order (northing first for both), and GDAL swaps it into its east/north georeferencing
      const bbox = crs === 'EPSG:4326' ? [y - 0.01, x - 0.01, y + 0.01, x + 0.01] : [y - 1000, x - 1000, y + 1000, x + 1000];
      const conn = `WMS:${url}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=corner&CRS=${crs}&BBOX=${bbox.join(',')}&FORMAT=image/png`;
      const tif = path.join(dir, `wms-${crs.replace(':', '')}.tif`);
      await gdal(['gdal_translate', '-q', '-r', 'bilinear', '-projwin', String(x0), String(y1), String(x0 + n * px), String(y1 - n * py), '-outsize', String(n), String(n), conn, tif], dir);
      const [cx, cy] = ringCentre(await rgba(fs.readFileSync(tif)));
      const err = Math.hypot(cx - 41.3, cy - 47.6);
      // a swapped axis would be kilometres off; GDAL's resampling from the level it fetched costs a few hundredths
      assert.ok(err < 1, `ring centre at ${cx.toFixed(2)},${cy.toFixed(2)}, GDAL expects 41.30,47.60 (${err.toFixed(2)} px off)`);
    });
  }

  it('WMS 1.3.0 EPSG:4326 (lat,lon) and CRS:84 (lon,lat) give the same image', async () => {
    const q = 'SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=grey&STYLES=&WIDTH=128&HEIGHT=96&FORMAT=image/png';
    const a = await request(`${url}/wms?${q}&CRS=EPSG:4326&BBOX=47.750,7.330,47.753,7.336`);
    const b = await request(`${url}/wms?${q}&CRS=CRS:84&BBOX=7.330,47.750,7.336,47.753`);
    assert.equal(a.status, 200, a.text().slice(0, 300));
    assert.deepEqual((await rgba(a.body)).data, (await rgba(b.body)).data);
  });

  it('KVP and RESTful GetTile answer the same tile', async () => {
    const t = lonLatToTile(corner.lon, corner.lat, 15);
    const kvp = await request(`${url}/wmts?service=WMTS&request=GetTile&version=1.0.0&layer=bright&style=default&tilematrixset=GoogleMapsCompatible&tilematrix=15&tilerow=${t.y}&tilecol=${t.x}&format=image/jpeg`);
    const rest = await request(`${url}/wmts/1.0.0/bright/default/GoogleMapsCompatible/15/${t.y}/${t.x}.jpg`);
    assert.equal(kvp.status, 200, kvp.text().slice(0, 300));
    assert.equal(kvp.headers['content-type'], 'image/jpeg');
    assert.equal(kvp.headers.etag, rest.headers.etag);
  });

  it('a LAMB93 tile is 256 px WebP and answers 304 to its ETag', async () => {
    const [x, y] = lambert93(corner.lon, corner.lat);
    const t = tileAt(findTileMatrixSet('LAMB93')!.matrices[16], x, y);
    const tileUrl = `${url}/wmts/1.0.0/pure/default/LAMB93/16/${t.row}/${t.col}.webp`;
    const r = await request(tileUrl);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    const m = await sharp(r.body).metadata();
    assert.deepEqual([m.format, m.width, m.height], ['webp', 256, 256]);
    const again = await request(tileUrl, { headers: { 'if-none-match': String(r.headers.etag) } });
    assert.equal(again.status, 304);
  });

  const wms = (q: string) => request(`${url}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&WIDTH=64&HEIGHT=64&${q}`);
  const badRequests: [string, () => Promise<{ status: number; text(): string }>, string, string, number][] = [
    ['WMS unknown layer', () => wms('LAYERS=nope&CRS=EPSG:2154&BBOX=1024000,6747000,1024064,6747064'), 'ServiceExceptionReport', 'LayerNotDefined', 400],
    ['WMS unsupported CRS', () => wms('LAYERS=grey&CRS=EPSG:27572&BBOX=0,0,1,1'), 'ServiceExceptionReport', 'InvalidCRS', 400],
    ['WMS 1.1.1 unsupported SRS', () => request(`${url}/wms?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetMap&LAYERS=grey&STYLES=&SRS=EPSG:27572&BBOX=0,0,1,1&WIDTH=8&HEIGHT=8&FORMAT=image/png`), 'ServiceExceptionReport', 'InvalidSRS', 400],
    ['WMS inverted BBOX', () => wms('LAYERS=grey&CRS=EPSG:2154&BBOX=1024064,6747000,1024000,6747064'), 'ServiceExceptionReport', 'InvalidParameterValue', 400],
    ['WMS size past the limit', () => request(`${url}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=grey&STYLES=&CRS=EPSG:2154&BBOX=1024000,6747000,1024064,6747064&WIDTH=5000&HEIGHT=64&FORMAT=image/png`), 'ServiceExceptionReport', 'InvalidParameterValue', 400],
    ['WMS missing BBOX', () => wms('LAYERS=grey&CRS=EPSG:2154'), 'ServiceExceptionReport', 'MissingParameterValue', 400],
    ['WMS unknown request', () => request(`${url}/wms?SERVICE=WMS&REQUEST=DescribeLayer`), 'ServiceExceptionReport', 'OperationNotSupported', 501],
    ['WMS GetLegendGraphic without LAYER', () => request(`${url}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&FORMAT=image/png`), 'ServiceExceptionReport', 'MissingParameterValue', 400],
    ['WMS GetLegendGraphic of an unknown layer', () => request(`${url}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&LAYER=nope&FORMAT=image/png`), 'ServiceExceptionReport', 'LayerNotDefined', 400],
    ['WMTS unknown layer (KVP)', () => request(`${url}/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=nope&STYLE=default&TILEMATRIXSET=LAMB93&TILEMATRIX=5&TILEROW=0&TILECOL=0&FORMAT=image/png`), 'ExceptionReport', 'InvalidParameterValue', 400],
    ['WMTS tile out of range (RESTful)', () => request(`${url}/wmts/1.0.0/bright/default/LAMB93/0/5/0.png`), 'ExceptionReport', 'TileOutOfRange', 400],
    ['WMTS missing TILEMATRIX', () => request(`${url}/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=bright&STYLE=default&TILEMATRIXSET=LAMB93&TILEROW=0&TILECOL=0&FORMAT=image/png`), 'ExceptionReport', 'MissingParameterValue', 400],
    ['WMTS missing REQUEST', () => request(`${url}/wmts?SERVICE=WMTS`), 'ExceptionReport', 'MissingParameterValue', 400],
  ];
  for (const [what, send, root, code, status] of badRequests) {
    it(`${what}: HTTP ${status} with an OGC ${root} (${code})`, async () => {
      const r = await send();
      assert.equal(r.status, status, r.text().slice(0, 300));
      assert.deepEqual([exceptionOf(r.text()).root, exceptionOf(r.text()).code], [root, code]);
    });
  }
});
