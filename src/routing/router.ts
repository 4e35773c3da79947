/**
 * Queries on a loaded routing graph: snapping, one leg between two snapped points
 * (with alternatives), and duration/distance tables. Answers are path pieces
 * (edge, direction, coordinates, distance, duration) that the OSRM formatter turns
 * into geometry and steps.
 */
import { TuilerieError } from '../core/errors.js';
import { ChQuery, type SearchEndpoint } from './ch_query.js';
import { ChTable, type TableEndpoint } from './ch_table.js';
import { FilteredSearch } from './filtered_search.js';
import { arcClasses } from './road_classes.js';
import { WEIGHT_PER_SECOND } from './road_network.js';
import type { ProfileData, RoutingData } from './routing_data.js';
import type { ProfileName } from './routing_profiles.js';
import { SegmentIndex, type Snap } from './segment_index.js';
import { DIR_BACKWARD, DIR_FORWARD, segmentDirections, type SnapConstraint } from './snap_filter.js';

export interface PathPiece {
  edge: number;
  forward: boolean;
  /** [lon, lat] pairs in travel order. */
  coords: Array<[number, number]>;
  distance: number;
  duration: number;
}

export interface LegPath {
  /** Tenths of a second, as the graph counts them. */
  weight: number;
  distance: number;
  duration: number;
  pieces: PathPiece[];
}

export interface SnapOptions {
  /** How many edges (one snap each), nearest first; default 1. */
  count?: number;
  /** Prefer the main network (see snap()). */
  mainNetwork?: boolean;
  constraint?: SnapConstraint;
}

export interface LegOptions {
  /** How many alternatives to look for besides the fastest path. */
  alternatives?: number;
  /** Road class bits the path must not use (the snaps must already avoid them). */
  exclude?: number;
}

export interface RouterOptions {
  /** Farthest a coordinate may be from a road it snaps to, metres (OSRM has no limit by default; we keep one). */
  maxSnapDistance?: number;
}

export class Router {
  readonly index: SegmentIndex;
  private readonly queries = new Map<ProfileName, ChQuery>();
  private readonly tables = new Map<ProfileName, ChTable>();
  /** Second query state for alternatives' checks (the first holds the search being mined). */
  private readonly tQueries = new Map<ProfileName, ChQuery>();
  /** Class-filtered searches for `exclude=`, built on first use. */
  private readonly filtered = new Map<ProfileName, FilteredSearch>();
  readonly maxSnapDistance: number;
  /** Number of edges at each junction (maneuvers count exits with it). */
  readonly nodeDegree: Uint16Array;

  constructor(readonly data: RoutingData, opts: RouterOptions = {}) {
    this.index = new SegmentIndex(data.network);
    this.maxSnapDistance = opts.maxSnapDistance ?? 1000;
    const n = data.network;
    this.nodeDegree = new Uint16Array(n.nodeCount);
    for (let e = 0; e < n.edgeCount; e++) {
      this.nodeDegree[n.edgeFrom[e]]++;
      this.nodeDegree[n.edgeTo[e]]++;
    }
  }

  profile(name: ProfileName): ProfileData {
    const p = this.data.profiles.get(name);
    if (!p) throw new TuilerieError('BAD_REQUEST', `profile "${name}" is not in this routing graph`);
    return p;
  }

  private query(name: ProfileName): ChQuery {
    let q = this.queries.get(name);
    if (!q) this.queries.set(name, (q = new ChQuery(this.profile(name).ch)));
    return q;
  }

  private filteredSearch(p: ProfileData): FilteredSearch {
    let s = this.filtered.get(p.name);
    if (!s) this.filtered.set(p.name, (s = new FilteredSearch(p, this.data.network.edgeClasses, this.data.network.edgeLength)));
    return s;
  }

