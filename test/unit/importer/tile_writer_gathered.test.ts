/**
 * An update's tiles go through writeTiles as stored blobs with the new features of the
 * objects run again: the encoder threads and the main thread both swap and encode them.
 * Whichever does a tile, the result must be the one a single thread gives: the same
 * archive tiles, and the same swapped features (or `unchanged`) told back for the store.
 */
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import type { TileSink } from '../../../src/archive/tile_source.js';
import { silentLogger } from '../../../src/core/logger.js';
import { tileKey } from '../../../src/core/tile_math.js';
import type { TileFeature } from '../../../src/importer/tile_feature_store.js';
import { encodeTileFeatures } from '../../../src/importer/tile_encoder.js';
import { writeTiles } from '../../../src/importer/tile_writer.js';
import type { GatheredTile } from '../../../src/importer/update/gathered_tile.js';
import { canonicalOrder, decodeTileBlob, encodeTileBlob } from '../../../src/importer/update/tile_feature_blob.js';
import { osmKey } from '../../../src/importer/update/source_key.js';
import { createProfile } from '../../../src/schema/profiles.js';
import { seededRandom } from '../../../src/core/seeded_random.js';

const layers = createProfile('openmaptiles').layers;

function feature(r: () => number, src: number): TileFeature {
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const x = int(0, 7) * 512, y = int(0, 7) * 512;
  const type = int(2, 3) as 2 | 3;
  const geometry = type === 2 ? [Int32Array.from([x, y, x + 512, y, x + 512, y + 512])] : [Int32Array.from([x, y, x + 512, y, x + 512, y + 512, x, y + 512, x, y])];
  return {
    layer: [0, 1, 3, 8, 10][int(0, 4)], sortKey: int(0, 2), seq: 0, attrs: { class: ['a', 'b'][int(0, 1)], name: `N${int(0, 2)}` },
    geometry: { type, geometry, ...(type === 3 ? { ringsPerPolygon: [1] } : {}) }, src,
  };
}

interface Case { tiles: GatheredTile[]; replaced: Set<number> }

/** 120 tiles at zoom 12: most with a swap (some giving the same features), some given whole, some emptied. */
function makeCase(): Case {
  const r = seededRandom(1812);
  const replaced = new Set([1, 3, 5].map((i) => osmKey('way', i)));
  const tiles: GatheredTile[] = [];
  for (let t = 0; t < 120; t++) {
    const key = tileKey(12, 2000 + t, 1400);
    const srcs = t % 10 === 9 ? [1, 3] : [1, 2, 3, 4, 5, 6];
    const old = canonicalOrder(srcs.flatMap((i) => Array.from({ length: 1 + Math.floor(r() * 3) }, () => feature(r, osmKey('way', i)))).map((f, i) => ({ ...f, seq: i })));
    if (t % 7 === 0) { tiles.push({ key, blob: encodeTileBlob(old) }); continue; }
    const blob = encodeTileBlob(old);
    const stored = encodeTileFeatures(decodeTileBlob(blob), layers, 12);
    const gone = old.filter((f) => replaced.has(f.src!));
    // every third tile: the objects run again give what they gave (the tile stays); tiles with only replaced objects lose them
    const fresh = t % 10 === 9 ? [] : t % 3 === 0 ? gone.map((f, i) => ({ ...f, seq: i, attrs: { ...f.attrs } })) : gone.map((f, i) => ({ ...f, seq: i, attrs: { ...f.attrs, name: 'Renamed' } }));
    tiles.push({ key, blob, swap: { fresh: fresh.length > 0 ? encodeTileBlob(fresh) : new Uint8Array(0), previous: stored && zlib.gzipSync(stored) } });
  }
  return { tiles, replaced };
}

async function run(threads: number): Promise<{ archive: Map<number, string>; swapped: Map<number, string> }> {
  const c = makeCase();
  const archive = new Map<number, string>(), swapped = new Map<number, string>();
  const sink: TileSink = {
    putTile: (z, x, y, data) => { archive.set(tileKey(z, x, y), zlib.gunzipSync(data).toString('hex')); },
    setMetadata: () => {}, commit: async () => {}, abort: async () => {},
  };
  const onSwapped = (key: number, f: Uint8Array | null | 'unchanged'): void => {
    assert.ok(!swapped.has(key), `tile ${key} told twice`);
    swapped.set(key, f === 'unchanged' ? 'unchanged' : f === null ? 'none' : Buffer.from(f).toString('hex'));
  };
  await writeTiles({ tiles: { total: c.tiles.length, tiles: c.tiles, replaced: c.replaced, onSwapped }, layers, sink, logger: silentLogger, threads });
  return { archive, swapped };
}

describe('writeTiles: an update\'s gathered tiles', function () {
  this.timeout(120_000);

  it('swapped and encoded in threads and on the main thread give what one thread gives', async () => {
    const one = await run(1), three = await run(3);
    const kinds = [...one.swapped.values()];
    assert.ok(kinds.filter((k) => k === 'unchanged').length > 10 && kinds.filter((k) => k === 'none').length > 5 && one.archive.size > 60, `cases covered: ${one.archive.size} written, ${kinds.length} swapped`);
    assert.deepEqual(three.swapped, one.swapped);
    assert.deepEqual(three.archive, one.archive);
  });

  it('a tile whose objects run again give new features is the full encode of its swapped features', async () => {
    const c = makeCase();
    const { archive, swapped } = await run(2);
    let checked = 0;
    for (const t of c.tiles) {
      const s = swapped.get(t.key);
      if (!t.swap || s === 'unchanged' || s === 'none') continue;
      const full = encodeTileFeatures(decodeTileBlob(Buffer.from(s!, 'hex')), layers, 12);
      assert.equal(archive.get(t.key), full!.toString('hex'), `tile ${t.key}`);
      checked++;
    }
    assert.ok(checked > 30, `${checked} tiles checked`);
  });
});
