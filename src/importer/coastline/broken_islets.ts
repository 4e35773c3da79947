/**
 * A broken island in the sea (a ring left unclosed by a missing way, a ring crossing
 * itself) must not cost the whole sea around it, which may be a whole coast's sea:
 * only the island is left without sea. Its place becomes a hole of the sea polygon,
 * made safe by taking more than the island can cover:
 *  - a broken closed ring: its convex hull (the land of a self-crossing ring is inside it);
 *  - an open piece with both ends inside the extent, nearly closed (the gap between its
 *    ends at most GAP_SHARE of its length): the convex hull of the piece and of an
 *    octagon around the gap, as wide as the gap is long, where the missing stretch ran.
 * When a patch would leave the sea polygon, cross or touch another island or patch,
 * or the piece is no islet (one end on the extent's edge, too wide a gap), nothing is
 * patched and the caller leaves the whole polygon out, as before.
 */
import { convexHull } from './convex_hull.js';
import { pointInRing, signedArea } from './ring_tree.js';
import { findCrossings } from './segment_crossings.js';

/** An open piece is an islet only when the gap between its ends is at most this share of its length. */
const GAP_SHARE = 0.2;

export interface HoleRing { coords: Float64Array; broken: boolean }

/** The polygon's rings with broken holes and open islets replaced by patches, or undefined when that is not safe. */
export function patchBrokenIslets(outer: Float64Array, holes: readonly HoleRing[], openIslets: readonly Float64Array[]): { rings: Float64Array[]; patches: number } | undefined {
  const patches: Float64Array[] = [];
  for (const h of holes) if (h.broken) patches.push(convexHull(h.coords));
  for (const piece of openIslets) {
    const p = openIsletPatch(piece);
    if (!p) return undefined;
    patches.push(p);
  }
  if (patches.some((p) => p.length < 8)) return undefined;
  for (const p of patches) {
    for (let i = 0; i < p.length; i += 2) if (!pointInRing(p[i], p[i + 1], outer)) return undefined;
  }
  // islands wholly under a patch are land already: dropping them keeps holes from nesting
  const kept = holes.filter((h) => !h.broken && !patches.some((p) => within(h.coords, p))).map((h) => h.coords);
  const lines = [outer, ...kept, ...patches].map((coords) => ({ coords, closed: true }));
  if (findCrossings(lines).some((f) => f === 1)) return undefined;
  return { rings: [outer, ...kept, ...patches.map(reversed)], patches: patches.length };
}

/** Whether every vertex of the ring lies inside the convex patch (so the whole ring does). */
function within(ring: Float64Array, patch: Float64Array): boolean {
  for (let i = 0; i < ring.length; i += 2) if (!pointInRing(ring[i], ring[i + 1], patch)) return false;
  return true;
}

function openIsletPatch(c: Float64Array): Float64Array | undefined {
  const n = c.length;
  let length = 0;
  for (let i = 2; i < n; i += 2) length += Math.hypot(c[i] - c[i - 2], c[i + 1] - c[i - 1]);
  const gap = Math.hypot(c[n - 2] - c[0], c[n - 1] - c[1]);
  if (!(gap <= GAP_SHARE * length)) return undefined;
  const mx = (c[0] + c[n - 2]) / 2, my = (c[1] + c[n - 1]) / 2;
  const pts = new Float64Array(n + 16);
  pts.set(c);
  for (let k = 0; k < 8; k++) {
    pts[n + 2 * k] = mx + gap * Math.cos((k * Math.PI) / 4);
    pts[n + 2 * k + 1] = my + gap * Math.sin((k * Math.PI) / 4);
  }
  return convexHull(pts);
}

/** A hole runs the other way from the outer ring (as the islands' rings do). */
function reversed(r: Float64Array): Float64Array {
  if (signedArea(r) < 0) return r;
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length; i += 2) { out[r.length - 2 - i] = r[i]; out[r.length - 1 - i] = r[i + 1]; }
  return out;
}
