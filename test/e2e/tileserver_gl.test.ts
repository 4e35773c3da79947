/**
 * A tileserver-gl deployment moved over unchanged: the example config.json of its
 * documentation (docs/config.rst), adapted to the shared extracts, in its folder
 * layout (data/, styles/, sprites/), served by `tuilerie serve --config`, and
 * asked tileserver-gl's URL forms (docs/endpoints.rst).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { lonLatToMercator, lonLatToTile, tileBounds } from '../../src/core/tile_math.js';
import { importOsm } from '../helpers/import_fixture.js';
import { runCli, waitFor, type Running } from '../helpers/cli_process.js';
import { FIXTURES_DIR, UPSTREAM_STYLES_DIR, osmFile, tempDir } from '../helpers/paths.js';
import { TILESERVER_GL_DOC_EXAMPLE } from '../helpers/tileserver_gl_example.js';
import { request, type RawResponse } from '../unit/server/http_client.js';
import { distinctColours } from '../unit/render/renderer_contract.js';

const MULHOUSE: [number, number] = [7.3355, 47.7485];

/** docs/config.rst's example, with Mulhouse for Zurich and the upstream OpenMapTiles styles for its own. */
function tileserverConfig(): Record<string, unknown> {
  return {
    ...TILESERVER_GL_DOC_EXAMPLE,
    styles: {
      basic: { style: 'basic.json', tilejson: { type: 'overlay', bounds: [7.2, 47.7, 7.4, 47.8] } },
      bright: { style: 'bright.json' },
      hybrid: { style: 'hybrid.json', serve_rendered: false, tilejson: { format: 'webp' } },
      remote: { style: 'https://demotiles.maplibre.org/style.json' },
    },
    data: {
      'mulhouse-vector': { mbtiles: 'mulhouse.mbtiles' },
      toner: { pmtiles: 'toner.pmtiles' },
    },
  };
}

/** An upstream style written the tileserver-gl way: archive URL, relative sprite, local glyphs. */
function tileserverStyle(upstream: string, sourceUrl: string, sprite: string): Record<string, unknown> {
  const style = JSON.parse(fs.readFileSync(path.join(UPSTREAM_STYLES_DIR, upstream, 'style.json'), 'utf8')) as Record<string, unknown> & { sources: Record<string, { url?: string }> };
  style.sources.openmaptiles.url = sourceUrl;
  style.sprite = sprite;
  style.glyphs = '{fontstack}/{range}.pbf';
  return style;
}

function layout(dir: string): string {
  for (const d of ['data', 'styles', 'sprites']) fs.mkdirSync(path.join(dir, d));
  fs.copyFileSync(path.join(FIXTURES_DIR, 'pmtiles', 'stamen_toner_z3.pmtiles'), path.join(dir, 'data', 'toner.pmtiles'));
  const write = (name: string, v: unknown) => fs.writeFileSync(path.join(dir, 'styles', name), JSON.stringify(v));
  // the three ways its styles name data and sprites: {id}, the file name, {style}
  write('basic.json', tileserverStyle('maptiler-basic', 'mbtiles://{mulhouse-vector}', 'basic'));
  write('bright.json', tileserverStyle('osm-bright', 'mbtiles://mulhouse.mbtiles', '{style}'));
  write('hybrid.json', tileserverStyle('positron', 'mbtiles://{mulhouse-vector}', 'hybrid'));
  for (const [name, upstream] of [['basic', 'maptiler-basic'], ['bright', 'osm-bright'], ['hybrid', 'positron']]) {
    for (const f of ['', '@2x']) for (const ext of ['json', 'png']) fs.copyFileSync(path.join(UPSTREAM_STYLES_DIR, upstream, `sprite${f}.${ext}`), path.join(dir, 'sprites', `${name}${f}.${ext}`));
  }
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify(tileserverConfig(), null, 2));
  return config;
}

function serve(config: string): Running {
  return runCli(['serve', '--config', config, '--workers', '1', '--port', '0', '--host', '127.0.0.1', '--no-watch']);
}

async function image(r: RawResponse, type: string): Promise<{ width?: number; height?: number; format?: string }> {
  assert.equal(r.status, 200, r.text().slice(0, 300));
  assert.equal(r.headers['content-type'], type);
  return sharp(r.body).metadata();
}

