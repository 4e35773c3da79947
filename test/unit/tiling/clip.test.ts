import assert from 'node:assert/strict';
import { clipLine, clipPolygon, clipRing, clipLineAxis, ringCoversRect, type Rect } from '../../../src/tiling/clip.js';
import { flatRingArea } from '../../../src/tiling/simplify.js';

const R: Rect = [0, 0, 10, 10];
const arr = (a: Float64Array): number[] => Array.from(a);

describe('tiling/clip', () => {
  it('cuts a line that leaves and re-enters the rectangle into two parts', () => {
    const parts = clipLine(Float64Array.of(-5, 5, 5, 5, 5, 15, 8, 15, 8, 5, 15, 5), R);
    assert.deepEqual(parts.map(arr), [
      [0, 5, 5, 5, 5, 10],
      [8, 10, 8, 5, 10, 5],
    ]);
  });

  it('keeps a segment crossing the whole stripe in one pass', () => {
    assert.deepEqual(clipLineAxis(Float64Array.of(-10, 0, 20, 3), 0, 10, 0).map(arr), [[0, 1, 10, 2]]);
  });

  it('returns nothing for a line entirely outside', () => {
    assert.equal(clipLine(Float64Array.of(11, 0, 20, 20), R).length, 0);
  });

  it('clips a polygon with a hole, keeping the outer first and the hole', () => {
    const outer = Float64Array.of(-5, -5, 15, -5, 15, 5, -5, 5, -5, -5);
    const hole = Float64Array.of(2, 1, 2, 3, 4, 3, 4, 1, 2, 1);
    const out = clipPolygon([outer, hole], R)!;
    assert.equal(out.length, 2);
    assert.equal(Math.abs(flatRingArea(out[0])), 50);
    assert.equal(Math.abs(flatRingArea(out[1])), 4);
  });

  it('drops a hole that falls outside the rectangle', () => {
    const outer = Float64Array.of(-5, -5, 25, -5, 25, 5, -5, 5, -5, -5);
    const hole = Float64Array.of(20, 1, 20, 3, 22, 3, 22, 1, 20, 1);
    assert.equal(clipPolygon([outer, hole], R)!.length, 1);
  });

  it('turns a polygon covering the rectangle into exactly the rectangle', () => {
    const big = Float64Array.of(-100, -50, 200, -40, 150, 300, -80, 120, -100, -50);
    const r = clipRing(big, R)!;
    assert.ok(ringCoversRect(r, R));
    assert.equal(Math.abs(flatRingArea(r)), 100);
  });

  it('does not take a partly covering ring for the rectangle', () => {
    const r = clipRing(Float64Array.of(-5, -5, 15, -5, 15, 9, -5, 9, -5, -5), R)!;
    assert.equal(ringCoversRect(r, R), false);
  });

  it('leaves no area for a polygon touching only the rectangle corner', () => {
    const r = clipRing(Float64Array.of(10, 10, 20, 10, 20, 20, 10, 20, 10, 10), R);
    assert.ok(r === null || flatRingArea(r) === 0);
  });

  it('closes the clipped ring', () => {
    const r = clipRing(Float64Array.of(5, 5, 25, 5, 5, 25, 5, 5), R)!;
    assert.deepEqual([r[0], r[1]], [r[r.length - 2], r[r.length - 1]]);
    assert.ok(Math.abs(Math.abs(flatRingArea(r)) - 25) < 1e-9);
  });
});
