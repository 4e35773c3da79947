/**
 * The outline of the data when the import is given no extent (no --bbox, no --clip).
 * A polygon-cut extract (Geofabrik's, `osmium extract -p`) has coastline that stops
 * where the cut was, well inside the nodes' bounding box; only an outline that runs
 * near those ends lets the sea be closed along the cut. The outline is the convex
 * hull of every node, and of the file header's box when that box is plausible (it
 * is the cut polygon's envelope in Geofabrik files, and covers sea holding no node).
 * It is made conservative and cheap: nodes are gathered in columns of longitude, and
 * the hull is taken over the corners of each column's box, so it holds every node
 * strictly inside (at most a column's width beyond it) for one pass over the coordinates.
 */
import { latToY, lonToX } from '../../core/tile_math.js';
import { convexHull } from './convex_hull.js';
import { signedArea } from './ring_tree.js';

export interface LonLatPoints {
  readonly size: number;
  lon(i: number): number;
  lat(i: number): number;
}

const COLUMNS = 1024;
/**
 * The outline keeps this far (world units, about 0.4 m) outside every node: a node on it (the tip of an island in
 * an island extract) would be neither in nor out, and its ring would be taken as crossing the outline.
 */
const CLEARANCE = 1e-8;
const MAX_LAT = 85.05112878;

type Box = [number, number, number, number];

/**
 * Clockwise ring (positive shoelace area in world coordinates, y south) around every point and the plausible
 * header boxes; undefined when the points span no area.
 */
export function dataOutline(points: LonLatPoints, headerBoxes: readonly (Box | undefined)[] = []): Float64Array | undefined {
  const n = points.size;
  let w = Infinity, e = -Infinity, s = Infinity, no = -Infinity;
  for (let i = 0; i < n; i++) {
    const lon = points.lon(i), lat = points.lat(i);
    if (lon < w) w = lon;
    if (lon > e) e = lon;
    if (lat < s) s = lat;
    if (lat > no) no = lat;
  }
  if (!(e > w) || !(no > s)) return undefined;
  const width = (e - w) / COLUMNS;
  const lo = new Float64Array(COLUMNS).fill(Infinity), hi = new Float64Array(COLUMNS).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const c = Math.min(COLUMNS - 1, Math.floor((points.lon(i) - w) / width));
    const lat = points.lat(i);
    if (lat < lo[c]) lo[c] = lat;
    if (lat > hi[c]) hi[c] = lat;
  }
  const xy: number[] = [];
  for (let c = 0; c < COLUMNS; c++) {
    if (lo[c] > hi[c]) continue;
    const x0 = lonToX(w + c * width) - CLEARANCE, x1 = lonToX(Math.min(e, w + (c + 1) * width)) + CLEARANCE;
    const yS = latToY(lo[c]) + CLEARANCE, yN = latToY(hi[c]) - CLEARANCE;
    xy.push(x0, yN, x1, yN, x0, yS, x1, yS);
  }
  for (const b of headerBoxes) {
    if (!b || !plausible(b, [w, s, e, no])) continue;
    const [bw, bs, be, bn] = b;
    xy.push(lonToX(bw), latToY(bn), lonToX(be), latToY(bn), lonToX(bw), latToY(bs), lonToX(be), latToY(bs));
  }
  const hull = convexHull(Float64Array.from(xy));
  return signedArea(hull) > 0 ? hull : undefined;
}

/**
 * A header box is taken only when it is a real box that mostly holds data: files carry bogus ones
 * (0,0,180,90), and a box far larger than the nodes' extent would put sea where nothing was read.
 */
function plausible(b: Box, nodes: Box): boolean {
  const [w, s, e, n] = b;
  if (!(w >= -180 && e <= 180 && s >= -MAX_LAT && n <= MAX_LAT && e > w && n > s)) return false;
  const iw = Math.max(w, nodes[0]), is = Math.max(s, nodes[1]), ie = Math.min(e, nodes[2]), iN = Math.min(n, nodes[3]);
  if (ie <= iw || iN <= is) return false;
  const inter = (ie - iw) * (iN - is);
  return inter >= 0.5 * (e - w) * (n - s) && inter >= 0.25 * (nodes[2] - nodes[0]) * (nodes[3] - nodes[1]);
}
