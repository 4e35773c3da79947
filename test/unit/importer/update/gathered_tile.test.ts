/**
 * An update encodes again only the layers of a tile whose features changed and copies the
 * others from the stored tile: the result must be the very tile a full encode of the new
 * features gives, whatever the zoom (merging, label grids) and whichever layers changed.
 */
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import type { TileFeature } from '../../../../src/importer/tile_feature_store.js';
import { encodeTileFeatures } from '../../../../src/importer/tile_encoder.js';
import { encodeGathered } from '../../../../src/importer/update/gathered_tile.js';
import { canonicalOrder, decodeTileBlob, encodeTileBlob, replaceSources } from '../../../../src/importer/update/tile_feature_blob.js';
import { osmKey } from '../../../../src/importer/update/source_key.js';
import { createProfile } from '../../../../src/schema/profiles.js';
import { seededRandom as rng } from '../../../../src/core/seeded_random.js';

const layers = createProfile('openmaptiles').layers;

/** Features that merge and thin: few layers, few attribute sets, touching squares and lines on a coarse grid. */
function feature(r: () => number, src: number, seq: number): TileFeature {
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const layer = [0, 1, 3, 8, 10, 11, 14][int(0, 6)];
  const type = int(1, 3) as 1 | 2 | 3;
  const x = int(0, 7) * 512, y = int(0, 7) * 512;
  const geometry = type === 1 ? [Int32Array.from([x + 7, y + 9])]
    : type === 2 ? [Int32Array.from([x, y, x + 512, y, x + 512, y + int(1, 2) * 512])]
      : [Int32Array.from([x, y, x + 512, y, x + 512, y + 512, x, y + 512, x, y])];
  return {
    layer, sortKey: int(0, 2), seq, attrs: [{ class: 'a' }, { class: 'b', name: `N${int(0, 2)}` }][int(0, 1)],
    geometry: { type, geometry, ...(type === 3 ? { ringsPerPolygon: [1] } : {}) },
    id: r() < 0.5 ? undefined : int(1, 1000),
    labelGrid: type === 1 && r() < 0.5 ? { sizePx: 128, limit: 1, rankAttr: 'rank' } : undefined,
    src,
  };
}

describe('update/gathered_tile', () => {
  it('a tile made from its changed layers and the stored tile\'s others is the full encode of the new features (property)', () => {
    const r = rng(2018);
    let spliced = 0, partial = 0, unchanged = 0;
    for (let t = 0; t < 400; t++) {
      const z = [4, 6, 9, 12, 13, 14][t % 6];
      const srcs = Array.from({ length: 2 + Math.floor(r() * 8) }, (_, i) => osmKey('way', i + 1));
      const old = canonicalOrder(srcs.flatMap((src) => Array.from({ length: Math.floor(r() * 5) }, () => feature(r, src, 0))).map((f, i) => ({ ...f, seq: i })));
      const blob = encodeTileBlob(old);
      const stored = encodeTileFeatures(decodeTileBlob(blob), layers, z);
      const replaced = new Set(srcs.filter(() => r() < 0.3));
      // the replaced objects' new features: mostly the same ones, some changed (an attribute, a layer, gone, added)
      const fresh = canonicalOrder(old.filter((f) => replaced.has(f.src!)).flatMap((f, i) => {
        const k = r();
        if (k < 0.6) return [{ ...f, seq: i, attrs: { ...f.attrs } }];
        if (k < 0.7) return [];
        if (k < 0.8) return [{ ...f, seq: i }, { ...feature(r, f.src!, 0), seq: i + 0.5 }];
        return [{ ...feature(r, f.src!, 0), seq: i }];
      }));
      const swapped = replaceSources(blob, replaced, fresh);
      if (swapped === 'unchanged') {
        unchanged++;
        const expected = canonicalOrder([...old.filter((f) => !replaced.has(f.src!)), ...fresh]).map((f, i) => ({ ...f, seq: i }));
        assert.deepEqual(encodeTileFeatures(expected, layers, z), stored, 'a tile said unchanged encodes as before');
        continue;
      }
      if (!swapped.blob) continue;
      const full = encodeTileFeatures(decodeTileBlob(swapped.blob), layers, z);
      const previous = stored && zlib.gzipSync(stored);
      const got = encodeGathered(swapped.blob, { layers: swapped.layers, previous }, { layers, z });
      assert.deepEqual(got, full, `tile ${t} (z${z}, layers ${swapped.layers.join(',')} changed) spliced differs from a full encode`);
      // archives may store tiles uncompressed
      assert.deepEqual(encodeGathered(swapped.blob, { layers: swapped.layers, previous: stored }, { layers, z }), full, `tile ${t}: spliced from an uncompressed stored tile`);
      spliced++;
      const present = new Set(decodeTileBlob(swapped.blob).map((f) => f.layer));
      if (swapped.layers.length < present.size) partial++;
    }
    assert.ok(spliced > 100 && partial > 50 && unchanged > 20, `cases covered: ${spliced} spliced (${partial} keeping layers), ${unchanged} unchanged`);
  });
});
