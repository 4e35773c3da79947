/**
 * Nesting of closed rings that do not cross: the parent of a ring is the smallest
 * ring containing it. Rings are placed largest first; a uniform grid over their
 * boxes limits each containment test to the rings whose box holds the point, so
 * a coast with 10^5 islands costs about n·log n, not n².
 */

export interface RingBox { minX: number; minY: number; maxX: number; maxY: number }

export function ringBox(c: Float64Array): RingBox {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (let i = 0; i < c.length; i += 2) {
    if (c[i] < b.minX) b.minX = c[i];
    if (c[i] > b.maxX) b.maxX = c[i];
    if (c[i + 1] < b.minY) b.minY = c[i + 1];
    if (c[i + 1] > b.maxY) b.maxY = c[i + 1];
  }
  return b;
}

export function boxHas(b: RingBox, x: number, y: number): boolean {
  return x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY;
}

export function pointInRing(x: number, y: number, r: Float64Array): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
    const yi = r[i + 1], yj = r[j + 1];
    if ((yi > y) !== (yj > y) && x < ((r[j] - r[i]) * (y - yi)) / (yj - yi) + r[i]) inside = !inside;
  }
  return inside;
}

export function signedArea(c: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 3 < c.length; i += 2) s += c[i] * c[i + 3] - c[i + 2] * c[i + 1];
  return s / 2;
}

/**
 * Parent index (into `rings`) of each ring, -1 at the top; `order` lists ring indexes largest first, so a parent
 * always comes before its children.
 */
export function nestRings(rings: readonly Float64Array[]): { parent: Int32Array; order: Int32Array; boxes: RingBox[] } {
  const n = rings.length;
  const boxes = rings.map(ringBox);
  const areas = rings.map((r) => Math.abs(signedArea(r)));
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => areas[b] - areas[a]);
  const parent = new Int32Array(n).fill(-1);
  if (n === 0) return { parent, order, boxes };
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const b of boxes) {
    minX = Math.min(minX, b.minX); minY = Math.min(minY, b.minY); maxX = Math.max(maxX, b.maxX); maxY = Math.max(maxY, b.maxY);
  }
  const side = Math.max(1, Math.min(1024, Math.ceil(Math.sqrt(n))));
  const cw = (maxX - minX) / side || 1, ch = (maxY - minY) / side || 1;
  const cell = (v: number, min: number, size: number): number => Math.min(side - 1, Math.max(0, Math.floor((v - min) / size)));
  const grid: number[][] = Array.from({ length: side * side }, () => []);
  // the rank (place in `order`) of each ring: among containing rings, the highest rank is the smallest
  const rank = new Int32Array(n);
  order.forEach((ri, k) => { rank[ri] = k; });
  for (const ri of order) {
    const r = rings[ri];
    const x = r[0], y = r[1];
    let best = -1;
    for (const cand of grid[cell(y, minY, ch) * side + cell(x, minX, cw)]) {
      if ((best < 0 || rank[cand] > rank[best]) && boxHas(boxes[cand], x, y) && pointInRing(x, y, rings[cand])) best = cand;
    }
    parent[ri] = best;
    const b = boxes[ri];
    for (let gx = cell(b.minX, minX, cw); gx <= cell(b.maxX, minX, cw); gx++) {
      for (let gy = cell(b.minY, minY, ch); gy <= cell(b.maxY, minY, ch); gy++) grid[gy * side + gx].push(ri);
    }
  }
  return { parent, order, boxes };
}