  /**
   * Snaps to the nearest edges open to the profile in at least one direction that
   * the constraint (bearing, approach, excluded classes) leaves usable. With
   * `mainNetwork`, edges of the main network are preferred within the snapping
   * distance; islands only when nothing else is near (OSRM does the same).
   */
  snap(profile: ProfileName, lon: number, lat: number, opts: SnapOptions = {}): Snap[] {
    const { count = 1, mainNetwork = false, constraint = {} } = opts;
    const p = this.profile(profile);
    const open = (e: number): boolean => p.geoTail[2 * e] >= 0 || p.geoTail[2 * e + 1] >= 0;
    const constrained = constraint.bearing !== undefined || constraint.approach === 'curb' || (constraint.exclude ?? 0) !== 0;
    const directions = constrained ? segmentDirections({ net: this.data.network, profile: p, lon, lat, constraint }) : undefined;
    const main = p.mainEdge;
    if (mainNetwork && main) {
      const found = this.index.nearest(lon, lat, { accept: (e) => main[e] === 1 && open(e), directions, count, maxDistance: this.maxSnapDistance });
      if (found.length) return found;
    }
    return this.index.nearest(lon, lat, { accept: open, directions, count, maxDistance: this.maxSnapDistance });
  }

  /**
   * Fastest path from a to b, then up to `alternatives` different ones; [] when b
   * cannot be reached. With `exclude`, the hierarchy answers first: when its path
   * uses no excluded class it is also the fastest of the paths that avoid them;
   * otherwise the class-filtered search does, without alternatives.
   */
  leg(profile: ProfileName, a: Snap, b: Snap, opts: LegOptions = {}): LegPath[] {
    const { alternatives = 0, exclude = 0 } = opts;
    const p = this.profile(profile);
    const q = this.query(profile);
    const sources = this.sourcesOf(p, a);
    const targets = this.targetsOf(p, b);
    const direct = this.direct(p, a, b);
    const slack = alternatives > 0 ? 1.3 : 1;
    const r = q.shortest(sources, targets, slack);
    const results: LegPath[] = [];
    if (r && (!direct || r.weight < direct.weight)) {
      const arcs = q.unpackPath(r.meet);
      if (exclude && this.usesClass(arcs, exclude)) return this.filteredLeg(p, a, b, exclude, direct);
      results.push(this.assemble(p, a, b, r.sourceTag, arcs, r.targetTag));
    } else if (direct) {
      results.push(direct);
    }
    if (alternatives > 0 && r && results.length) this.addAlternatives(p, a, b, results, alternatives, exclude);
    return results;
  }

  private usesClass(arcs: number[], exclude: number): boolean {
    const classes = this.data.network.edgeClasses;
    return arcs.some((g) => (arcClasses(classes, g) & exclude) !== 0);
  }

  private filteredLeg(p: ProfileData, a: Snap, b: Snap, exclude: number, direct: LegPath | null): LegPath[] {
    const r = this.filteredSearch(p).shortest(this.sourcesOf(p, a), this.targetsOf(p, b), exclude);
    if (r && (!direct || r.weight < direct.weight)) return [this.assemble(p, a, b, r.sourceTag, r.geoArcs, r.targetTag)];
    return direct ? [direct] : [];
  }

  private addAlternatives(p: ProfileData, a: Snap, b: Snap, results: LegPath[], wanted: number, exclude: number): void {
    const q = this.query(p.name);
    const best = results[0];
    const limit = best.weight * 1.3;
    // Via-node candidates: nodes both searches reached, lightest first.
    const cands = [...new Set(q.meetings)]
      .map((v) => ({ v, w: q.forwardDist(v) + q.backwardDist(v) }))
      .filter((c) => c.w <= limit && c.w > best.weight)
      .sort((x, y) => x.w - y.w)
      .slice(0, 15);
    for (const c of cands) {
      if (results.length > wanted) break;
      const arcs = q.unpackPath(c.v);
      if (exclude && this.usesClass(arcs, exclude)) continue;
      if (!this.locallyOptimal(p, arcs, c.v, best.weight * 0.25)) continue;
      const alt = this.assemble(p, a, b, q.sourceTagOf(c.v), arcs, q.targetTagOf(c.v));
      // No edge twice (a detour that goes and comes back) and little overlap with what we have.
      const edges = alt.pieces.map((x) => x.edge);
      if (new Set(edges).size !== edges.length) continue;
      const ok = results.every((other) => sharedDistance(alt, other) < 0.7 * alt.distance);
      if (ok) results.push(alt);
    }
  }

