/**
 * Sea polygons of a rectangular extent from coastline chains (land on the left),
 * as osmcoastline builds them for extracts:
 *  - chains are clipped to the extent; a piece that enters and leaves it is closed
 *    along the extent's boundary, walking clockwise from where it leaves to where
 *    the next one enters, which keeps the sea on the right;
 *  - closed rings inside the extent are islands (counter-clockwise on the map) or
 *    seas inside land (clockwise), nested by containment;
 *  - open ends inside the extent closer than `closeDistance` are joined.
 * Broken coastline never floods land: a sea polygon bounded by, or containing, a
 * broken piece (open end inside the extent, crossing, missing nodes) is left out;
 * a reversed ring inside sea is taken as land; when the pieces crossing the
 * boundary do not alternate in and out, no sea is made at all. Every such case is
 * counted in `errors`.
 * Coordinates are world coordinates (x east, y south): a sea ring is clockwise on
 * the map, i.e. positive shoelace area here.
 */
import type { DataErrors } from '../../core/data_errors.js';
import type { ExtentPiece, SeaExtent } from './sea_extent.js';
import type { CoastChain } from './coastline_chains.js';
import { findCrossings } from './segment_crossings.js';
import { attachCutEnds, type OpenEndRule } from './open_ends.js';
import { patchBrokenIslets, type HoleRing } from './broken_islets.js';
import { boxHas, nestRings, pointInRing, ringBox, signedArea, type RingBox } from './ring_tree.js';

type RingTree = ReturnType<typeof nestRings>;

export interface SeaResult {
  /** Each polygon: outer ring then holes, closed rings. */
  polygons: Float64Array[][];
  stats: { rings: number; crossing: number; cutEnds: number; broken: number; seaPolygons: number; seaLeftOut: number; brokenIslets: number; seaWithheld: boolean };
}

interface Piece extends ExtentPiece { broken: boolean }

interface SeaPolygon { outer: Float64Array; broken: boolean; holes: HoleRing[] }

