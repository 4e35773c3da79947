/**
 * The reference grid of a plan: columns lettered A, B, … (then AA, AB, …) from
 * the west, rows numbered from 1 at the north, cells dividing the map frame
 * exactly; and which cells a street line crosses.
 */
import type { MercBox } from './plan_scale.js';

export interface PlanGrid {
  cols: number;
  rows: number;
  merc: MercBox;
}

/** A, B, …, Z, AA, AB, … */
export function columnLabel(i: number): string {
  let s = '';
  let n = i + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function squareLabel(col: number, row: number): string {
  return `${columnLabel(col)}${row + 1}`;
}

/** Cells of about `cellMm` on paper, at least one per side. */
export function makeGrid(merc: MercBox, frame: { widthMm: number; heightMm: number }, cellMm: number): PlanGrid {
  return {
    cols: Math.max(1, Math.round(frame.widthMm / cellMm)),
    rows: Math.max(1, Math.round(frame.heightMm / cellMm)),
    merc,
  };
}

/** Orders squares column first (A1, A2, B1, …), as city-plan indexes list them. */
export function compareSquares(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Liang–Barsky: the parameter range of segment p→q inside the box, or undefined. */
function clipSegment(p: [number, number], q: [number, number], b: MercBox): [number, number] | undefined {
  let t0 = 0, t1 = 1;
  const dx = q[0] - p[0], dy = q[1] - p[1];
  const checks: [number, number][] = [[-dx, p[0] - b.x0], [dx, b.x1 - p[0]], [-dy, p[1] - b.y0], [dy, b.y1 - p[1]]];
  for (const [pp, qq] of checks) {
    if (pp === 0) {
      if (qq < 0) return undefined;
    } else {
      const r = qq / pp;
      if (pp < 0) {
        if (r > t1) return undefined;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return undefined;
        if (r < t1) t1 = r;
      }
    }
  }
  return t0 <= t1 ? [t0, t1] : undefined;
}

/**
 * Adds to `into` the cells (`col,row` keys) the polyline crosses inside the grid:
 * each segment is clipped to the frame, cut where it crosses grid lines, and
 * each piece is assigned the cell of its midpoint.
 */
export function addSquaresCrossed(line: readonly [number, number][], grid: PlanGrid, into: Set<string>): void {
  const { merc, cols, rows } = grid;
  const cw = (merc.x1 - merc.x0) / cols, ch = (merc.y1 - merc.y0) / rows;
  for (let i = 1; i < line.length; i++) {
    const p = line[i - 1], q = line[i];
    const range = clipSegment(p, q, merc);
    if (!range) continue;
    const [ta, tb] = range;
    const dx = q[0] - p[0], dy = q[1] - p[1];
    const ts = [ta, tb];
    if (dx !== 0) {
      for (let c = 1; c < cols; c++) {
        const t = (merc.x0 + c * cw - p[0]) / dx;
        if (t > ta && t < tb) ts.push(t);
      }
    }
    if (dy !== 0) {
      for (let r = 1; r < rows; r++) {
        const t = (merc.y0 + r * ch - p[1]) / dy;
        if (t > ta && t < tb) ts.push(t);
      }
    }
    ts.sort((a, b) => a - b);
    for (let k = 1; k < ts.length; k++) {
      const tm = ts[k - 1] === ts[k] ? ts[k] : (ts[k - 1] + ts[k]) / 2;
      const x = p[0] + dx * tm, y = p[1] + dy * tm;
      const col = Math.min(cols - 1, Math.max(0, Math.floor((x - merc.x0) / cw)));
      const row = Math.min(rows - 1, Math.max(0, Math.floor((y - merc.y0) / ch)));
      into.add(`${col},${row}`);
    }
  }
}

/** The cell holding a point, or undefined outside the frame. */
export function squareOfPoint(x: number, y: number, grid: PlanGrid): [number, number] | undefined {
  const { merc, cols, rows } = grid;
  if (x < merc.x0 || x > merc.x1 || y < merc.y0 || y > merc.y1) return undefined;
  const col = Math.min(cols - 1, Math.floor(((x - merc.x0) / (merc.x1 - merc.x0)) * cols));
  const row = Math.min(rows - 1, Math.floor(((y - merc.y0) / (merc.y1 - merc.y0)) * rows));
  return [col, row];
}
