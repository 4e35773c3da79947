import assert from 'node:assert/strict';
import { MemoryTileCache } from '../../../src/cache/memory_tile_cache.js';
import { isTuilerieError, TuilerieError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { SourceRegistry } from '../../../src/server/source_registry.js';
import { TileService } from '../../../src/server/tile_service.js';
import { FakeTileSource, VECTOR_META } from './fake_tile_source.js';

/** An opener serving whatever `files` holds at the time of the call; a missing path fails like a corrupt file. */
function setup() {
  const files = new Map<string, FakeTileSource>();
  const cache = new MemoryTileCache({ maxBytes: 1 << 20 });
  const registry = new SourceRegistry({
    cache,
    logger: silentLogger,
    closeDelayMs: 0,
    open: async (p) => {
      const s = files.get(p);
      if (!s) throw new Error(`cannot open ${p}`);
      return s;
    },
  });
  return { files, cache, registry, tiles: new TileService(cache) };
}

describe('SourceRegistry', () => {
  it('registers a source that opens', async () => {
    const { files, registry } = setup();
    files.set('/a.mbtiles', new FakeTileSource(VECTOR_META));
    assert.equal(await registry.add('a', '/a.mbtiles'), true);
    assert.equal(registry.require('a').metadata.maxzoom, 14);
  });

  it('skips a source that fails to open without throwing', async () => {
    const { registry } = setup();
    assert.equal(await registry.add('bad', '/bad.mbtiles'), false);
    assert.equal(registry.get('bad'), undefined);
  });

  it('require() of an unknown id throws NOT_FOUND naming the available ids', async () => {
    const { files, registry } = setup();
    files.set('/a.mbtiles', new FakeTileSource(VECTOR_META));
    await registry.add('a', '/a.mbtiles');
    assert.throws(() => registry.require('b'), (e: unknown) => isTuilerieError(e, 'NOT_FOUND') && /available: a/.test((e as Error).message));
  });

  it('reload swaps in the new archive and drops cached tiles of the source', async () => {
    const { files, registry, tiles, cache } = setup();
    files.set('/a.mbtiles', new FakeTileSource(VECTOR_META, 'v1').putGzip(0, 0, 0, Buffer.from('old')));
    await registry.add('a', '/a.mbtiles');
    await tiles.get(registry.require('a'), 0, 0, 0);
    assert.equal(cache.stats().entries, 1);
    files.set('/a.mbtiles', new FakeTileSource(VECTOR_META, 'v2').putGzip(0, 0, 0, Buffer.from('new')));
    await registry.reload('a');
    assert.equal(cache.stats().entries, 0);
    assert.equal(registry.require('a').version, 'v2');
  });

  it('reload keeps the old archive when the new one cannot be opened', async () => {
    const { files, registry } = setup();
    files.set('/a.mbtiles', new FakeTileSource(VECTOR_META, 'v1'));
    await registry.add('a', '/a.mbtiles');
    files.delete('/a.mbtiles');
    assert.equal(await registry.reload('a'), false);
    assert.equal(registry.require('a').version, 'v1');
  });

  it('reload brings up a source that failed at start once its file is good', async () => {
    const { files, registry } = setup();
    await registry.add('a', '/a.mbtiles');
    files.set('/a.mbtiles', new FakeTileSource(VECTOR_META));
    await registry.reload('a');
    assert.ok(registry.get('a'));
  });

  it('closes the replaced archive', async () => {
    const { files, registry } = setup();
    const old = new FakeTileSource(VECTOR_META, 'v1');
    files.set('/a.mbtiles', old);
    await registry.add('a', '/a.mbtiles');
    files.set('/a.mbtiles', new FakeTileSource(VECTOR_META, 'v2'));
    await registry.reload('a');
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(old.closed, true);
  });
});

describe('TileService', () => {
  it('reads a tile from the source once, then from the cache', async () => {
    const { files, registry, tiles } = setup();
    const src = new FakeTileSource(VECTOR_META).putGzip(1, 0, 0, Buffer.from('x'));
    files.set('/a.mbtiles', src);
    await registry.add('a', '/a.mbtiles');
    const e = registry.require('a');
    const first = await tiles.get(e, 1, 0, 0);
    const second = await tiles.get(e, 1, 0, 0);
    assert.equal(src.reads, 1);
    assert.equal(first?.etag, second?.etag);
  });

  it('copies a tile that is a small view into a large buffer, so the cache bound holds', async () => {
    const { files, registry, tiles } = setup();
    const big = Buffer.alloc(1 << 20);
    const src = new FakeTileSource(VECTOR_META).putRaw(0, 0, 0, big.subarray(0, 100));
    files.set('/a.mbtiles', src);
    await registry.add('a', '/a.mbtiles');
    const rep = await tiles.get(registry.require('a'), 0, 0, 0);
    assert.notEqual(rep!.data.buffer, big.buffer);
  });

  it('caches a missing tile as null', async () => {
    const { files, registry, tiles } = setup();
    const src = new FakeTileSource(VECTOR_META);
    files.set('/a.mbtiles', src);
    await registry.add('a', '/a.mbtiles');
    assert.equal(await tiles.get(registry.require('a'), 1, 1, 1), null);
    assert.equal(await tiles.get(registry.require('a'), 1, 1, 1), null);
    assert.equal(src.reads, 1);
  });

  it('detects gzip bytes the source labelled identity', async () => {
    const { files, registry, tiles } = setup();
    const src = new FakeTileSource(VECTOR_META).putGzip(0, 0, 0, Buffer.from('x'));
    src.tiles.get('0/0/0')!.encoding = 'identity';
    files.set('/a.mbtiles', src);
    await registry.add('a', '/a.mbtiles');
    assert.equal((await tiles.get(registry.require('a'), 0, 0, 0))?.encoding, 'gzip');
  });

  it('turns a read failure of the archive into IO_ERROR (a server fault, not a client one)', async () => {
    const { files, registry, tiles } = setup();
    const src = new FakeTileSource(VECTOR_META);
    src.getTile = async () => { throw new TuilerieError('BAD_INPUT', 'database disk image is malformed'); };
    files.set('/a.mbtiles', src);
    await registry.add('a', '/a.mbtiles');
    await assert.rejects(tiles.get(registry.require('a'), 0, 0, 0), (e: unknown) => isTuilerieError(e, 'IO_ERROR'));
  });

  it('gives the identity form its own ETag and decompressed bytes', async () => {
    const { files, registry, tiles } = setup();
    files.set('/a.mbtiles', new FakeTileSource(VECTOR_META).putGzip(0, 0, 0, Buffer.from('payload')));
    await registry.add('a', '/a.mbtiles');
    const e = registry.require('a');
    const stored = (await tiles.get(e, 0, 0, 0))!;
    const plain = tiles.identity(e, 0, 0, 0, stored);
    assert.equal(plain.data.toString(), 'payload');
    assert.notEqual(plain.etag, stored.etag);
  });
});
