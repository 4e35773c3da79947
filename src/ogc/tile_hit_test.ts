/**
 * Plane geometry of a click against vector tile geometry, in tile units:
 * whether a point falls inside polygon rings, and how far it is from lines,
 * ring outlines or points.
 */

export interface XY {
  x: number;
  y: number;
}

/**
 * Inside by the even-odd rule over every ring of a feature: holes and the
 * several polygons of a multipolygon need no telling apart (valid MVT rings do
 * not cross). Rings may be closed or open.
 */
export function insideRings(rings: readonly XY[][], px: number, py: number): boolean {
  let inside = false;
  for (const ring of rings) {
    const n = ring.length;
    for (let a = 0, b = n - 1; a < n; b = a++) {
      const ya = ring[a].y, yb = ring[b].y;
      if ((ya > py) !== (yb > py)) {
        const x = ring[a].x + ((py - ya) * (ring[b].x - ring[a].x)) / (yb - ya);
        if (px < x) inside = !inside;
      }
    }
  }
  return inside;
}

function segmentDistance2(px: number, py: number, a: XY, b: XY): number {
  const dx = b.x - a.x, dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2));
  const ex = a.x + t * dx - px, ey = a.y + t * dy - py;
  return ex * ex + ey * ey;
}

/** Distance to the nearest segment of lines, or of rings when `closed` (the closing segment included). */
export function distanceToLines(parts: readonly XY[][], px: number, py: number, closed: boolean): number {
  let best = Infinity;
  for (const part of parts) {
    if (part.length === 1) best = Math.min(best, (part[0].x - px) ** 2 + (part[0].y - py) ** 2);
    for (let k = 1; k < part.length; k++) best = Math.min(best, segmentDistance2(px, py, part[k - 1], part[k]));
    if (closed && part.length > 2) best = Math.min(best, segmentDistance2(px, py, part[part.length - 1], part[0]));
  }
  return Math.sqrt(best);
}

/** Distance to the nearest of a (multi)point's points. */
export function distanceToPoints(parts: readonly XY[][], px: number, py: number): number {
  let best = Infinity;
  for (const part of parts) for (const p of part) best = Math.min(best, (p.x - px) ** 2 + (p.y - py) ** 2);
  return Math.sqrt(best);
}
