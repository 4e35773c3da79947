import assert from 'node:assert/strict';
import { applyLabelGrid } from '../../../src/tiling/label_grid.js';
import type { TileGeometry } from '../../../src/tiling/feature_tiler.js';

const pt = (x: number, y: number): TileGeometry => ({ type: 1, geometry: [Int32Array.of(x, y)] });

describe('tiling/label_grid', () => {
  it('keeps the best-ranked points of a cell up to the limit', () => {
    const fs = [
      { name: 'c', sortKey: 3, geometry: pt(10, 10) },
      { name: 'a', sortKey: 1, geometry: pt(20, 20) },
      { name: 'b', sortKey: 2, geometry: pt(30, 30) },
    ];
    const out = applyLabelGrid(fs, { sizePx: 64, limit: 2 });
    assert.deepEqual(out.map((f) => f.name), ['a', 'b']);
  });

  it('counts each cell separately', () => {
    // 64 px cells = 1024 units at extent 4096.
    const fs = [
      { name: 'a', sortKey: 1, geometry: pt(100, 100) },
      { name: 'b', sortKey: 2, geometry: pt(1100, 100) },
      { name: 'c', sortKey: 3, geometry: pt(200, 100) },
    ];
    assert.deepEqual(applyLabelGrid(fs, { sizePx: 64, limit: 1 }).map((f) => f.name), ['a', 'b']);
  });

  it('ranks with a custom key and keeps input order in the output', () => {
    const fs = [
      { name: 'small', pop: 10, geometry: pt(10, 10) },
      { name: 'big', pop: 1000, geometry: pt(20, 20) },
      { name: 'mid', pop: 100, geometry: pt(30, 30) },
    ];
    const out = applyLabelGrid(fs, { sizePx: 256, limit: 2 }, (f) => -f.pop);
    assert.deepEqual(out.map((f) => f.name), ['big', 'mid']);
  });

  it('lets non-point features through', () => {
    const line: TileGeometry = { type: 2, geometry: [Int32Array.of(0, 0, 10, 10)] };
    const out = applyLabelGrid([{ geometry: pt(1, 1) }, { geometry: pt(2, 2) }, { geometry: line }], { sizePx: 256, limit: 1 });
    assert.equal(out.length, 2);
    assert.equal(out[1].geometry.type, 2);
  });
});
