import assert from 'node:assert/strict';
import { decodeGeometry, geometryMaxBytes, sortedKeys, TileFeatureStore, writeGeometryBytes } from '../../../src/importer/tile_feature_store.js';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { tileKey } from '../../../src/core/tile_math.js';

describe('importer/TileFeatureStore', () => {
  it('round-trips line, polygon and point geometry through the varint encoding', () => {
    const s = new TileFeatureStore();
    const line = { type: 2 as const, geometry: [new Int32Array([0, 0, 4096, -64, -30, 5000]), new Int32Array([7, 7, 8, 9])] };
    const poly = { type: 3 as const, geometry: [new Int32Array([0, 0, 10, 0, 10, 10, 0, 10, 0, 0])], ringsPerPolygon: [1] };
    const pt = { type: 1 as const, geometry: [new Int32Array([-100, 4200])] };
    s.add(14, 1, 2, { layer: 0, sortKey: 0, geometry: line, attrs: { a: 1 } });
    s.add(14, 1, 2, { layer: 1, sortKey: 0, geometry: poly, attrs: { b: 'x' } });
    s.add(14, 1, 2, { layer: 2, sortKey: 0, geometry: pt, attrs: {}, id: 42 });
    const out = s.take(tileKey(14, 1, 2));
    assert.deepEqual(out.map((f) => f.geometry), [line, poly, pt]);
    assert.equal(out[2].id, 42);
    assert.equal(out[0].id, undefined);
  });

  it('decodes varints of every length: deltas and counts across the whole int32 range (property)', () => {
    const r = seededRandom(8);
    const extremes = [0, 1, -1, 63, -64, 64, 8191, -8192, 2 ** 20, -(2 ** 20), 2 ** 27, -(2 ** 27), 2 ** 31 - 1, -(2 ** 31)];
    for (let t = 0; t < 200; t++) {
      const coord = (): number => (r() < 0.5 ? extremes[Math.floor(r() * extremes.length)] : Math.floor((r() - 0.5) * 2 ** (1 + r() * 31)));
      const parts = Array.from({ length: 1 + Math.floor(r() * 3) }, () => Int32Array.from({ length: 2 * (1 + Math.floor(r() * (r() < 0.1 ? 20_000 : 8))) }, coord));
      const g = r() < 0.5 ? { type: 3 as const, geometry: parts, ringsPerPolygon: [parts.length, 300, 2 ** 21].slice(0, 1 + Math.floor(r() * 3)) } : { type: 2 as const, geometry: parts };
      const buf = new Uint8Array(geometryMaxBytes(g) + 3);
      const end = writeGeometryBytes(buf, 3, g);
      assert.ok(end <= buf.length);
      assert.deepEqual(decodeGeometry(buf, 3), g);
    }
  });

  it('shares one attribute object among features with equal attributes', () => {
    const s = new TileFeatureStore();
    const g = { type: 1 as const, geometry: [new Int32Array([1, 1])] };
    s.add(10, 0, 0, { layer: 0, sortKey: 0, geometry: g, attrs: { class: 'a', n: 1 } });
    s.add(10, 0, 0, { layer: 0, sortKey: 0, geometry: g, attrs: { n: 1, class: 'a' } });
    s.add(10, 0, 0, { layer: 0, sortKey: 0, geometry: g, attrs: { n: '1', class: 'a' } });
    const [a, b, c] = s.take(tileKey(10, 0, 0));
    assert.equal(a.attrs, b.attrs);
    assert.notEqual(a.attrs, c.attrs);
  });

  it('lists tiles in zoom order and forgets a tile once taken', () => {
    const s = new TileFeatureStore();
    const g = { type: 1 as const, geometry: [new Int32Array([1, 1])] };
    s.add(3, 1, 1, { layer: 0, sortKey: 0, geometry: g, attrs: {} });
    s.add(0, 0, 0, { layer: 0, sortKey: 0, geometry: g, attrs: {} });
    s.add(3, 0, 1, { layer: 0, sortKey: 0, geometry: g, attrs: {} });
    assert.deepEqual(s.keys(), [tileKey(0, 0, 0), tileKey(3, 0, 1), tileKey(3, 1, 1)]);
    assert.equal(s.take(tileKey(3, 0, 1)).length, 1);
    assert.equal(s.take(tileKey(3, 0, 1)).length, 0);
    assert.equal(s.tileCount, 2);
  });

  it('keeps emission order as the tie-breaker after the sort key', () => {
    const s = new TileFeatureStore();
    const g = { type: 1 as const, geometry: [new Int32Array([1, 1])] };
    for (let i = 0; i < 5; i++) s.add(5, 0, 0, { layer: 0, sortKey: i % 2, geometry: g, attrs: { i } });
    const f = s.take(tileKey(5, 0, 0));
    const seqs = f.map((x) => x.seq);
    assert.deepEqual([...seqs].sort((a, b) => a - b), seqs);
  });

  it('stores geometry larger than one chunk', () => {
    const s = new TileFeatureStore();
    const big = new Int32Array(2_000_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 100000 - 50000;
    s.add(14, 0, 0, { layer: 0, sortKey: 0, geometry: { type: 2, geometry: [big] }, attrs: {} });
    const [f] = s.take(tileKey(14, 0, 0));
    assert.deepEqual(f.geometry.geometry[0], big);
  });
});

describe('importer/sortedKeys', () => {
  it('gives the keys of an attribute set as Object.keys(a).sort() does (property)', () => {
    let seed = 5;
    const r = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const names = ['class', 'subclass', 'name', 'name:de', 'name_en', 'Z', 'a', 'render_height', 'é', '_x', '10'];
    for (let n = 0; n < 500; n++) {
      const a: Record<string, number> = {};
      for (let k = Math.floor(r() * 6); k > 0; k--) a[names[Math.floor(r() * names.length)]] = k;
      assert.deepEqual(sortedKeys(a), Object.keys(a).sort());
    }
  });
});
