/**
 * `npm run fuzz [-- --requests N --seed S --concurrency C]`: random paths,
 * parameters, methods and headers across every endpoint of a real server
 * (Mulhouse archive, osm-bright): no 5xx other than 503 (overload), no crash,
 * /health still answers at the end. Renders are bounded: valid raster, static,
 * WMS and plan requests mostly come from a small pool, so they hit the cache.
 * Reproducible: the same seed sends the same requests.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, MULHOUSE, SHARED, out, startServe, tilemakerArchive, tileAt, storedTiles, rss, mib } from './serve_harness.js';
import { seededRandom as rng } from '../src/core/seeded_random.js';


interface FuzzRequest { family: string; method: string; path: string; headers: Record<string, string>; body?: string }

function generator(seed: number, tiles: string[]) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chance = (p: number) => r() < p;
  const junk = () => {
    const n = Math.floor(r() * 24);
    let s = '';
    for (let i = 0; i < n; i++) s += pick(['a', 'Z', '0', '9', '-', '_', '.', '%', '%25', '%2F', '%00', '%C3%A9', '%FF', '..', ',', '@', ';', '~', '+', ' '.replace(' ', '%20'), '\u00e9', '{', '}', '|', '\\']);
    return s;
  };
  const id = () => pick(['mulhouse', 'bright', 'bright', 'mulhouse', 'nope', '..', '%2e%2e', '', junk(), 'a'.repeat(300), 'bright%00', 'osm-bright', '<x>']);
  const int = () => pick(['0', '1', '3', '10', '12', '14', '15', '22', '23', '-1', '2147483648', '1e3', '0x10', 'abc', '', '99999999999999999999', '1.5', String(Math.floor(r() * 20000))]);
  const num = () => pick([String((r() - 0.5) * 400), String(MULHOUSE[0] + (r() - 0.5) * 0.1), String(MULHOUSE[1] + (r() - 0.5) * 0.1), 'NaN', 'Infinity', '-0', '1e308', '', 'x']);
  const validTile = () => pick(tiles);
  const mulhouseRaster = () => {
    const z = pick([11, 12, 13, 14]);
    const t = tileAt(MULHOUSE[0], MULHOUSE[1], z);
    return `${z}/${t.x}/${t.y}`;
  };
  /** The same tiles as a WMTS address: {TileMatrix}/{TileRow}/{TileCol}, row (y) before column (x). */
  const mulhouseWmts = () => {
    const z = pick([11, 12, 13, 14]);
    const t = tileAt(MULHOUSE[0], MULHOUSE[1], z);
    return `${z}/${t.y}/${t.x}`;
  };
  const families: Array<[number, () => Omit<FuzzRequest, 'headers' | 'method'> & { method?: string }]> = [
    [20, () => ({ family: 'data tile', path: chance(0.5) ? `/data/mulhouse/${validTile()}.pbf` : `/data/${id()}/${int()}/${int()}/${int()}.${pick(['pbf', 'png', 'mvt', 'json', '', 'pbf.gz', junk()])}` })],
    [8, () => ({ family: 'tilejson', path: pick([`/data/${id()}.json`, `/styles/${id()}.json`, '/data.json', '/index.json', '/styles.json', '/fonts.json', `/data/${id()}.json?${junk()}=${junk()}`]) })],
    [8, () => ({ family: 'style', path: `/styles/${id()}/style.json${chance(0.5) ? `?lang=${pick(['de', 'fr', 'latin', junk()])}` : ''}` })],
    [8, () => ({ family: 'fonts', path: `/fonts/${pick(['Noto Sans Regular', 'Noto%20Sans%20Bold', 'Open Sans Bold,Arial Unicode MS Regular', junk(), ''])}/${pick([`${int()}-${int()}`, '0-255', '256-511', '65280-65535', junk()])}.pbf` })],
    [6, () => ({ family: 'sprites', path: `/styles/${id()}/sprite${pick(['', '@2x', '@3x', '@9x', junk()])}.${pick(['json', 'png', 'svg', junk()])}` })],
    [12, () => ({ family: 'raster tile', path: chance(0.6)
      ? `/styles/bright/${pick(['', '512/'])}${mulhouseRaster()}${pick(['', '@2x'])}.png`
      : chance(0.99) ? `/styles/${id()}/${pick(['', '256/', '512/', '128/'])}${int()}/${int()}/${int()}${pick(['', '@2x', '@3x', '@4x'])}.${pick(['png', 'jpg', 'jpeg', 'webp', 'gif', junk()])}`
        : `/styles/bright/${pick([3, 5, 7])}/${Math.floor(r() * 8)}/${Math.floor(r() * 8)}.png` })],
    [8, () => ({ family: 'static', path: chance(0.1)
      ? `/styles/bright/static/${pick(['7.334,47.752,13', '7.32,47.74,7.35,47.76', '7.334,47.752,14@30,20'])}/${pick(['300x200', '256x256'])}.png`
      : `/styles/${id()}/static/${pick([`${num()},${num()},${int()}`, `${num()},${num()},${num()},${num()}`, 'auto', junk(), `${num()},${num()},${int()}@${num()},${num()}`])}/${int()}x${int()}${pick(['', '@2x', '@5x'])}.${pick(['png', 'jpg', 'webp', 'bmp'])}${chance(0.5) ? `?${pick(['path', 'marker', 'padding', junk()])}=${junk()}` : ''}` })],
    [6, () => ({ family: 'wmts/wms', path: pick([
      '/wmts/1.0.0/WMTSCapabilities.xml', '/wmts?SERVICE=WMTS&REQUEST=GetCapabilities', `/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=${pick(['1.3.0', '1.1.1', junk()])}`,
      `/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=${id()}&TILEMATRIXSET=${pick(['GoogleMapsCompatible', 'WebMercatorQuad', junk()])}&TILEMATRIX=${int()}&TILEROW=${int()}&TILECOL=${int()}&FORMAT=${pick(['image/png', 'image/jpeg', junk()])}`,
      `/wms?SERVICE=WMS&REQUEST=GetMap&LAYERS=${id()}&CRS=${pick(['EPSG:3857', 'EPSG:4326', 'CRS:84', junk()])}&BBOX=${num()},${num()},${num()},${num()}&WIDTH=${int()}&HEIGHT=${int()}&FORMAT=image/png&VERSION=1.3.0`,
      `/wms?SERVICE=WMS&REQUEST=GetFeatureInfo&VERSION=${pick(['1.3.0', '1.1.1'])}&LAYERS=${id()}&QUERY_LAYERS=${id()}&STYLES=&${pick(['CRS', 'SRS'])}=${pick(['EPSG:3857', 'EPSG:2154', 'EPSG:4326', junk()])}&BBOX=${num()},${num()},${num()},${num()}&WIDTH=${int()}&HEIGHT=${int()}&${pick(['I', 'X'])}=${int()}&${pick(['J', 'Y'])}=${int()}&INFO_FORMAT=${pick(['text/plain', 'text/html', 'application/json', 'application/vnd.ogc.gml', junk()])}&FEATURE_COUNT=${int()}`,
      `/wms?SERVICE=WMS&REQUEST=GetFeatureInfo&VERSION=1.3.0&LAYERS=bright&QUERY_LAYERS=bright&STYLES=&CRS=CRS:84&BBOX=7.32,47.74,7.35,47.76&WIDTH=512&HEIGHT=512&I=${int()}&J=${int()}&INFO_FORMAT=${pick(['text/plain', 'application/json', 'application/vnd.ogc.gml'])}&FEATURE_COUNT=${pick(['1', '5', '50'])}`,
      `/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&LAYER=${id()}&STYLE=default&TILEMATRIXSET=${pick(['GoogleMapsCompatible', 'LAMB93', junk()])}&TILEMATRIX=${int()}&TILEROW=${int()}&TILECOL=${int()}&I=${int()}&J=${int()}&INFOFORMAT=${pick(['text/plain', 'application/json', junk()])}`,
      `/wmts/1.0.0/bright/default/GoogleMapsCompatible/${mulhouseWmts()}/${int()}/${int()}.${pick(['txt', 'json', 'html', 'gml', junk()])}`,
      `/wms?${junk()}=${junk()}`,
    ]) })],
    [6, () => ({ family: 'routing', path: `/${pick(['route', 'nearest', 'table', 'trip'])}/v1/${pick(['driving', 'car', 'foot', 'bike', junk()])}/${pick([`${num()},${num()};${num()},${num()}`, `${MULHOUSE[0]},${MULHOUSE[1]};7.34,47.75`, junk(), ''])}${chance(0.5) ? `?${pick(['steps', 'overview', 'annotations', 'alternatives', 'radiuses', 'bearings', 'approaches', 'exclude', 'waypoints', 'skip_waypoints', 'generate_hints', 'snapping', 'roundtrip', 'source', 'destination', junk()])}=${pick(['true', 'false', 'full', '1', '90,20;', ';180,45', 'curb;curb', 'unrestricted;', 'motorway', 'toll,ferry', '0;1', 'any', 'first', 'last', junk()])}` : ''}` })],
    [4, () => (chance(0.5)
      ? { family: 'plans', path: `/plans/plan.${pick(['pdf', 'png', 'svg'])}?${pick(['bbox', 'center', 'scale', 'paper', 'style', junk()])}=${junk()}&${pick(['title', 'grid', 'index', junk()])}=${junk()}` }
      : { family: 'plans', method: 'POST', path: '/plans', body: pick(['{', '[]', '{"bbox":[1,2,3]}', JSON.stringify({ bbox: [num(), num(), num(), num()], paper: junk(), style: id() }), 'x'.repeat(5000), '{"__proto__":{"a":1}}']) })],
    [6, () => ({ family: 'viewer', path: pick(['/', '/routing', '/routing/info.json', `/viewer/${junk()}`, `/viewer/data/${id()}`, `/viewer/style/${id()}`, `/maplibre-gl/${pick(['maplibre-gl.js', 'maplibre-gl.css', '../package.json', junk()])}`, '/health', '/metrics']) })],
    [8, () => ({ family: 'garbage', path: pick([`/${junk()}`, `//${junk()}`, '/../../etc/passwd', `/${'x/'.repeat(2000)}`, `/data/${junk()}/${junk()}`, `/styles/${junk()}/${junk()}/${junk()}`, `/?${junk()}`, '/%', '/%%32%65', `/data/mulhouse/${validTile()}.pbf?${'a=1&'.repeat(500)}`]) })],
  ];
  const total = families.reduce((s, [w]) => s + w, 0);
  return (): FuzzRequest => {
    let x = r() * total;
    let f = families[0][1];
    for (const [w, g] of families) {
      if ((x -= w) < 0) { f = g; break; }
    }
    const g = f();
    const headers: Record<string, string> = {};
    if (chance(0.3)) headers['accept-encoding'] = pick(['gzip', 'br', 'gzip, deflate, br', 'identity', '*', junk()]);
    if (chance(0.1)) headers['if-none-match'] = pick(['"x"', '*', 'W/"abc"', junk()]);
    if (chance(0.05)) headers['range'] = pick(['bytes=0-10', 'bytes=-5', junk()]);
    if (chance(0.05)) headers['x-forwarded-host'] = pick(['evil.example', junk()]);
    if (chance(0.05)) headers['x-forwarded-proto'] = pick(['https', junk()]);
    if (g.body !== undefined) headers['content-type'] = pick(['application/json', 'text/plain']);
    const method = g.method ?? (chance(0.9) ? 'GET' : pick(['HEAD', 'POST', 'OPTIONS', 'DELETE', 'PUT']));
    return { family: g.family, method, path: g.path, headers, body: g.body };
  };
}

