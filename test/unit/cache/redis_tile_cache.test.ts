import assert from 'node:assert/strict';
import { strongEtag } from '../../../src/cache/etag.js';
import { RedisTileCache, decodeSharedTile, encodeSharedTile } from '../../../src/cache/redis_tile_cache.js';
import type { CachedTile, TileCacheKey } from '../../../src/cache/tile_cache.js';
import { RedisServer, redisServerBinary } from './redis_server.js';

const key = (x: number, version = 'v1'): TileCacheKey => ({ sourceId: 'bright', version, z: 10, x, y: 355, variant: '256@1x.png' });
const tile = (s: string): CachedTile => ({ data: Buffer.from(s), encoding: 'identity', etag: strongEtag(s) });

describe('RedisTileCache', function () {
  describe('value encoding', () => {
    it('round-trips bytes, encoding and ETag', () => {
      const t: CachedTile = { data: Buffer.from([0, 1, 2, 255]), encoding: 'gzip', etag: '"abc"' };
      assert.deepEqual(decodeSharedTile(encodeSharedTile(t)), t);
    });
    it('refuses a value of another format instead of serving garbage', () => {
      assert.equal(decodeSharedTile(Buffer.from('PNG…')), undefined);
    });
  });

  const hasRedis = redisServerBinary() !== undefined;
  describe(hasRedis ? 'with a real redis-server' : 'with a real redis-server — SKIPPED: redis-server not found (apt-get install redis-server)', function () {
    let server: RedisServer;
    const caches: RedisTileCache[] = [];
    const open = async (opts: { lockMs?: number; prefix?: string } = {}) => {
      const c = new RedisTileCache({ url: server.url, timeoutMs: 300, ...opts });
      caches.push(c);
      assert.ok(await c.waitConnected(5000), 'connects');
      return c;
    };

    before(function () {
      if (!hasRedis) this.skip();
    });
    beforeEach(async () => {
      server = await RedisServer.start();
    });
    afterEach(async () => {
      await Promise.all(caches.splice(0).map((c) => c.close()));
      await server.dispose();
    });

    it('a tile stored by one instance is a hit for another', async () => {
      const a = await open(), b = await open();
      await a.setMany([{ key: key(1), value: tile('one') }]);
      const got = await b.get(key(1));
      assert.equal(got?.data.toString(), 'one');
      assert.equal(got?.etag, strongEtag('one'));
      assert.equal(b.stats().hits, 1);
    });

    it('keys carry the data version: a new version misses', async () => {
      const a = await open();
      await a.setMany([{ key: key(1, 'v1'), value: tile('old') }]);
      assert.equal(await a.get(key(1, 'v2')), undefined);
    });

    it('renders a metatile once when two instances ask for it at the same time', async () => {
      const a = await open(), b = await open();
      let renders = 0;
      const render = (c: RedisTileCache) => async () => {
        renders++;
        await new Promise((r) => setTimeout(r, 150));
        await c.setMany([{ key: key(1), value: tile('r') }, { key: key(2), value: tile('s') }]);
        return 'done';
      };
      const [ra, rb] = await Promise.all([
        a.renderOnce({ lockKey: 'meta-1', waitFor: key(1), render: render(a) }),
        b.renderOnce({ lockKey: 'meta-1', waitFor: key(2), render: render(b) }),
      ]);
      assert.equal(renders, 1);
      const kinds = [ra.kind, rb.kind].sort();
      assert.deepEqual(kinds, ['rendered', 'shared']);
      const shared = ra.kind === 'shared' ? ra : rb;
      assert.equal(shared.kind === 'shared' && shared.tile.data.toString(), ra.kind === 'shared' ? 'r' : 's');
    });

    it('a waiter renders itself once the lock of a vanished holder expires', async () => {
      const a = await open({ lockMs: 300 }), b = await open({ lockMs: 300 });
      // a takes the lock and never stores anything (as if its process died mid-render)
      const stuck = a.renderOnce({ lockKey: 'meta-2', waitFor: key(3), render: () => new Promise<string>((r) => setTimeout(() => r('late'), 2000)) });
      await new Promise((r) => setTimeout(r, 30));
      const t0 = Date.now();
      const r = await b.renderOnce({ lockKey: 'meta-2', waitFor: key(3), render: async () => 'mine' });
      assert.deepEqual(r, { kind: 'rendered', value: 'mine' });
      assert.ok(Date.now() - t0 < 1500, `waited ${Date.now() - t0} ms`);
      await stuck;
    });

    it('falls back to misses and local renders, fast, when Redis is stopped', async () => {
      const a = await open();
      await a.setMany([{ key: key(1), value: tile('one') }]);
      await server.stop();
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      assert.equal(await a.get(key(1)), undefined);
      const r = await a.renderOnce({ lockKey: 'meta-3', waitFor: key(1), render: async () => 'local' });
      assert.deepEqual(r, { kind: 'rendered', value: 'local' });
      await a.setMany([{ key: key(2), value: tile('two') }]);
      assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
      assert.equal(a.stats().connected, false);
    });

    it('reconnects when Redis comes back and serves from it again', async () => {
      const a = await open();
      await server.stop();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(await a.get(key(1)), undefined);
      await server.restart();
      assert.ok(await a.waitConnected(10_000), 'reconnected');
      await a.setMany([{ key: key(1), value: tile('back') }]);
      assert.equal((await a.get(key(1)))?.data.toString(), 'back');
    });
  });
});