export interface SeaBuilderOptions {
  /** Open ends closer than this are joined (world units). */
  closeDistance: number;
  errors: DataErrors;
  /** The extent is the data's own outline: open ends near it are cuts, joined to it (open_ends.ts). */
  cutEnds?: OpenEndRule;
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export class SeaBuilder {
  private noTopLevelSea = false;
  /** No sea at all could be trusted (pieces crossing the boundary run the wrong way). */
  private seaWithheld = false;

  private readonly closeDistance: number;
  private readonly errors: DataErrors;

  constructor(private readonly extent: SeaExtent, private readonly options: SeaBuilderOptions) {
    this.closeDistance = options.closeDistance;
    this.errors = options.errors;
  }

  build(chains: readonly CoastChain[]): SeaResult {
    const [x0, y0, x1, y1] = this.extent.bounds;
    const crossing: Piece[] = [];
    const dangling: Piece[] = [];
    const rings: Piece[] = [];
    for (const ch of chains) {
      const b = ringBox(ch.coords);
      if (b.maxX < x0 || b.minX > x1 || b.maxY < y0 || b.minY > y1) continue;
      if (ch.closed && !this.crossesOut(ch.coords)) {
        rings.push({ coords: ch.coords, broken: ch.broken });
        continue;
      }
      let line = ch.coords;
      if (ch.closed) line = this.rotateOutside(line);
      for (const part of this.extent.clip(line)) {
        const piece = { ...part, broken: ch.broken };
        if (piece.startT !== undefined && piece.endT !== undefined) crossing.push(piece);
        else dangling.push(piece);
      }
    }
    this.joinGaps(dangling, crossing, rings);
    let cutEnds = 0;
    if (this.options.cutEnds && dangling.length > 0) {
      cutEnds = attachCutEnds(dangling, this.extent, this.options.cutEnds);
      for (let i = dangling.length - 1; i >= 0; i--) {
        if (dangling[i].startT !== undefined && dangling[i].endT !== undefined) crossing.push(...dangling.splice(i, 1));
      }
    }

    // crossings and self-touches among everything that decides what is sea
    const all = [...crossing.map((p) => ({ coords: p.coords, closed: false })), ...rings.map((r) => ({ coords: r.coords, closed: true }))];
    const flags = findCrossings(all);
    let crossed = 0;
    flags.forEach((f, i) => {
      if (!f) return;
      crossed++;
      if (i < crossing.length) crossing[i].broken = true;
      else rings[i - crossing.length].broken = true;
    });
    if (crossed > 0) this.errors.count('coastline_self_intersection', crossed);
    if (dangling.length > 0) this.errors.count('coastline_open', dangling.length);

    const tree = nestRings(rings.map((r) => r.coords));
    const faces = this.seaFaces(crossing, rings, tree);
    const polygons = this.nest(faces, rings, tree);
    // a sea polygon with a broken piece inside it or on its edge is not trusted, unless that piece is an island
    const kept: Float64Array[][] = [];
    let leftOut = 0, islets = 0;
    for (const p of polygons) {
      const t = this.trusted(p, dangling);
      if (!t) {
        leftOut++;
        continue;
      }
      kept.push(t.rings);
      islets += t.patches;
    }
    if (leftOut > 0) this.errors.count('coastline_sea_left_out', leftOut);
    if (islets > 0) this.errors.count('coastline_broken_islet', islets);
    const broken = dangling.length + crossing.filter((p) => p.broken).length + rings.filter((r) => r.broken).length;
    return { polygons: kept, stats: { rings: rings.length, crossing: crossing.length, cutEnds, broken, seaPolygons: kept.length, seaLeftOut: leftOut, brokenIslets: islets, seaWithheld: this.seaWithheld } };
  }

  /** Whether a closed ring really leaves the extent (else clipping only touched the boundary). */
  private crossesOut(c: Float64Array): boolean {
    for (let i = 0; i < c.length; i += 2) if (!this.extent.contains(c[i], c[i + 1])) return true;
    return false;
  }

  /** A closed ring re-started at a vertex outside the extent, so clipping cuts it into crossing pieces. */
  private rotateOutside(c: Float64Array): Float64Array {
    const n = c.length / 2 - 1;
    for (let k = 0; k < n; k++) {
      if (!this.extent.contains(c[2 * k], c[2 * k + 1])) {
        const out = new Float64Array(c.length);
        out.set(c.subarray(2 * k, 2 * n), 0);
        out.set(c.subarray(0, 2 * k + 2), 2 * (n - k));
        return out;
      }
    }
    return c;
  }

  /** Joins open ends inside the extent that lie within closeDistance of a start (osmcoastline's --close-distance). */
  private joinGaps(dangling: Piece[], crossing: Piece[], rings: Piece[]): void {
    const d2 = this.closeDistance * this.closeDistance;
    const near = (a: Float64Array, ai: number, b: Float64Array, bi: number): boolean =>
      (a[ai] - b[bi]) ** 2 + (a[ai + 1] - b[bi + 1]) ** 2 <= d2;
    for (let changed = true; changed;) {
      changed = false;
      for (let i = 0; i < dangling.length && !changed; i++) {
        const a = dangling[i].coords;
        const end = a.length - 2;
        if (dangling[i].endT !== undefined) continue;
        if (dangling[i].startT === undefined && near(a, end, a, 0) && a.length >= 8) {
          // closes on itself
          this.errors.count('coastline_gap_closed');
          const ring = concat(a, a.subarray(0, 2));
          rings.push({ coords: ring, broken: dangling[i].broken });
          dangling.splice(i, 1);
          changed = true;
          break;
        }
        for (let j = 0; j < dangling.length; j++) {
          const b = dangling[j].coords;
          if (j === i || dangling[j].startT !== undefined || !near(a, end, b, 0)) continue;
          this.errors.count('coastline_gap_closed');
          const joined = { coords: concat(a, b), startT: dangling[i].startT, endT: dangling[j].endT, broken: dangling[i].broken || dangling[j].broken };
          dangling.splice(Math.max(i, j), 1);
          dangling.splice(Math.min(i, j), 1);
          if (joined.startT !== undefined && joined.endT !== undefined) crossing.push(joined);
          else dangling.push(joined);
          changed = true;
          break;
        }
      }
    }
  }

  /**
   * Sea faces cut out of the extent by the crossing pieces (each piece used once; a face made with a broken
   * piece is marked broken), or the whole extent when no piece crosses it and the outermost rings are islands.
   */
  private seaFaces(crossing: Piece[], rings: Piece[], tree: RingTree): { coords: Float64Array; broken: boolean }[] {
    if (crossing.length === 0) {
      const top = rings.filter((_, i) => tree.parent[i] < 0);
      const seas = top.filter((r) => signedArea(r.coords) > 0).length;
      if (top.length === 0 || seas > 0) {
        if (seas > 0 && seas < top.length) {
          // islands and seas side by side at the top: one kind runs the wrong way, and either could flood
          this.errors.count('coastline_direction');
          this.noTopLevelSea = true;
        }
        return [];
      }
      return [{ coords: this.extent.ring(), broken: false }];
    }
    const events: { t: number; piece: number; entry: boolean }[] = [];
    crossing.forEach((p, i) => {
      events.push({ t: p.startT!, piece: i, entry: true });
      events.push({ t: p.endT!, piece: i, entry: false });
    });
    events.sort((a, b) => a.t - b.t || (a.entry ? 1 : 0) - (b.entry ? 1 : 0));
    for (let k = 0; k < events.length; k++) {
      if (events[k].entry === events[(k + 1) % events.length].entry) {
        // pieces do not alternate in and out: some coastline runs the wrong way; nothing can be trusted
        this.errors.count('coastline_direction');
        this.noTopLevelSea = true;
        this.seaWithheld = true;
        return [];
      }
    }
    const exitPos = new Int32Array(crossing.length);
    events.forEach((e, k) => { if (!e.entry) exitPos[e.piece] = k; });
    const usedPiece = new Uint8Array(crossing.length);
    const faces: { coords: Float64Array; broken: boolean }[] = [];
    for (let s = 0; s < crossing.length; s++) {
      if (usedPiece[s]) continue;
      const out: number[] = [];
      let broken = false;
      for (let p = s; !usedPiece[p];) {
        usedPiece[p] = 1;
        broken ||= crossing[p].broken;
        const c = crossing[p].coords;
        for (let i = 0; i < c.length; i++) out.push(c[i]);
        const k = exitPos[p];
        const next = events[(k + 1) % events.length];
        // outline vertices passed walking clockwise from this exit to the next entry
        for (const v of this.extent.walk(events[k].t, next.t)) out.push(v);
        p = next.piece;
      }
      out.push(out[0], out[1]);
      faces.push({ coords: new Float64Array(out), broken });
    }
    return faces;
  }

  /** Sea polygons: faces and seas inside land, with the islands directly inside them as holes. */
  private nest(faces: { coords: Float64Array; broken: boolean }[], rings: Piece[], tree: RingTree): SeaPolygon[] {
    interface Node { coords: Float64Array; sea: boolean; broken: boolean; holes: HoleRing[] }
    const faceNodes: (Node & { box: RingBox })[] = faces.map((f) => ({ coords: f.coords, box: ringBox(f.coords), sea: true, broken: f.broken, holes: [] }));
    const ringNodes: Node[] = new Array(rings.length);
    for (const i of tree.order) {
      const r = rings[i];
      const x = r.coords[0], y = r.coords[1];
      // the smallest ring containing this one, else the sea face it lies in
      const parent: Node | undefined = tree.parent[i] >= 0 ? ringNodes[tree.parent[i]] : faceNodes.find((f) => boxHas(f.box, x, y) && pointInRing(x, y, f.coords));
      const parentSea = parent?.sea ?? false;
      const area = signedArea(r.coords);
      let sea = area > 0 && !(parent === undefined && this.noTopLevelSea);
      if (parentSea && sea) {
        // a sea ring inside sea: reversed island; take it as land
        this.errors.count('coastline_reversed_ring');
        sea = false;
      } else if (!parentSea && area < 0) {
        // land inside land: nothing changes
        this.errors.count('coastline_nested_land');
      }
      ringNodes[i] = { coords: r.coords, sea, broken: r.broken, holes: [] };
      if (parent && parentSea && !sea) parent.holes.push({ coords: r.coords, broken: r.broken });
    }
    return [...faceNodes, ...ringNodes.filter((n) => n !== undefined)]
      .filter((n) => n.sea)
      .map((n) => ({ outer: n.coords, broken: n.broken, holes: n.holes }));
  }

  /**
   * The polygon's rings when it can be trusted: its own outline whole, and every broken island in it (a broken
   * hole, an open piece with both ends inside) patched over (broken_islets.ts); undefined to leave it out.
   */
  private trusted(p: SeaPolygon, dangling: Piece[]): { rings: Float64Array[]; patches: number } | undefined {
    if (p.broken) return undefined;
    const all = [p.outer, ...p.holes.map((h) => h.coords)];
    const inside = dangling.filter((d) => this.touches(all, d.coords));
    if (inside.length === 0 && !p.holes.some((h) => h.broken)) return { rings: all, patches: 0 };
    if (inside.some((d) => d.startT !== undefined || d.endT !== undefined)) return undefined;
    return patchBrokenIslets(p.outer, p.holes, inside.map((d) => d.coords));
  }

  /** Whether any point of the line lies inside the polygon (outer ring, not in a hole). */
  private touches(poly: Float64Array[], line: Float64Array): boolean {
    const box = ringBox(poly[0]);
    for (let i = 0; i < line.length; i += 2) {
      const x = line[i], y = line[i + 1];
      if (!boxHas(box, x, y) || !pointInRing(x, y, poly[0])) continue;
      if (!poly.slice(1).some((h) => pointInRing(x, y, h))) return true;
    }
    return false;
  }
}
