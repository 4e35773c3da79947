import assert from 'node:assert/strict';
import { addSquaresCrossed, columnLabel, makeGrid, squareLabel, squareOfPoint } from '../../../src/print/plan_grid.js';

describe('print/plan_grid', () => {
  const grid = makeGrid({ x0: 0, y0: 0, x1: 4, y1: 3 }, { widthMm: 400, heightMm: 300 }, 100);

  it('labels columns A…Z then AA, AB and rows from 1', () => {
    assert.deepEqual([columnLabel(0), columnLabel(25), columnLabel(26), columnLabel(27)], ['A', 'Z', 'AA', 'AB']);
    assert.equal(squareLabel(1, 2), 'B3');
  });
  it('divides the frame into cells of about the asked size', () => {
    assert.deepEqual([grid.cols, grid.rows], [4, 3]);
  });
  it('a horizontal line crosses every cell of its row inside the frame', () => {
    const s = new Set<string>();
    addSquaresCrossed([[-1, 1.5], [5, 1.5]], grid, s);
    assert.deepEqual([...s].sort(), ['0,1', '1,1', '2,1', '3,1']);
  });
  it('a diagonal line crosses the cells it passes through, not their neighbours', () => {
    const s = new Set<string>();
    addSquaresCrossed([[0.5, 0.2], [2.5, 1.2]], grid, s);
    // y = 0.2 + (x - 0.5) / 2: crosses y = 1 at x = 2.1
    assert.deepEqual([...s].sort(), ['0,0', '1,0', '2,0', '2,1']);
  });
  it('a line outside the frame crosses nothing', () => {
    const s = new Set<string>();
    addSquaresCrossed([[5, 5], [6, 7]], grid, s);
    assert.equal(s.size, 0);
  });
  it('a point is in one square, or none outside the frame', () => {
    assert.deepEqual(squareOfPoint(3.5, 0.1, grid), [3, 0]);
    assert.equal(squareOfPoint(4.5, 0.1, grid), undefined);
  });
});