function send(base: URL, req: FuzzRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    let path = req.path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
    if (!path.startsWith('/')) path = '/' + path;
    const hr = http.request({ host: base.hostname, port: base.port, method: req.method, path, headers: req.headers, timeout: 120_000 }, (res) => {
      const chunks: Buffer[] = [];
      let n = 0;
      res.on('data', (c: Buffer) => { if (n < 400) { chunks.push(c); n += c.length; } });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8', 0, 300) }));
      res.on('error', (e) => resolve({ status: -1, body: e.message }));
    });
    hr.on('timeout', () => hr.destroy(new Error('timeout')));
    hr.on('error', (e) => resolve({ status: -1, body: e.message }));
    if (req.body !== undefined) hr.write(req.body);
    hr.end();
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '8' } } });
  const n = Number(values.requests), concurrency = Number(values.concurrency);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-fuzz-'));
  // the archive with its routing graph beside it (X.mbtiles → X.routing), so the OSRM endpoints are fuzzed for real
  const mbtiles = path.join(dir, 'mulhouse.mbtiles');
  fs.copyFileSync(tilemakerArchive(), mbtiles);
  execFileSync(process.execPath, [CLI, 'route-build', '--out', path.join(dir, 'mulhouse.routing'), path.join(SHARED, 'osm', 'mulhouse.osm.pbf')], { stdio: 'ignore' });
  const server = await startServe({ dir, sources: { mulhouse: mbtiles } });
  const next = generator(Number(values.seed), storedTiles(mbtiles, 0, 14));
  const base = new URL(server.url);
  const byFamily = new Map<string, Map<string, number>>();
  const bad: string[] = [];
  let done = 0, finished = 0, crashed = false;
  const t0 = Date.now();
  const rss0 = rss(server.child.pid!);
  out(`fuzz: ${n} requests, seed ${values.seed}, ${concurrency} at a time, against ${server.url}`);
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (done < n && !crashed) {
        done++;
        const req = next();
        const res = await send(base, req);
        const cls = res.status < 0 ? 'conn-error' : res.status === 503 ? '503' : `${Math.floor(res.status / 100)}xx`;
        const m = byFamily.get(req.family) ?? new Map<string, number>();
        m.set(cls, (m.get(cls) ?? 0) + 1);
        byFamily.set(req.family, m);
        if (res.status >= 500 && res.status !== 503 || res.status < 0) bad.push(`${res.status} ${req.method} ${req.path.slice(0, 160)} → ${res.body.replace(/\s+/g, ' ').slice(0, 160)}`);
        if (server.child.exitCode !== null || server.child.signalCode !== null) crashed = true;
        if (++finished % 1000 === 0) out(`  ${finished} requests, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      }
    }));
    const health = await fetch(server.url + '/health').then((r) => r.status, () => -1);
    const rss1 = rss(server.child.pid!);
    out('');
    const classes = ['2xx', '3xx', '4xx', '503', '5xx', 'conn-error'];
    out(`family        ${classes.map((c) => c.padStart(11)).join('')}`);
    const totals = new Map<string, number>();
    for (const [f, m] of [...byFamily].sort()) {
      out(`${f.padEnd(13)} ${classes.map((c) => String(m.get(c) ?? 0).padStart(11)).join('')}`);
      for (const [c, k] of m) totals.set(c, (totals.get(c) ?? 0) + k);
    }
    out(`${'total'.padEnd(13)} ${classes.map((c) => String(totals.get(c) ?? 0).padStart(11)).join('')}`);
    out('');
    out(`${done} requests in ${((Date.now() - t0) / 1000).toFixed(0)} s; server ${crashed ? 'CRASHED' : 'alive'}, /health ${health}; RSS node ${mib(rss0.node)} → ${mib(rss1.node)}, browser ${mib(rss0.browser)} → ${mib(rss1.browser)}`);
    out(`5xx other than 503 and connection errors: ${bad.length}`);
    for (const b of bad.slice(0, 30)) out(`  ${b}`);
    process.exitCode = bad.length || crashed || health !== 200 ? 1 : 0;
  } finally {
    const code = await server.stop();
    if (code !== 0) out(`serve exit code ${code}; last log:\n${server.stderr().slice(-2000)}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`fuzz: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