/** Pixels (of raw RGBA images of one size) that differ. */
async function differing(a: Buffer, b: Buffer): Promise<{ count: number; rows: number[] }> {
  const [x, y] = await Promise.all([a, b].map((i) => sharp(i).ensureAlpha().raw().toBuffer({ resolveWithObject: true })));
  const rows: number[] = [];
  let count = 0;
  for (let i = 0; i < x.data.length; i += 4) {
    if (Math.abs(x.data[i] - y.data[i]) + Math.abs(x.data[i + 1] - y.data[i + 1]) + Math.abs(x.data[i + 2] - y.data[i + 2]) > 30) {
      count++;
      rows.push(Math.floor(i / 4 / x.info.width));
    }
  }
  return { count, rows };
}

describe('a tileserver-gl config.json from its documentation serves its URLs @slow', function () {
  this.timeout(900_000);
  let dir: string;
  let running: Running;
  let url: string;
  const get = (p: string) => request(url + p);
  const t14 = lonLatToTile(MULHOUSE[0], MULHOUSE[1], 14);

  before(async () => {
    dir = tempDir('tuilerie-tileserver-gl-');
    const config = layout(dir);
    await importOsm(osmFile('mulhouse.osm.pbf'), path.join(dir, 'data', 'mulhouse.mbtiles'));
    running = serve(config);
    url = (await waitFor(running, /listening on (http:\/\/[^\s]+)/))[1];
    await waitFor(running, /\] ready\b/);
  });
  after(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exit;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts with one warning per option that does not apply, and none for what maps', () => {
    const log = running.stderr();
    for (const key of ['options.paths.fonts', 'options.paths.icons', 'options.paths.files', 'options.domains', 'options.pbfAlias', 'options.tileMargin', 'styles.basic.tilejson', 'styles.remote']) {
      assert.equal(log.split(`tileserver-gl config: ${key}:`).length - 1, 1, `${key}:\n${log}`);
    }
    assert.doesNotMatch(log, /options\.(maxSize|serveStaticMaps|paths\.(sprites|styles|mbtiles)):/);
  });

  it('data: TileJSON and vector tiles of an mbtiles entry, raster tiles of a pmtiles entry', async () => {
    const tj = (await get('/data/mulhouse-vector.json')).json() as { tiles: string[]; vector_layers: { id: string }[] };
    assert.deepEqual(tj.tiles, [`${url}/data/mulhouse-vector/{z}/{x}/{y}.pbf`]);
    assert.ok(tj.vector_layers.some((l) => l.id === 'transportation'));
    const tile = await get(`/data/mulhouse-vector/14/${t14.x}/${t14.y}.pbf`);
    assert.equal(tile.status, 200);
    assert.equal(tile.headers['content-type'], 'application/x-protobuf');
    const layers = Object.keys(new VectorTile(new PbfReader(tile.body)).layers);
    assert.ok(layers.includes('building') && layers.includes('transportation'), layers.join(','));
    // its inspection form: every feature with its layer, every point inside the tile and its buffer
    const gj = await get(`/data/mulhouse-vector/14/${t14.x}/${t14.y}.geojson`);
    assert.equal(gj.status, 200);
    assert.equal(gj.headers['content-type'], 'application/geo+json');
    const fc = gj.json() as { type: string; features: { properties: { layer: string }; geometry: { coordinates: unknown } }[] };
    assert.equal(fc.type, 'FeatureCollection');
    assert.deepEqual([...new Set(fc.features.map((f) => f.properties.layer))].sort(), [...layers].sort());
    const [w, s, e, n] = tileBounds(14, t14.x, t14.y);
    const pad = (e - w) * 1.01; // place labels carry a buffer of a whole tile (256 px)
    const points = fc.features.flatMap((f) => [f.geometry.coordinates].flat(4) as number[]);
    for (let i = 0; i < points.length; i += 2) {
      assert.ok(points[i] >= w - pad && points[i] <= e + pad && points[i + 1] >= s - pad && points[i + 1] <= n + pad, `${points[i]},${points[i + 1]} outside tile`);
    }
    const toner = (await get('/data/toner.json')).json() as { tiles: string[]; format: string };
    assert.equal(toner.format, 'png');
    assert.equal((await image(await get('/data/toner/2/2/1.png'), 'image/png')).format, 'png');
  });

  it('styles: style.json with its data (by id or by file), sprite from its sprites path and glyphs pointed here', async () => {
    const list = (await get("/styles.json")).json() as { id: string }[];
    assert.deepEqual(list.map((s) => s.id).sort(), ['basic', 'bright', 'hybrid']);
    for (const id of ['basic', 'bright', 'hybrid']) {
      const r = await get(`/styles/${id}/style.json`);
      assert.equal(r.status, 200);
      const style = r.json() as { sources: Record<string, { url: string }>; sprite: string; glyphs: string };
      assert.equal(style.sources.openmaptiles.url, `${url}/data/mulhouse-vector.json`, id);
      assert.equal(style.sprite, `${url}/styles/${id}/sprite`);
      assert.equal(style.glyphs, `${url}/fonts/{fontstack}/{range}.pbf`);
    }
    const sprite = await get('/styles/bright/sprite.json');
    assert.deepEqual(sprite.json(), JSON.parse(fs.readFileSync(path.join(dir, 'sprites', 'bright.json'), 'utf8')));
    const sprite2x = await get('/styles/basic/sprite@2x.png');
    assert.ok(sprite2x.body.equals(fs.readFileSync(path.join(dir, 'sprites', 'basic@2x.png'))));
    const glyphs = await get('/fonts/Open%20Sans%20Regular/0-255.pbf');
    assert.equal(glyphs.status, 200);
    assert.equal(glyphs.headers['content-type'], 'application/x-protobuf');
  });

  it('rendered TileJSON at /styles/{id}.json and /styles/512/{id}.json; /rendered.json and /index.json list the rendered styles', async () => {
    const tj = (await get('/styles/basic.json')).json() as { tiles: string[]; tileSize: number };
    assert.deepEqual([tj.tiles, tj.tileSize], [[`${url}/styles/basic/{z}/{x}/{y}.png`], 256]);
    const tj512 = (await get('/styles/512/basic.json')).json() as { tiles: string[]; tileSize: number };
    assert.deepEqual([tj512.tiles, tj512.tileSize], [[`${url}/styles/basic/512/{z}/{x}/{y}.png`], 512]);
    const rendered = (await get('/rendered.json')).json() as { id: string }[];
    assert.deepEqual(rendered.map((r) => r.id).sort(), ['basic', 'bright']);
    const rendered512 = (await get('/512/rendered.json')).json() as { tileSize: number }[];
    assert.ok(rendered512.length === 2 && rendered512.every((r) => r.tileSize === 512));
    const index = (await get('/index.json')).json() as { id: string }[];
    assert.deepEqual(index.map((r) => r.id).sort(), ['basic', 'bright', 'mulhouse-vector', 'toner']);
  });

  it('rendered tiles: 256 px, @2x, /512/, and jpg and webp', async () => {
    const at = `14/${t14.x}/${t14.y}`;
    const png = await get(`/styles/basic/${at}.png`);
    assert.deepEqual([(await image(png, 'image/png')).width, (await sharp(png.body).metadata()).height], [256, 256]);
    assert.ok((await distinctColours(png.body)) > 20, 'a map, not a background');
    assert.equal((await image(await get(`/styles/bright/${at}@2x.png`), 'image/png')).width, 512);
    assert.equal((await image(await get(`/styles/basic/512/${at}.png`), 'image/png')).width, 512);
    assert.equal((await image(await get(`/styles/basic/${at}.jpg`), 'image/jpeg')).format, 'jpeg');
    assert.equal((await image(await get(`/styles/basic/${at}.webp`), 'image/webp')).format, 'webp');
  });

  it('serve_rendered false: the style document is served, its images and WMTS are not', async () => {
    assert.equal((await get(`/styles/hybrid/14/${t14.x}/${t14.y}.png`)).status, 404);
    assert.equal((await get('/styles/hybrid.json')).status, 404);
    assert.equal((await get('/styles/hybrid/wmts.xml')).status, 404);
    assert.equal((await get('/styles/hybrid/static/7.33,47.75,14/64x64.png')).status, 404);
  });

  it('static maps: centre, @2x, bounding box, auto with its path and marker syntax, raw EPSG:3857', async () => {
    const [lon, lat] = MULHOUSE;
    const centre = await image(await get(`/styles/basic/static/${lon},${lat},14/300x200.png`), 'image/png');
    assert.deepEqual([centre.width, centre.height], [300, 200]);
    const retina = await image(await get(`/styles/basic/static/${lon},${lat},14@30,20/300x200@2x.png`), 'image/png');
    assert.deepEqual([retina.width, retina.height], [600, 400]);
    const bbox = await image(await get(`/styles/basic/static/${lon - 0.01},${lat - 0.005},${lon + 0.01},${lat + 0.005}/300x200.jpg`), 'image/jpeg');
    assert.deepEqual([bbox.width, bbox.height], [300, 200]);
    const auto = await get(`/styles/bright/static/auto/300x200.png?path=${encodeURIComponent(`${lat},${lon}|${lat + 0.004},${lon + 0.006}`)}&latlng=1&stroke=red&width=5&padding=0.1&maxzoom=15`);
    assert.deepEqual([(await image(auto, 'image/png')).width], [300]);
    const [x, y] = lonLatToMercator(lon, lat);
    const raw = await get(`/styles/bright/static/raw/${x},${y},15/128x128.png`);
    const plain = await get(`/styles/bright/static/${lon},${lat},15/128x128.png`);
    await image(raw, 'image/png');
    assert.equal((await differing(raw.body, plain.body)).count, 0, 'raw EPSG:3857 and lon,lat views differ');
  });

  it("static maps: tileserver-gl's global stroke and border draw the path, its marker icon file draws the sprite image above the point", async () => {
    const [lon, lat] = MULHOUSE;
    const view = `/styles/bright/static/${lon},${lat},16/200x200.png`;
    const bare = (await get(view)).body;
    const stroked = await get(`${view}?path=${encodeURIComponent(`${lon - 0.002},${lat}|${lon + 0.002},${lat}`)}&stroke=ff0000&width=6`);
    const d = await differing(bare, (await image(stroked, 'image/png'), stroked.body));
    assert.ok(d.count > 300, `path changed ${d.count} pixels`);
    const bordered = await get(`${view}?path=${encodeURIComponent(`${lon - 0.002},${lat}|${lon + 0.002},${lat}`)}&stroke=ff0000&width=6&border=0000ff&borderwidth=4&linecap=butt`);
    const b = await differing(bare, (await image(bordered, 'image/png'), bordered.body));
    assert.ok(b.count > d.count * 1.5, `border: ${b.count} pixels changed, ${d.count} without`);
    const marked = await get(`${view}?marker=${encodeURIComponent(`${lon},${lat}|icons/marker_11.png|scale:2`)}`);
    const m = await differing(bare, (await image(marked, 'image/png'), marked.body));
    assert.ok(m.count > 50, `marker changed ${m.count} pixels`);
    // anchored at its bottom centre: drawn above the point (row 100)
    assert.ok(m.rows.every((r) => r <= 101 && r >= 100 - 2 * 11 * 2 - 4), `marker rows ${Math.min(...m.rows)}–${Math.max(...m.rows)}`);
    assert.equal((await get(`${view}?marker=${encodeURIComponent(`${lon},${lat}|https://example.com/pin.png`)}`)).status, 400);
  });

  it('static maps: the parameters POSTed as JSON draw what the same query draws', async () => {
    const [lon, lat] = MULHOUSE;
    const path1 = `${lat},${lon}|${lat + 0.003},${lon + 0.004}`;
    const path2 = `${lat + 0.003},${lon}|${lat},${lon + 0.004}`;
    const viaQuery = await get(`/styles/bright/static/auto/200x150.png?path=${encodeURIComponent(path1)}&path=${encodeURIComponent(path2)}&latlng=1&stroke=red&width=4&padding=0.1`);
    const posted = await fetch(`${url}/styles/bright/static/auto/200x150.png`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: [path1, path2], latlng: true, stroke: 'red', width: 4, padding: 0.1 }),
    });
    assert.equal(posted.status, 200, await posted.clone().text());
    assert.equal(posted.headers.get('content-type'), 'image/png');
    const body = Buffer.from(await posted.arrayBuffer());
    await image(viaQuery, 'image/png');
    assert.equal((await differing(viaQuery.body, body)).count, 0);
    const bad = await fetch(`${url}/styles/bright/static/auto/200x150.png`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1]' });
    assert.equal(bad.status, 400);
  });

  it('wmts.xml: WMTS capabilities of one style in Web Mercator', async () => {
    const r = await get('/styles/basic/wmts.xml');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^application\/xml/);
    const xml = r.text();
    assert.match(xml, /<Capabilities[^>]*version="1\.0\.0"/);
    assert.deepEqual([...xml.matchAll(/<Layer>\s*<ows:Title>[^<]*<\/ows:Title>[^]*?<ows:Identifier>([^<]+)<\/ows:Identifier>/g)].map((m) => m[1]), ['basic']);
    assert.match(xml, /GoogleMapsCompatible/);
    assert.doesNotMatch(xml, /LAMB93/);
  });
});
