/**
 * Which directions of a road segment a coordinate may snap to, given OSRM's
 * per-coordinate `bearings` and `approaches` and the request's `exclude`:
 * - a bearing `{value},{range}` keeps a direction whose heading along the snapped
 *   segment is within `range` degrees of `value` (OSRM rounds the heading first);
 * - `curb` on a road open both ways keeps the one direction that has the
 *   coordinate on its right (right-hand traffic); one-way roads are unchanged;
 * - an excluded class closes the directions that carry it.
 * A segment with no direction left is not a candidate at all, so the snap moves to
 * the nearest road that has one.
 */
import { bearing } from './geo_math.js';
import { arcClasses } from './road_classes.js';
import type { ProfileData, QueryNetwork } from './routing_data.js';

export const DIR_FORWARD = 1;
export const DIR_BACKWARD = 2;

export interface BearingFilter {
  /** Degrees clockwise from north, 0–360. */
  value: number;
  /** Degrees either side of value, 0–180. */
  range: number;
}

export type Approach = 'unrestricted' | 'curb';

export interface SnapConstraint {
  bearing?: BearingFilter;
  approach?: Approach;
  /** Road class bits no direction may carry (see road_classes.ts). */
  exclude?: number;
}

/** OSRM's bearing check: `heading` within `range` of `value`, modulo 360; a range of 180 or more takes everything. */
export function bearingMatches(heading: number, f: BearingFilter): boolean {
  if (f.range >= 180) return true;
  if (f.range < 0) return false;
  const d = Math.abs(((((Math.round(heading) - f.value) % 360) + 540) % 360) - 180);
  return d <= f.range;
}

/**
 * A function of (edge, first coordinate of its segment) to the usable directions
 * (DIR_FORWARD | DIR_BACKWARD; 0 = skip) for a query at (lon, lat).
 */
export function segmentDirections(o: { net: QueryNetwork; profile: ProfileData; lon: number; lat: number; constraint: SnapConstraint }): (edge: number, coord: number) => number {
  const { net, profile: p, lon, lat, constraint: c } = o;
  const { coordLon, coordLat, edgeClasses } = net;
  const exclude = c.exclude ?? 0;
  const curb = c.approach === 'curb';
  const bf = c.bearing;
  return (edge, coord) => {
    const fwdOpen = p.geoTail[2 * edge] >= 0;
    const bwdOpen = p.geoTail[2 * edge + 1] >= 0;
    let dirs = (fwdOpen ? DIR_FORWARD : 0) | (bwdOpen ? DIR_BACKWARD : 0);
    if (exclude) {
      if (arcClasses(edgeClasses, 2 * edge) & exclude) dirs &= ~DIR_FORWARD;
      if (arcClasses(edgeClasses, 2 * edge + 1) & exclude) dirs &= ~DIR_BACKWARD;
    }
    const x1 = coordLon[coord], y1 = coordLat[coord], x2 = coordLon[coord + 1], y2 = coordLat[coord + 1];
    if (bf && dirs) {
      const heading = bearing(x1, y1, x2, y2);
      if (!bearingMatches(heading, bf)) dirs &= ~DIR_FORWARD;
      if (!bearingMatches((heading + 180) % 360, bf)) dirs &= ~DIR_BACKWARD;
    }
    if (curb && fwdOpen && bwdOpen && dirs) {
      // Cross product of (segment, segment start → query): ≤ 0 puts the query on the
      // right of the forward direction (OSRM counts a point on the line as right).
      const right = (x2 - x1) * (lat - y1) - (y2 - y1) * (lon - x1) <= 0;
      dirs &= right ? DIR_FORWARD : DIR_BACKWARD;
    }
    return dirs;
  };
}
