import assert from 'node:assert/strict';
import { MemoryTileCache } from '../../../src/cache/memory_tile_cache.js';
import { strongEtag } from '../../../src/cache/etag.js';
import type { CachedTile, TileCacheKey } from '../../../src/cache/tile_cache.js';

const key = (sourceId: string, x: number, variant = 'stored', version = 'v1'): TileCacheKey => ({ sourceId, version, z: 10, x, y: 1, variant });
const tile = (bytes: number, fill = 1): CachedTile => {
  const data = Buffer.alloc(bytes, fill);
  return { data, encoding: 'gzip', etag: strongEtag(data) };
};

describe('MemoryTileCache', () => {
  it('returns what was stored', () => {
    const c = new MemoryTileCache({ maxBytes: 1 << 20 });
    const t = tile(100);
    c.set(key('a', 1), t);
    assert.equal(c.get(key('a', 1)), t);
  });

  it('returns undefined for an absent key and counts a miss', () => {
    const c = new MemoryTileCache({ maxBytes: 1 << 20 });
    assert.equal(c.get(key('a', 1)), undefined);
    assert.deepEqual([c.stats().hits, c.stats().misses], [0, 1]);
  });

  it('remembers a known-empty tile as null', () => {
    const c = new MemoryTileCache({ maxBytes: 1 << 20 });
    c.set(key('a', 1), null);
    assert.equal(c.get(key('a', 1)), null);
    assert.equal(c.stats().hits, 1);
  });

  it('keeps the total size under maxBytes by evicting the least recently used', () => {
    const c = new MemoryTileCache({ maxBytes: 10_000 });
    for (let i = 0; i < 20; i++) c.set(key('a', i), tile(1000));
    assert.ok(c.stats().bytes <= 10_000, `bytes ${c.stats().bytes}`);
    assert.equal(c.get(key('a', 0)), undefined);
    assert.ok(c.get(key('a', 19)));
  });

  it('weighs entries by their bytes, not their count', () => {
    const c = new MemoryTileCache({ maxBytes: 10_000 });
    c.set(key('a', 1), tile(9000));
    c.set(key('a', 2), tile(9000));
    assert.equal(c.stats().entries, 1);
  });

  it('does not store a tile larger than the whole cache', () => {
    const c = new MemoryTileCache({ maxBytes: 1000 });
    c.set(key('a', 1), tile(5000));
    assert.equal(c.get(key('a', 1)), undefined);
  });

  it('separates variants and versions of the same tile', () => {
    const c = new MemoryTileCache({ maxBytes: 1 << 20 });
    c.set(key('a', 1, 'stored', 'v1'), tile(10, 1));
    assert.equal(c.get(key('a', 1, 'identity', 'v1')), undefined);
    assert.equal(c.get(key('a', 1, 'stored', 'v2')), undefined);
  });

  it('invalidateSource drops every entry of that source only', () => {
    const c = new MemoryTileCache({ maxBytes: 1 << 20 });
    c.set(key('a', 1), tile(10));
    c.set(key('a', 2, 'identity'), tile(10));
    c.set(key('b', 1), tile(10));
    c.invalidateSource('a');
    assert.equal(c.get(key('a', 1)), undefined);
    assert.equal(c.get(key('a', 2, 'identity')), undefined);
    assert.ok(c.get(key('b', 1)));
  });

  it('stores nothing when maxBytes is 0', () => {
    const c = new MemoryTileCache({ maxBytes: 0 });
    c.set(key('a', 1), tile(10));
    assert.equal(c.get(key('a', 1)), undefined);
  });
});

describe('strongEtag', () => {
  it('is the same for the same bytes', () => assert.equal(strongEtag(Buffer.from('x')), strongEtag(Buffer.from('x'))));
  it('differs for different bytes', () => assert.notEqual(strongEtag(Buffer.from('x')), strongEtag(Buffer.from('y'))));
  it('is a quoted strong tag', () => assert.match(strongEtag(Buffer.from('x')), /^"[A-Za-z0-9_-]+"$/));
});