  /**
   * The T-test of via-node alternatives: the stretch of the path within `window`
   * weight on both sides of the via node must itself be a shortest path, so an
   * alternative never makes a pointless detour around its via node.
   */
  private locallyOptimal(p: ProfileData, arcs: number[], via: number, window: number): boolean {
    let k = arcs.findIndex((g) => p.geoHead[g] === via);
    if (k < 0) return true;
    let i = k;
    let before = 0;
    while (i > 0 && before < window) before += p.geoWeight[arcs[i--]];
    let j = k;
    let after = 0;
    while (j + 1 < arcs.length && after < window) after += p.geoWeight[arcs[++j]];
    if (i === j) return true;
    let along = 0;
    for (let x = i + 1; x <= j; x++) along += p.geoWeight[arcs[x]];
    let tq = this.tQueries.get(p.name);
    if (!tq) this.tQueries.set(p.name, (tq = new ChQuery(p.ch)));
    const r = tq.shortest([{ node: p.geoHead[arcs[i]], weight: 0, tag: 0 }], [{ node: p.geoHead[arcs[j]], weight: 0, tag: 0 }]);
    return !r || r.weight >= along - 1;
  }

  private sourcesOf(p: ProfileData, s: Snap): SearchEndpoint[] {
    const out: SearchEndpoint[] = [];
    const g = 2 * s.edge;
    if (p.geoTail[g] >= 0 && s.directions & DIR_FORWARD) out.push({ node: p.geoHead[g], weight: (1 - s.fraction) * p.geoWeight[g], tag: 0 });
    if (p.geoTail[g + 1] >= 0 && s.directions & DIR_BACKWARD) out.push({ node: p.geoHead[g + 1], weight: s.fraction * p.geoWeight[g + 1], tag: 1 });
    return out;
  }

  targetsOf(p: ProfileData, s: Snap): SearchEndpoint[] {
    const out: SearchEndpoint[] = [];
    const g = 2 * s.edge;
    for (const [arc, tag, part, dir] of [[g, 0, s.fraction, DIR_FORWARD], [g + 1, 1, 1 - s.fraction, DIR_BACKWARD]] as const) {
      if (p.geoTail[arc] < 0 || !(s.directions & dir)) continue;
      const weight = part * p.geoWeight[arc];
      out.push({ node: p.geoTail[arc], weight, tag });
      for (const t of extraTails(p, arc)) out.push({ node: t, weight, tag });
    }
    return out;
  }

  private direct(p: ProfileData, a: Snap, b: Snap): LegPath | null {
    if (a.edge !== b.edge) return null;
    const g = 2 * a.edge;
    const n = this.data.network;
    const both = a.directions & b.directions;
    let forward: boolean;
    if (a.fraction <= b.fraction && p.geoTail[g] >= 0 && both & DIR_FORWARD) forward = true;
    else if (a.fraction >= b.fraction && p.geoTail[g + 1] >= 0 && both & DIR_BACKWARD) forward = false;
    else return null;
    const coords: Array<[number, number]> = [[a.lon, a.lat]];
    if (forward) for (let i = a.coord + 1; i <= b.coord; i++) coords.push([n.coordLon[i], n.coordLat[i]]);
    else for (let i = a.coord; i > b.coord; i--) coords.push([n.coordLon[i], n.coordLat[i]]);
    coords.push([b.lon, b.lat]);
    const part = Math.abs(b.fraction - a.fraction);
    const piece = this.piece(p, a.edge, forward, coords, part);
    return { weight: part * p.geoWeight[forward ? g : g + 1], distance: piece.distance, duration: piece.duration, pieces: [piece] };
  }

  private piece(p: ProfileData, edge: number, forward: boolean, coords: Array<[number, number]>, part: number): PathPiece {
    const w = p.geoWeight[2 * edge + (forward ? 0 : 1)];
    return { edge, forward, coords, distance: part * this.data.network.edgeLength[edge], duration: (part * w) / WEIGHT_PER_SECOND };
  }

  /** Coordinates of an inclusive range of global coord indices, in either order. */
  private coordRange(from: number, to: number): Array<[number, number]> {
    const n = this.data.network;
    const out: Array<[number, number]> = [];
    if (from <= to) for (let i = from; i <= to; i++) out.push([n.coordLon[i], n.coordLat[i]]);
    else for (let i = from; i >= to; i--) out.push([n.coordLon[i], n.coordLat[i]]);
    return out;
  }

