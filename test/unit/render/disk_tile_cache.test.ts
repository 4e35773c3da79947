import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DiskTileCache } from '../../../src/cache/disk_tile_cache.js';
import { tempDir } from '../../helpers/paths.js';

const key = (version: string, x = 1) => ({ sourceId: 'osm-bright', version, z: 14, x, y: 2, variant: '256@1x.png' });
const tile = (s: string) => ({ data: Buffer.from(s), encoding: 'identity' as const, etag: `"${s}"` });

describe('DiskTileCache', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir('tuilerie-diskcache-'); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns a stored tile with its ETag', () => {
    const c = new DiskTileCache({ dir });
    c.set(key('v1'), tile('png-bytes'));
    assert.deepEqual(c.get(key('v1')), tile('png-bytes'));
    c.close();
  });

  it('keeps tiles across a restart (a new instance on the same directory)', () => {
    const a = new DiskTileCache({ dir });
    a.setMany([{ key: key('v1', 1), value: tile('a') }, { key: key('v1', 2), value: tile('b') }]);
    a.close();
    const b = new DiskTileCache({ dir });
    assert.deepEqual(b.get(key('v1', 2))?.data, Buffer.from('b'));
    b.close();
  });

  it('treats a tile rendered from another data version as stale', () => {
    const c = new DiskTileCache({ dir });
    c.set(key('v1'), tile('old'));
    assert.equal(c.get(key('v2')), undefined);
    c.close();
  });

  it('reports version and age of a stored tile for seeding', () => {
    const c = new DiskTileCache({ dir });
    const before = Date.now();
    c.set(key('v1'), tile('x'));
    const info = c.info({ sourceId: 'osm-bright', z: 14, x: 1, y: 2, variant: '256@1x.png' });
    assert.equal(info?.version, 'v1');
    assert.ok(info!.created >= before);
    c.close();
  });

  it('keeps variants (size, scale, format) apart', () => {
    const c = new DiskTileCache({ dir });
    c.set(key('v1'), tile('1x'));
    assert.equal(c.get({ ...key('v1'), variant: '256@2x.png' }), undefined);
    c.close();
  });

  it('drops a style entirely on invalidateSource', () => {
    const c = new DiskTileCache({ dir });
    c.set(key('v1'), tile('x'));
    c.invalidateSource('osm-bright');
    assert.equal(c.get(key('v1')), undefined);
    c.close();
  });

  it('refuses a style id that would escape the cache directory', () => {
    const c = new DiskTileCache({ dir });
    assert.throws(() => c.get({ ...key('v1'), sourceId: '../etc' }), /cannot name a cache file/);
    c.close();
  });
});
