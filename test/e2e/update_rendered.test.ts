/**
 * Rendered tiles follow an update selectively: after `tuilerie update` renames a street,
 * the raster tile over it is rendered again (new pixels, new ETag) while a tile far from
 * it is still served from the cache with its old ETag (304), in memory and on disk; two
 * instances sharing Redis agree on the keys without talking to each other.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config/load_config.js';
import { silentLogger } from '../../src/core/logger.js';
import { lonLatToTile } from '../../src/core/tile_math.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { UPSTREAM_STYLES_DIR, tempDir } from '../helpers/paths.js';
import type { OsmObject } from '../helpers/osm_versions.js';
import { extractVersions, runCliAsync, stopServersAndRemove, tileNames } from '../helpers/update_versions.js';
import { request } from '../unit/server/http_client.js';
import { RedisServer, redisServerBinary } from '../unit/cache/redis_server.js';

function startServer(archive: string, cacheDir: string, watch: boolean, redisUrl?: string): Promise<{ server: TuilerieServer; url: string }> {
  const config = loadConfig({
    flags: {
      port: 0, host: '127.0.0.1', watch, sources: { wehr: { path: archive } }, styles: { bright: { path: path.join(UPSTREAM_STYLES_DIR, 'osm-bright', 'style.json') } },
      ...(redisUrl ? { cache: { shared: { redisUrl, timeoutMs: 300 } } } : {}),
    },
  });
  const server = new TuilerieServer({ config, logger: silentLogger, services: { raster: { cacheDir, maxQueue: 8 } } });
  return server.start().then((url) => ({ server, url }));
}

async function metric(url: string, line: string): Promise<number> {
  const text = (await request(`${url}/metrics`)).text();
  const m = text.split('\n').find((l) => l.startsWith(line + ' '));
  return m ? Number(m.slice(line.length + 1)) : NaN;
}

/**
 * wehr imported --updatable, and a change renaming its longest residential street and making it a primary road
 * (drawn in another colour); `mid` is a node of that street, `far` the node of another street farthest from it.
 */
async function prepare(dir: string): Promise<{ archive: string; change: string; mid: OsmObject; far: OsmObject }> {
  let street!: OsmObject;
  let streets: OsmObject[] = [];
  let nodes = new Map<number, OsmObject>();
  const { v1, change } = extractVersions(dir, 'wehr.osm.pbf', (edited) => {
    nodes = new Map(edited.filter((o) => o.type === 'node').map((o) => [o.id, o]));
    // the longest named residential street, renamed and made a primary road (drawn in another colour)
    const length = (w: OsmObject) => w.refs!.slice(1).reduce((s, r, i) => s + Math.hypot(nodes.get(r)!.lon! - nodes.get(w.refs![i])!.lon!, nodes.get(r)!.lat! - nodes.get(w.refs![i])!.lat!), 0);
    streets = edited.filter((o) => o.type === 'way' && o.tags.highway === 'residential' && o.tags.name && o.refs!.every((r) => nodes.has(r)));
    street = streets.reduce((a, b) => (length(b) > length(a) ? b : a));
    street.tags.name = 'Rue de la Tuilerie';
    street.tags.highway = 'primary';
    street.version++;
  });
  const mid = nodes.get(street.refs![Math.floor(street.refs!.length / 2)])!;
  // the node of a street farthest from the changed one
  const streetNodes = street.refs!.map((r) => nodes.get(r)!);
  let far = mid, best = 0;
  for (const n of streets.flatMap((w) => w.refs!.map((r) => nodes.get(r)!))) {
    const d = Math.min(...streetNodes.map((m) => Math.hypot(n.lon! - m.lon!, n.lat! - m.lat!)));
    if (d > best) { best = d; far = n; }
  }
  const archive = path.join(dir, 'wehr.mbtiles');
  const imported = await runCliAsync(['import', '--quiet', '--threads', '1', '--updatable', '--out', archive, v1]);
  assert.equal(imported.status, 0, imported.stderr);

  return { archive, change, mid, far };
}

