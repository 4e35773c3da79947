import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTileFilter, readClipOutline } from '../../../src/importer/tile_bounds_filter.js';
import { lonLatToTile } from '../../../src/core/tile_math.js';
import { tempDir } from '../../helpers/paths.js';

describe('importer/tile bounds filter', () => {
  it('keeps tiles intersecting the bbox and drops the others', () => {
    const f = makeTileFilter([7.3, 47.7, 7.4, 47.8]);
    const t = lonLatToTile(7.35, 47.75, 14);
    assert.equal(f(14, t.x, t.y), true);
    assert.equal(f(14, t.x + 50, t.y), false);
    assert.equal(f(0, 0, 0), true);
  });

  it('drops tiles inside the bbox but outside a clip outline', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'tri.geojson');
      // a triangle covering the south-west half of the box
      fs.writeFileSync(file, JSON.stringify({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[7, 47], [8, 47], [7, 48], [7, 47]]] } }));
      const clip = readClipOutline(file);
      assert.deepEqual(clip.bounds, [7, 47, 8, 48]);
      const f = makeTileFilter(clip.bounds, clip.polygon);
      const sw = lonLatToTile(7.1, 47.1, 12), ne = lonLatToTile(7.9, 47.9, 12);
      assert.equal(f(12, sw.x, sw.y), true);
      assert.equal(f(12, ne.x, ne.y), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a clip file without polygons', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'pt.geojson');
      fs.writeFileSync(file, JSON.stringify({ type: 'Point', coordinates: [7, 47] }));
      assert.throws(() => readClipOutline(file), /no Polygon/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
