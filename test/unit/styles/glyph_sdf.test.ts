import { strict as assert } from 'node:assert';
import { computeSdf } from '../../../src/styles/glyph_sdf.js';

/** A w×h mask (with a 3 px empty border) whose inner square [x0,x1)×[y0,y1) is fully covered. */
function squareMask(size: number, x0: number, x1: number): Uint8Array {
  const a = new Uint8Array(size * size);
  for (let y = x0; y < x1; y++) for (let x = x0; x < x1; x++) a[y * size + x] = 255;
  return a;
}

const opts = { width: 20, height: 20, buffer: 3, radius: 8, cutoff: 0.25 };

describe('computeSdf', () => {
  it('puts the edge near 255·(1 − cutoff), inside above it and outside below it', () => {
    const sdf = computeSdf({ alpha: squareMask(20, 5, 15), ...opts });
    const at = (x: number, y: number) => sdf[y * 20 + x];
    assert.ok(at(10, 10) > 191, `centre ${at(10, 10)}`);
    assert.ok(at(1, 10) < 191, `outside ${at(1, 10)}`);
    // Pixel 5 is the first covered pixel, pixel 4 the last empty one: the edge lies between.
    assert.ok(at(5, 10) >= 191 && at(4, 10) < 191, `edge ${at(4, 10)} | ${at(5, 10)}`);
  });

  it('decreases monotonically from the shape outwards', () => {
    const sdf = computeSdf({ alpha: squareMask(20, 5, 15), ...opts });
    const row = Array.from(sdf.slice(10 * 20, 10 * 20 + 10));
    for (let x = 1; x < row.length; x++) assert.ok(row[x] >= row[x - 1], `row not increasing towards the centre: ${row.join(',')}`);
  });

  it('scales distance by the radius: one pixel further out is 255/radius lower', () => {
    const sdf = computeSdf({ alpha: squareMask(20, 5, 15), ...opts });
    const d = sdf[10 * 20 + 3] - sdf[10 * 20 + 2];
    assert.ok(Math.abs(d - 255 / 8) <= 1, `step ${d}`);
  });

  it('treats partial coverage as a sub-pixel edge', () => {
    const full = squareMask(20, 5, 15);
    const half = squareMask(20, 5, 15);
    for (let y = 5; y < 15; y++) half[y * 20 + 4] = 128;
    const a = computeSdf({ alpha: full, ...opts })[10 * 20 + 4];
    const b = computeSdf({ alpha: half, ...opts })[10 * 20 + 4];
    assert.ok(b > a, `half-covered pixel ${b} should read closer to inside than an empty one ${a}`);
  });
});
