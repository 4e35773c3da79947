/**
 * Open coastline ends at the edge of the data: where a polygon-cut extract was cut.
 * When the import is given no extent, the outline is derived from the data
 * (data_outline.ts), and a coastline that leaves the cut polygon stops a little way
 * past it (osmium keeps whole ways), inside that outline. Such an end is joined to the
 * nearest point of the outline by a straight segment, so the piece crosses the outline
 * and the sea is closed along it with the usual rule (water on the right).
 *
 * An end is taken as a cut only when it is near the outline and nearer to it than to
 * any other open end: a gap in the middle of a coast (a missing way) has its two ends
 * close together and far from the edge, and stays an error that floods nothing.
 * Whatever is joined is still checked afterwards like any coastline (crossings, order
 * of the pieces along the outline, broken pieces leave their sea out).
 */
import type { ExtentPiece, SeaExtent } from './sea_extent.js';

export interface OpenEndRule {
  /** Farthest an end may lie from the outline, in world units. */
  maxDistance: number;
}

interface End { piece: number; atStart: boolean; x: number; y: number }

/** Joins the pieces' open ends that are cuts to the outline (in place); returns how many ends were joined. */
export function attachCutEnds(pieces: ExtentPiece[], extent: SeaExtent, rule: OpenEndRule): number {
  const ends: End[] = [];
  pieces.forEach((p, i) => {
    const c = p.coords;
    if (p.startT === undefined) ends.push({ piece: i, atStart: true, x: c[0], y: c[1] });
    if (p.endT === undefined) ends.push({ piece: i, atStart: false, x: c[c.length - 2], y: c[c.length - 1] });
  });
  const other = nearestOtherDistances(ends);
  const joins = ends.map((e, k) => {
    const q = extent.nearest(e.x, e.y);
    return q.distance <= rule.maxDistance && q.distance < other[k] ? q : undefined;
  });
  let joined = 0;
  ends.forEach((e, k) => {
    const q = joins[k];
    if (!q) return;
    const p = pieces[e.piece];
    const c = p.coords;
    const moved = q.distance > 0;
    if (e.atStart) {
      if (moved) p.coords = prepend(c, q.x, q.y);
      p.startT = q.t;
    } else {
      if (moved) p.coords = append(c, q.x, q.y);
      p.endT = q.t;
    }
    joined++;
  });
  return joined;
}

/** For each end, the distance to the nearest other end (ends sorted by x; each scans outwards until x alone is too far). */
function nearestOtherDistances(ends: End[]): Float64Array {
  const out = new Float64Array(ends.length).fill(Infinity);
  const order = Int32Array.from({ length: ends.length }, (_, i) => i).sort((a, b) => ends[a].x - ends[b].x);
  for (let a = 0; a < order.length; a++) {
    const ea = ends[order[a]];
    for (const step of [1, -1]) {
      for (let b = a + step; b >= 0 && b < order.length; b += step) {
        const eb = ends[order[b]];
        if (Math.abs(eb.x - ea.x) >= out[order[a]]) break;
        out[order[a]] = Math.min(out[order[a]], Math.hypot(eb.x - ea.x, eb.y - ea.y));
      }
    }
  }
  return out;
}

function prepend(c: Float64Array, x: number, y: number): Float64Array {
  const out = new Float64Array(c.length + 2);
  out[0] = x;
  out[1] = y;
  out.set(c, 2);
  return out;
}

function append(c: Float64Array, x: number, y: number): Float64Array {
  const out = new Float64Array(c.length + 2);
  out.set(c);
  out[c.length] = x;
  out[c.length + 1] = y;
  return out;
}
