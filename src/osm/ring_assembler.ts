/**
 * Multipolygon (and boundary) relations to polygons: member ways are joined end to
 * end by node id into closed rings, then rings are classified by containment rather
 * than by their roles (roles are often wrong in real data): a ring inside an odd
 * number of rings is a hole of the smallest ring containing it. Broken input is
 * counted in DataErrors and skipped, never thrown.
 */
import type { DataErrors } from '../core/data_errors.js';
import { bboxOfCoords, ringArea, type PolygonGeometry, type WorldBBox } from '../core/geometry.js';
import type { OsmTags } from './types.js';

export interface MemberWay {
  id: number;
  role: string;
  /** World coordinates of the way's nodes, flat [x0, y0, …] (NodeStore.wayCoords). */
  coords: Float64Array;
  /** Ids of the nodes at the ends of `coords`: rings are joined where these match. */
  firstNode: number;
  lastNode: number;
}

export interface AssembleOptions {
  /** Where unclosed/degenerate rings and contradicted roles are counted. */
  errors?: DataErrors;
}

/** Member roles that take part in an area; others (subarea, label, …) are ignored. */
const AREA_ROLES = new Set(['', 'outer', 'inner', 'exclave', 'enclave']);
const INNER_ROLES = new Set(['inner', 'enclave']);

/** Relations whose ways form an area: multipolygons and boundaries. */
export function isAreaRelation(tags: OsmTags): boolean {
  return tags.type === 'multipolygon' || tags.type === 'boundary';
}

interface Ring {
  coords: Float64Array;
  area: number;
  bbox: WorldBBox;
  /** Roles of the ways it was built from, to report contradictions. */
  roles: Set<string>;
  depth: number;
  parent: number;
}

export function assembleMultipolygon(members: MemberWay[], opts: AssembleOptions = {}): PolygonGeometry | null {
  const errors = opts.errors;
  const ways = members.filter((m) => AREA_ROLES.has(m.role) && m.coords.length >= 4);
  const rings: Ring[] = [];
  for (const chain of joinWays(ways, errors)) {
    const coords = cleanRing(chain.coords);
    const area = coords ? ringArea(coords) : 0;
    if (!coords || area === 0) {
      errors?.count('osm_degenerate_ring');
      continue;
    }
    rings.push({ coords, area: Math.abs(area), bbox: bboxOfCoords(coords), roles: chain.roles, depth: 0, parent: -1 });
  }
  if (rings.length === 0) return null;

  rings.sort((a, b) => b.area - a.area);
  // The smallest containing ring is the nearest larger one that contains it.
  for (let i = 0; i < rings.length; i++) {
    for (let j = i - 1; j >= 0; j--) {
      if (bboxContains(rings[j].bbox, rings[i].bbox) && ringInsideRing(rings[i].coords, rings[j].coords)) {
        rings[i].parent = j;
        rings[i].depth = rings[j].depth + 1;
        break;
      }
    }
  }
  const polygons: Float64Array[][] = [];
  const polygonOf = new Map<number, Float64Array[]>();
  for (let i = 0; i < rings.length; i++) {
    const r = rings[i];
    const isOuter = r.depth % 2 === 0;
    const saidInner = r.roles.size > 0 && [...r.roles].every((role) => INNER_ROLES.has(role));
    const saidOuter = [...r.roles].some((role) => role === 'outer' || role === 'exclave');
    if ((isOuter && saidInner) || (!isOuter && saidOuter && !saidInner)) errors?.count('osm_wrong_role');
    if (isOuter) {
      const p = [r.coords];
      polygons.push(p);
      polygonOf.set(i, p);
    } else {
      polygonOf.get(r.parent)!.push(r.coords);
    }
  }
  return { type: 'polygon', polygons };
}

interface Chain {
  coords: Float64Array;
  roles: Set<string>;
}