  private assemble(p: ProfileData, a: Snap, b: Snap, sourceTag: number, arcs: number[], targetTag: number): LegPath {
    const n = this.data.network;
    const pieces: PathPiece[] = [];
    const startA = n.geomStart[a.edge];
    const endA = n.geomStart[a.edge + 1] - 1;
    if (sourceTag === 0) {
      pieces.push(this.piece(p, a.edge, true, [[a.lon, a.lat], ...this.coordRange(a.coord + 1, endA)], 1 - a.fraction));
    } else {
      pieces.push(this.piece(p, a.edge, false, [[a.lon, a.lat], ...this.coordRange(a.coord, startA)], a.fraction));
    }
    for (const g of arcs) {
      const e = g >> 1;
      const fwd = (g & 1) === 0;
      const s = n.geomStart[e];
      const t = n.geomStart[e + 1] - 1;
      pieces.push(this.piece(p, e, fwd, fwd ? this.coordRange(s, t) : this.coordRange(t, s), 1));
    }
    const startB = n.geomStart[b.edge];
    const endB = n.geomStart[b.edge + 1] - 1;
    if (targetTag === 0) {
      pieces.push(this.piece(p, b.edge, true, [...this.coordRange(startB, b.coord), [b.lon, b.lat]], b.fraction));
    } else {
      pieces.push(this.piece(p, b.edge, false, [...this.coordRange(endB, b.coord + 1), [b.lon, b.lat]], 1 - b.fraction));
    }
    let distance = 0;
    let duration = 0;
    for (const x of pieces) {
      distance += x.distance;
      duration += x.duration;
    }
    return { weight: duration * WEIGHT_PER_SECOND, distance, duration, pieces: pieces.filter((x) => x.coords.length >= 2) };
  }

  /** Durations (s) and distances (m) between snapped points, avoiding the `exclude` classes; null where unreachable. */
  table(profile: ProfileName, sources: Snap[], targets: Snap[], opts: { exclude?: number } = {}): { durations: (number | null)[][]; distances: (number | null)[][] } {
    const exclude = opts.exclude ?? 0;
    const p = this.profile(profile);
    let t = this.tables.get(profile);
    if (!t) this.tables.set(profile, (t = new ChTable(p.ch)));
    const n = this.data.network;
    const compute = exclude
      ? (s: TableEndpoint[][], d: TableEndpoint[][]) => this.filteredSearch(p).table(s, d, exclude)
      : (s: TableEndpoint[][], d: TableEndpoint[][]) => t.compute(s, d);
    const lengthOf = (s: Snap, tag: number, asSource: boolean): number => {
      const f = asSource ? (tag === 0 ? 1 - s.fraction : s.fraction) : tag === 0 ? s.fraction : 1 - s.fraction;
      return f * n.edgeLength[s.edge];
    };
    const res = compute(
      sources.map((s) => this.sourcesOf(p, s).map((e) => ({ ...e, dist: lengthOf(s, e.tag, true) }))),
      targets.map((s) => this.targetsOf(p, s).map((e) => ({ ...e, dist: lengthOf(s, e.tag, false) }))),
    );
    const durations: (number | null)[][] = [];
    const distances: (number | null)[][] = [];
    for (let i = 0; i < sources.length; i++) {
      durations.push([]);
      distances.push([]);
      for (let j = 0; j < targets.length; j++) {
        let w = res.weight[i * targets.length + j];
        let d = res.dist[i * targets.length + j];
        const direct = this.direct(p, sources[i], targets[j]);
        if (direct && direct.weight <= w) {
          w = direct.weight;
          d = direct.distance;
        }
        durations[i].push(Number.isFinite(w) ? round1(w / WEIGHT_PER_SECOND) : null);
        distances[i].push(Number.isFinite(w) ? round1(d) : null);
      }
    }
    return { durations, distances };
  }
}

function extraTails(p: ProfileData, arc: number): number[] {
  const a = p.extraGeo;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < arc) lo = m + 1;
    else hi = m;
  }
  const out: number[] = [];
  for (let i = lo; i < a.length && a[i] === arc; i++) out.push(p.extraTail[i]);
  return out;
}

function sharedDistance(a: LegPath, b: LegPath): number {
  const inB = new Set(b.pieces.map((x) => x.edge));
  let s = 0;
  for (const x of a.pieces) if (inB.has(x.edge)) s += x.distance;
  return s;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
