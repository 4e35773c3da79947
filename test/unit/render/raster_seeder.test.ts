import assert from 'node:assert/strict';
import { countTiles, metatilesIn } from '../../../src/render/raster_seeder.js';
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
