/**
 * Two server instances sharing rendered tiles through a real redis-server
 * (started here on a loopback port, skipped when the binary is missing). Only
 * instance A ever renders, so one Chromium runs at a time.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load_config.js';
import { silentLogger } from '../../src/core/logger.js';
import { lonLatToTile } from '../../src/core/tile_math.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { UPSTREAM_STYLES_DIR, tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { RedisServer, redisServerBinary } from '../unit/cache/redis_server.js';
import { tilemakerMbtiles } from './serve_fixtures.js';

const hasRedis = redisServerBinary() !== undefined;

describe(`shared Redis tier across two instances @slow${hasRedis ? '' : ' — SKIPPED: redis-server not found (apt-get install redis-server)'}`, function () {
  let dir: string;
  let redis: RedisServer;
  let a: { server: TuilerieServer; url: string };
  let b: { server: TuilerieServer; url: string };

  async function start(name: string, mbtiles: string): Promise<{ server: TuilerieServer; url: string }> {
    const config = loadConfig({
      flags: {
        port: 0,
        host: '127.0.0.1',
        watch: false,
        dataDir: path.join(dir, name), // own disk cache, as on another machine
        sources: { mulhouse: { path: mbtiles } },
        styles: { bright: { path: path.join(UPSTREAM_STYLES_DIR, 'osm-bright', 'style.json') } },
        cache: { shared: { redisUrl: redis.url, timeoutMs: 300 } },
      },
    });
    const server = new TuilerieServer({ config, logger: silentLogger });
    return { server, url: await server.start() };
  }
  const tilePath = (z: number, dx = 0) => {
    const t = lonLatToTile(7.334, 47.752, z);
    return `/styles/bright/${z}/${t.x + dx}/${t.y}.png`;
  };
  const stackOf = (s: TuilerieServer) => s.services.raster;

  before(async function () {
    if (!hasRedis) this.skip();
    dir = tempDir('tuilerie-redis-e2e-');
    redis = await RedisServer.start();
    const mbtiles = tilemakerMbtiles(dir);
    a = await start('a', mbtiles);
    b = await start('b', mbtiles);
  });
  after(async () => {
    await a?.server.stop();
    await b?.server.stop();
    await redis?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a tile rendered by one instance is served by the other without rendering', async () => {
    const ra = await request(a.url + tilePath(13));
    assert.equal(ra.status, 200);
    const rb = await request(b.url + tilePath(13));
    assert.equal(rb.status, 200);
    assert.ok(rb.body.equals(ra.body), 'same bytes');
    assert.equal(rb.headers.etag, ra.headers.etag);
    assert.equal(stackOf(b.server).pool.stats().renders, 0);
    assert.ok(stackOf(b.server).shared!.stats().hits >= 1);
  });

  it('serves from local rendering while Redis is stopped', async () => {
    await redis.stop();
    const r = await request(a.url + tilePath(12));
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'image/png');
    assert.equal(stackOf(a.server).shared!.stats().connected, false);
  });

  it('shares tiles again once Redis is back', async () => {
    await redis.restart();
    const end = Date.now() + 15_000;
    while (!(stackOf(a.server).shared!.stats().connected && stackOf(b.server).shared!.stats().connected)) {
      assert.ok(Date.now() < end, 'both instances reconnect within 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const ra = await request(a.url + tilePath(11));
    const rb = await request(b.url + tilePath(11));
    assert.equal(rb.status, 200);
    assert.ok(rb.body.equals(ra.body));
    assert.equal(stackOf(b.server).pool.stats().renders, 0);
  });
});
