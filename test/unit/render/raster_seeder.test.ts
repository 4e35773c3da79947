import assert from 'node:assert/strict';
import { countTiles, metatilesIn, seedTiles } from '../../../src/render/raster_seeder.js';
import { tileRange, type Bounds } from '../../../src/core/tile_math.js';

const MULHOUSE: Bounds = [7.30, 47.73, 7.37, 47.77];

describe('seeding plan', () => {
  it('covers every tile of the area exactly once, grouped by metatile', () => {
    const seen = new Set<string>();
    for (const m of metatilesIn(MULHOUSE, 14, 4)) for (const [x, y] of m.tiles) {
      const k = `${x}/${y}`;
      assert.ok(!seen.has(k), `tile ${k} twice`);
      seen.add(k);
      assert.equal(m.x0 % 4, 0);
      assert.ok(x >= m.x0 && x < m.x0 + 4 && y >= m.y0 && y < m.y0 + 4);
    }
    const r = tileRange(MULHOUSE, 14);
    assert.equal(seen.size, (r.maxX - r.minX + 1) * (r.maxY - r.minY + 1));
  });

  it('counts the tiles of a zoom range', () => {
    let expected = 0;
    for (let z = 10; z <= 14; z++) {
      const r = tileRange(MULHOUSE, z);
      expected += (r.maxX - r.minX + 1) * (r.maxY - r.minY + 1);
    }
    assert.equal(countTiles(MULHOUSE, [10, 14], 4), expected);
  });

  it('leaves out tiles the clip filter refuses, and metatiles left empty', () => {
    const all = [...metatilesIn(MULHOUSE, 14, 4)].length;
    const none = [...metatilesIn(MULHOUSE, 14, 4, () => false)].length;
    const even = countTiles(MULHOUSE, [14, 14], 4, (_z, x) => x % 2 === 0);
    assert.ok(all > 0);
    assert.equal(none, 0);
    assert.ok(even > 0 && even < countTiles(MULHOUSE, [14, 14], 4));
  });
});

describe('seeding (seedTiles)', () => {
  const style = { id: 's', style: {}, styleKey: 'k', dataVersion: 'v1', minzoom: 0, maxzoom: 22 };
  const keyOf = (_s: unknown, r: { z: number; x: number; y: number }) => ({ sourceId: 's', version: 'v1', z: r.z, x: r.x, y: r.y, variant: '256@1x.png' });

  it('asks each metatile only for the tiles still missing, and counts what was stored', async () => {
    const r = tileRange(MULHOUSE, 14);
    // every third tile of the area is already stored for this data version
    const stored = new Set<string>();
    for (let x = r.minX; x <= r.maxX; x++) for (let y = r.minY; y <= r.maxY; y++) if ((x + y) % 3 === 0) stored.add(`${x}/${y}`);
    const asked: [number, number][][] = [];
    const disk = { info: (k: { x: number; y: number }) => (stored.has(`${k.x}/${k.y}`) ? { version: 'v1', created: Date.now() } : undefined) };
    const service = {
      keyOf,
      renderMetatile: async (_s: unknown, _r: unknown, o: { only?: [number, number][] }) => {
        asked.push(o.only!);
        return new Map(o.only!.map(([x, y]) => [`${x}/${y}`, {}]));
      },
    };
    const summary = await seedTiles({ service: service as never, disk: disk as never, style, bounds: MULHOUSE, zooms: [14, 14], scales: [1], format: 'png', tileSize: 256, metaSize: 4, concurrency: 2 });
    const all = countTiles(MULHOUSE, [14, 14], 4);
    const flat = asked.flat().map(([x, y]) => `${x}/${y}`);
    assert.equal(new Set(flat).size, flat.length, 'a tile asked twice');
    assert.ok(flat.every((k) => !stored.has(k)), 'a stored tile was rendered again');
    assert.equal(flat.length + stored.size, all);
    assert.deepEqual([summary.rendered, summary.skipped, summary.failed], [flat.length, stored.size, 0]);
  });

  it('counts the tiles a render did not return as failed', async () => {
    const service = { keyOf, renderMetatile: async (_s: unknown, _r: unknown, o: { only?: [number, number][] }) => new Map(o.only!.slice(1).map(([x, y]) => [`${x}/${y}`, {}])) };
    const summary = await seedTiles({ service: service as never, disk: { info: () => undefined } as never, style, bounds: MULHOUSE, zooms: [14, 14], scales: [1], format: 'png', tileSize: 256, metaSize: 4, concurrency: 1 });
    assert.equal(summary.failed, summary.metatiles);
    assert.equal(summary.rendered + summary.failed, countTiles(MULHOUSE, [14, 14], 4));
  });
});