/** Joins ways into closed chains by shared end nodes, reversing ways as needed. */
function joinWays(ways: MemberWay[], errors?: DataErrors): Chain[] {
  const chains: Chain[] = [];
  const byEnd = new Map<number, number[]>();
  const addEnd = (node: number, w: number): void => {
    const list = byEnd.get(node);
    if (list) list.push(w);
    else byEnd.set(node, [w]);
  };
  for (let w = 0; w < ways.length; w++) {
    const way = ways[w];
    if (way.firstNode === way.lastNode) chains.push({ coords: way.coords, roles: new Set([way.role]) });
    else {
      addEnd(way.firstNode, w);
      addEnd(way.lastNode, w);
    }
  }
  const used = new Uint8Array(ways.length);
  const otherEnd = (way: MemberWay, node: number): number => (way.firstNode === node ? way.lastNode : way.firstNode);
  for (let w = 0; w < ways.length; w++) {
    const first = ways[w];
    if (used[w] || first.firstNode === first.lastNode) continue;
    used[w] = 1;
    // parts[i] runs up to node ends[i]; every part but the first omits its first point (the previous end).
    const parts: Float64Array[] = [first.coords];
    const ends: number[] = [first.lastNode];
    const roles: string[] = [first.role];
    const start = first.firstNode;
    let closed = false;
    for (;;) {
      const end = ends[ends.length - 1];
      if (end === start) { closed = true; break; }
      // Back at one of its own nodes (rings touching at a node): the loop becomes a ring of its own.
      const k = ends.length > 1 ? ends.lastIndexOf(end, ends.length - 2) : -1;
      if (k >= 0) {
        const loop = parts.splice(k + 1);
        ends.splice(k + 1);
        chains.push({ coords: concat([lastPoint(parts[k]), ...loop]), roles: new Set(roles.splice(k + 1)) });
        continue;
      }
      const candidates = byEnd.get(end)?.filter((c) => !used[c]) ?? [];
      if (candidates.length === 0) break;
      // At a junction, prefer the way that closes the ring.
      const next = candidates.find((c) => otherEnd(ways[c], end) === start) ?? candidates[0];
      used[next] = 1;
      const way = ways[next];
      roles.push(way.role);
      parts.push((way.firstNode === end ? way.coords : reversePoints(way.coords)).subarray(2));
      ends.push(otherEnd(way, end));
    }
    if (closed) chains.push({ coords: concat(parts), roles: new Set(roles) });
    else errors?.count('osm_unclosed_ring');
  }
  return chains;
}

function lastPoint(c: Float64Array): Float64Array {
  return c.subarray(c.length - 2);
}

function reversePoints(c: Float64Array): Float64Array {
  const out = new Float64Array(c.length);
  for (let i = 0, j = c.length - 2; j >= 0; i += 2, j -= 2) {
    out[i] = c[j];
    out[i + 1] = c[j + 1];
  }
  return out;
}

function concat(parts: Float64Array[]): Float64Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Drops consecutive repeated points and closes the ring; null when fewer than 3 distinct points remain. */
function cleanRing(c: Float64Array): Float64Array | null {
  const out = new Float64Array(c.length + 2);
  let o = 0;
  for (let i = 0; i < c.length; i += 2) {
    if (o > 0 && out[o - 2] === c[i] && out[o - 1] === c[i + 1]) continue;
    out[o++] = c[i];
    out[o++] = c[i + 1];
  }
  if (o >= 4 && (out[o - 2] !== out[0] || out[o - 1] !== out[1])) {
    out[o++] = out[0];
    out[o++] = out[1];
  }
  // A closed ring of 3 distinct points has 4 entries.
  return o >= 8 ? out.slice(0, o) : null;
}

function bboxContains(a: WorldBBox, b: WorldBBox): boolean {
  return a[0] <= b[0] && a[1] <= b[1] && a[2] >= b[2] && a[3] >= b[3];
}

/**
 * Whether ring `inner` lies inside `outer`. Rings of valid multipolygons may touch at
 * vertices, so the decision uses the first vertex of `inner` strictly inside or
 * outside `outer`, falling back to an edge midpoint.
 */
function ringInsideRing(inner: Float64Array, outer: Float64Array): boolean {
  for (let i = 0; i + 2 < inner.length; i += 2) {
    const s = pointInRing(inner[i], inner[i + 1], outer);
    if (s !== 0) return s > 0;
  }
  for (let i = 0; i + 2 < inner.length; i += 2) {
    const s = pointInRing((inner[i] + inner[i + 2]) / 2, (inner[i + 1] + inner[i + 3]) / 2, outer);
    if (s !== 0) return s > 0;
  }
  return false;
}

/** 1 inside, -1 outside, 0 on the boundary. */
function pointInRing(x: number, y: number, ring: Float64Array): number {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length; j = i, i += 2) {
    const xi = ring[i], yi = ring[i + 1], xj = ring[j], yj = ring[j + 1];
    const cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
    if (cross === 0 && Math.min(xi, xj) <= x && x <= Math.max(xi, xj) && Math.min(yi, yj) <= y && y <= Math.max(yi, yj)) return 0;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}