describe('rendered tiles after an update @slow', function () {
  this.timeout(900_000);
  let dir: string;
  const servers: TuilerieServer[] = [];
  after(() => stopServersAndRemove(servers, dir));

  it('renders the tile over the changed street again and serves a far tile from the cache with its ETag', async () => {
    dir = tempDir('tuilerie-update-rendered-');
    const { archive, change, mid, far } = await prepare(dir);

    const cacheDir = path.join(dir, 'raster-cache');
    const { server, url } = await startServer(archive, cacheDir, true);
    servers.push(server);
    // deep enough for a metatile far from the street in this small extract (z14 tiles overzoomed)
    const z = 18;
    const touched = lonLatToTile(mid.lon!, mid.lat!, z), away = lonLatToTile(far.lon!, far.lat!, z);
    const touchedUrl = `${url}/styles/bright/${z}/${touched.x}/${touched.y}.png`, awayUrl = `${url}/styles/bright/${z}/${away.x}/${away.y}.png`;
    const before = { touched: await request(touchedUrl), away: await request(awayUrl) };
    assert.equal(before.touched.status, 200, before.touched.text().slice(0, 200));
    assert.equal(before.away.status, 200, before.away.text().slice(0, 200));

    const updated = await runCliAsync(['update', '--quiet', '--out', archive, change]);
    assert.equal(updated.status, 0, updated.stderr);
    // the server notices the changed file by itself (watch); wait for it generously
    const t14 = lonLatToTile(mid.lon!, mid.lat!, 14);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !tileNames((await request(`${url}/data/wehr/14/${t14.x}/${t14.y}.pbf`)).body).has('Rue de la Tuilerie')) {
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.ok(tileNames((await request(`${url}/data/wehr/14/${t14.x}/${t14.y}.pbf`)).body).has('Rue de la Tuilerie'), 'the server reloaded the archive');

    const renders = () => server.services.raster.pool.stats().renders;
    // the premise: no z14 tile the update changed lies under the far tile's metatile (gutter of half a tile included)
    const db = new Database(archive, { readonly: true });
    const changed14 = db.prepare('SELECT x, y FROM tuilerie_changed_tiles WHERE z = 14').all() as { x: number; y: number }[];
    db.close();
    assert.ok(changed14.length > 0);
    const s = 2 ** (z - 14), mx = Math.floor(away.x / 4) * 4, my = Math.floor(away.y / 4) * 4;
    for (const t of changed14) assert.ok(t.x * s >= mx + 4.5 || (t.x + 1) * s <= mx - 0.5 || t.y * s >= my + 4.5 || (t.y + 1) * s <= my - 0.5, `the far tile ${JSON.stringify(away)} is not far from 14/${t.x}/${t.y}`);
    const r0 = renders();
    const awayAgain = await request(awayUrl, { headers: { 'if-none-match': String(before.away.headers.etag) } });
    assert.equal(awayAgain.status, 304, 'the far tile keeps its ETag');
    const awayBody = await request(awayUrl);
    assert.equal(String(awayBody.headers.etag), String(before.away.headers.etag));
    assert.ok(awayBody.body.equals(before.away.body));
    assert.equal(renders(), r0, 'the far tile was not rendered again');

    const touchedAgain = await request(touchedUrl, { headers: { 'if-none-match': String(before.touched.headers.etag) } });
    assert.ok(renders() > r0, 'the tile over the renamed street was rendered again');
    assert.equal(touchedAgain.status, 200, 'with other pixels than the cached one');
    assert.notEqual(String(touchedAgain.headers.etag), String(before.touched.headers.etag));
    assert.ok(!touchedAgain.body.equals(before.touched.body), 'new pixels');
    assert.ok(await metric(url, 'tuilerie_rendered_cache_invalidated_total{tier="memory"}') >= 1, 'the dropped metatile is counted');

    // the disk tier kept both: a fresh server (empty memory) serves them without rendering
    const second = await startServer(archive, cacheDir, false);
    servers.push(second.server);
    for (const [u, etag] of [[awayUrl, before.away.headers.etag], [touchedUrl, touchedAgain.headers.etag]]) {
      const r = await request(u!.replace(url, second.url), { headers: { 'if-none-match': String(etag) } });
      assert.equal(r.status, 304, u);
    }
    assert.equal(second.server.services.raster.pool.stats().renders, 0, 'both came from the disk cache');
  });
});

const hasRedis = redisServerBinary() !== undefined;

describe(`rendered tiles in a shared Redis tier after an update @slow${hasRedis ? '' : ' — SKIPPED: redis-server not found'}`, function () {
  this.timeout(900_000);
  let dir: string;
  let redis: RedisServer | undefined;
  const servers: TuilerieServer[] = [];
  after(async () => {
    await stopServersAndRemove(servers, dir);
    await redis?.dispose();
  });

  it('an instance that reloads later finds the new metatile and keeps the far one, rendering nothing', async function () {
    if (!hasRedis) this.skip();
    dir = tempDir('tuilerie-update-redis-');
    redis = await RedisServer.start();
    const { archive, change, mid, far } = await prepare(dir);
    // each instance with its own disk cache, as on another machine; no file watch: reloads are explicit here
    const a = await startServer(archive, path.join(dir, 'a-cache'), false, redis.url);
    const b = await startServer(archive, path.join(dir, 'b-cache'), false, redis.url);
    servers.push(a.server, b.server);
    const z = 18;
    const touched = lonLatToTile(mid.lon!, mid.lat!, z), away = lonLatToTile(far.lon!, far.lat!, z);
    const touchedPath = `/styles/bright/${z}/${touched.x}/${touched.y}.png`, awayPath = `/styles/bright/${z}/${away.x}/${away.y}.png`;
    const rendersOf = (s: TuilerieServer) => s.services.raster.pool.stats().renders;

    const before = { touched: await request(a.url + touchedPath), away: await request(a.url + awayPath) };
    assert.equal(before.touched.status, 200);
    assert.equal(before.away.status, 200);
    assert.equal(String((await request(b.url + awayPath)).headers.etag), String(before.away.headers.etag), 'B reads A\'s render from Redis');

    const updated = await runCliAsync(['update', '--quiet', '--out', archive, change]);
    assert.equal(updated.status, 0, updated.stderr);
    await a.server.catalog.sources.reload('wehr');
    const aTouched = await request(a.url + touchedPath);
    assert.notEqual(String(aTouched.headers.etag), String(before.touched.headers.etag), 'A rendered the changed metatile again');

    // B has not seen the update: it still serves what its data draws
    assert.equal(String((await request(b.url + touchedPath)).headers.etag), String(before.touched.headers.etag));
    await b.server.catalog.sources.reload('wehr');
    const bTouched = await request(b.url + touchedPath);
    assert.equal(String(bTouched.headers.etag), String(aTouched.headers.etag), 'B gets A\'s new render of the changed metatile');
    const bAway = await request(b.url + awayPath, { headers: { 'if-none-match': String(before.away.headers.etag) } });
    assert.equal(bAway.status, 304, 'the far tile keeps its ETag on B');
    assert.equal(rendersOf(b.server), 0, 'B rendered nothing: every tile came from memory or Redis');
  });
});
