/**
 * Which of a set of lines cross or touch themselves or each other (valid
 * coastlines never do). Segments are bucketed in a uniform grid over their
 * common bounding box, so the cost stays near linear in the number of segments;
 * only segments sharing a cell are compared. Consecutive segments of one line
 * (and the closing pair of a ring) share their common point legitimately.
 */

export interface CrossingLine {
  /** Flat [x0, y0, …]; a ring repeats its first point last. */
  coords: Float64Array;
  closed: boolean;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

/** Whether segments ab and cd have any point in common. */
export function segmentsMeet(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy), o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay), o4 = orient(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) || (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) ||
    (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) || (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by));
}

/** Flags (1 = crosses or touches something) per line. */
export function findCrossings(lines: readonly CrossingLine[]): Uint8Array {
  const flags = new Uint8Array(lines.length);
  let nSeg = 0;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const l of lines) {
    nSeg += l.coords.length / 2 - 1;
    for (let i = 0; i < l.coords.length; i += 2) {
      const x = l.coords[i], y = l.coords[i + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (nSeg <= 1) return flags;
  const side = Math.max(1, Math.min(4096, Math.ceil(Math.sqrt(nSeg / 2))));
  const cw = (maxX - minX) / side || 1, ch = (maxY - minY) / side || 1;
  const cellOf = (v: number, min: number, size: number): number => Math.min(side - 1, Math.max(0, Math.floor((v - min) / size)));
  // segment ids per cell, as linked lists in typed arrays: (line, index) packed in two arrays
  const head = new Int32Array(side * side).fill(-1);
  let cap = nSeg * 2;
  let next = new Int32Array(cap), segLine = new Int32Array(cap), segIdx = new Int32Array(cap);
  let used = 0;
  const add = (cell: number, line: number, idx: number): void => {
    if (used === cap) {
      cap *= 2;
      const g = (a: Int32Array): Int32Array<ArrayBuffer> => { const b = new Int32Array(cap); b.set(a); return b; };
      next = g(next); segLine = g(segLine); segIdx = g(segIdx);
    }
    next[used] = head[cell]; segLine[used] = line; segIdx[used] = idx;
    head[cell] = used++;
  };
  for (let li = 0; li < lines.length; li++) {
    const c = lines[li].coords;
    for (let i = 0; i + 3 < c.length; i += 2) {
      const x0 = cellOf(Math.min(c[i], c[i + 2]), minX, cw), x1 = cellOf(Math.max(c[i], c[i + 2]), minX, cw);
      const y0 = cellOf(Math.min(c[i + 1], c[i + 3]), minY, ch), y1 = cellOf(Math.max(c[i + 1], c[i + 3]), minY, ch);
      for (let gx = x0; gx <= x1; gx++) for (let gy = y0; gy <= y1; gy++) add(gy * side + gx, li, i);
    }
  }
  for (let cell = 0; cell < head.length; cell++) {
    for (let a = head[cell]; a >= 0; a = next[a]) {
      const la = segLine[a], ia = segIdx[a];
      const A = lines[la].coords;
      for (let b = next[a]; b >= 0; b = next[b]) {
        const lb = segLine[b], ib = segIdx[b];
        if (flags[la] && flags[lb]) continue;
        if (la === lb && adjacent(lines[la], ia, ib)) continue;
        const B = lines[lb].coords;
        if (segmentsMeet(A[ia], A[ia + 1], A[ia + 2], A[ia + 3], B[ib], B[ib + 1], B[ib + 2], B[ib + 3])) {
          flags[la] = 1;
          flags[lb] = 1;
        }
      }
    }
  }
  return flags;
}

function adjacent(line: CrossingLine, i: number, j: number): boolean {
  if (Math.abs(i - j) === 2) return true;
  if (i === j) return true;
  const lastSeg = line.coords.length - 4;
  return line.closed && ((i === 0 && j === lastSeg) || (j === 0 && i === lastSeg));
}
