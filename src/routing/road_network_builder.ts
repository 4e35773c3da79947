/**
 * Turns OSM ways, nodes and restriction relations into a RoadNetwork, in two passes
 * over the input: ways and relations first (what is routable, which nodes matter),
 * then nodes (coordinates of those nodes only, barrier tags). Works on any source of
 * OsmBlocks, so tests feed it hand-made blocks. Bad data is counted, not thrown.
 */
import type { OsmBlock, OsmRelation, OsmTags, OsmWay } from '../osm/types.js';
import {
  EDGE_FERRY, EDGE_LINK, EDGE_MOTORWAY, EDGE_ROUNDABOUT, WEIGHT_PER_SECOND,
  type ProfileWeights, type RoadNetwork, type TurnRestriction,
} from './road_network.js';
import { ROUTING_PROFILES, type ProfileName, type RoutingProfile } from './routing_profiles.js';
import { haversine } from './geo_math.js';
import { CLASS_TAG_KEYS, wayClasses } from './road_classes.js';

const WAY_KEYS = [
  'highway', 'route', 'name', 'ref', 'junction', 'oneway', 'oneway:bicycle', 'oneway:foot', 'oneway:motor_vehicle',
  'oneway:motorcar', 'access', 'vehicle', 'motor_vehicle', 'motorcar', 'bicycle', 'foot', 'maxspeed', 'maxspeed:type',
  'source:maxspeed', 'zone:traffic', 'cycleway', 'cycleway:left', 'cycleway:right', 'cycleway:both',
  'cycleway:left:oneway', 'cycleway:right:oneway', 'area', 'impassable', 'smoothness', 'surface', 'sidewalk', 'duration',
  ...CLASS_TAG_KEYS,
];

interface KeptWay {
  id: number;
  refs: Float64Array;
  tags: OsmTags;
}
interface RawRestriction {
  id: number;
  from: number;
  via: number;
  to: number;
  tags: OsmTags;
}

export interface BuildStats {
  ways: number;
  restrictions: number;
  restrictionsViaWaySkipped: number;
  restrictionsInvalid: number;
  missingNodes: number;
  [key: string]: number;
}

export class RoadNetworkBuilder {
  private readonly profiles: RoutingProfile[];
  private readonly ways: KeptWay[] = [];
  private readonly seenWays = new Set<number>();
  private readonly rawRestrictions: RawRestriction[] = [];
  private neededIds: Float64Array | null = null;
  private lon: Float64Array = new Float64Array(0);
  private lat: Float64Array = new Float64Array(0);
  private readonly nodeTags = new Map<number, OsmTags>();
  readonly stats: BuildStats = { ways: 0, restrictions: 0, restrictionsViaWaySkipped: 0, restrictionsInvalid: 0, missingNodes: 0 };

  private readonly forcedJunctions: ReadonlySet<number>;

  /**
   * Profiles by name, or profile objects (a verification may bring its own);
   * `junctions`: OSM nodes to keep as junctions even mid-way (to compare graphs node to node).
   */
  constructor(profiles: ReadonlyArray<ProfileName | RoutingProfile>, opts: { junctions?: ReadonlySet<number> } = {}) {
    this.profiles = profiles.map((p) => (typeof p === 'string' ? ROUTING_PROFILES[p] : p));
    this.forcedJunctions = opts.junctions ?? new Set();
  }

  /** Pass 1: ways and relations of one block. */
  addWaysAndRelations(block: OsmBlock): void {
    for (const w of block.ways) this.addWay(w);
    for (const r of block.relations) this.addRelation(r);
  }

  private addWay(w: OsmWay): void {
    if (!w.tags.highway && w.tags.route !== 'ferry') return;
    if (w.refs.length < 2 || this.seenWays.has(w.id)) return;
    const tags: OsmTags = {};
    for (const k of WAY_KEYS) if (w.tags[k] !== undefined) tags[k] = w.tags[k];
    // Access does not depend on location, speed does: a neutral location decides routability.
    const usable = this.profiles.some((p) => {
      const s = p.waySpeeds(tags, { lon: 0, lat: 0 });
      return s.forward > 0 || s.backward > 0;
    });
    if (!usable) return;
    this.seenWays.add(w.id);
    this.ways.push({ id: w.id, refs: w.refs, tags });
  }

  private addRelation(r: OsmRelation): void {
    if (r.tags.type !== 'restriction') return;
    const from = r.members.filter((m) => m.role === 'from' && m.type === 'way');
    const to = r.members.filter((m) => m.role === 'to' && m.type === 'way');
    const via = r.members.filter((m) => m.role === 'via');
    if (via.length === 1 && via[0].type === 'way') {
      this.stats.restrictionsViaWaySkipped++;
      return;
    }
    if (from.length !== 1 || to.length !== 1 || via.length !== 1 || via[0].type !== 'node') {
      this.stats.restrictionsInvalid++;
      return;
    }
    this.rawRestrictions.push({ id: r.id, from: from[0].ref, via: via[0].ref, to: to[0].ref, tags: r.tags });
  }

  /** Between the passes: fixes the set of nodes whose coordinates pass 2 keeps. */
  endWayPass(): void {
    let n = 0;
    for (const w of this.ways) n += w.refs.length;
    const all = new Float64Array(n);
    let o = 0;
    for (const w of this.ways) {
      all.set(w.refs, o);
      o += w.refs.length;
    }
    all.sort();
    let u = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[u++] = all[i];
    this.neededIds = all.slice(0, u);
    this.lon = new Float64Array(u).fill(NaN);
    this.lat = new Float64Array(u).fill(NaN);
  }

  private indexOf(id: number): number {
    const a = this.neededIds!;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Pass 2: node coordinates and barrier tags of one block. */
  addNodes(block: OsmBlock): void {
    if (!this.neededIds) throw new Error('endWayPass() must run before addNodes()');
    const { nodeIds, nodeLons, nodeLats } = block;
    for (let i = 0; i < nodeIds.length; i++) {
      const k = this.indexOf(nodeIds[i]);
      if (k >= 0) {
        this.lon[k] = nodeLons[i];
        this.lat[k] = nodeLats[i];
      }
    }
    for (const n of block.taggedNodes) {
      if (!n.tags.barrier && !n.tags.access) continue;
      if (this.indexOf(n.id) >= 0) this.nodeTags.set(n.id, n.tags);
    }
  }

  build(): RoadNetwork {
    if (!this.neededIds) this.endWayPass();
    const ids = this.neededIds!;
    const n = ids.length;
    // A node is a junction when two way positions use it, it ends a way, stops
    // some profile, or is the via of a restriction.
    const uses = new Uint8Array(n);
    for (const w of this.ways) {
      const r = w.refs;
      for (let i = 0; i < r.length; i++) {
        const k = this.indexOf(r[i]);
        const end = i === 0 || i === r.length - 1;
        uses[k] = Math.min(250, uses[k] + (end ? 2 : 1));
      }
    }
    const barrierIds: number[] = [];
    for (const [id, tags] of this.nodeTags) {
      if (this.profiles.some((p) => p.blockedByNode(tags))) {
        uses[this.indexOf(id)] = 2;
        barrierIds.push(id);
      }
    }
    for (const id of [...this.rawRestrictions.map((r) => r.via), ...this.forcedJunctions]) {
      const k = this.indexOf(id);
      if (k >= 0) uses[k] = Math.max(uses[k], 2);
    }
    const graphNode = new Int32Array(n).fill(-1);
    const nodeOsmId: number[] = [];
    const node = (k: number): number => {
      if (graphNode[k] < 0) {
        graphNode[k] = nodeOsmId.length;
        nodeOsmId.push(ids[k]);
      }
      return graphNode[k];
    };

    const strings: string[] = [''];
    const stringIndex = new Map<string, number>([['', 0]]);
    const intern = (s: string | undefined): number => {
      if (!s) return 0;
      let i = stringIndex.get(s);
      if (i === undefined) {
        i = strings.length;
        strings.push(s);
        stringIndex.set(s, i);
      }
      return i;
    };

    const edgeFrom: number[] = [];
    const edgeTo: number[] = [];
    const geomStart: number[] = [];
    const lonOut: number[] = [];
    const latOut: number[] = [];
    const edgeLength: number[] = [];
    const edgeName: number[] = [];
    const edgeRef: number[] = [];
    const edgeFlags: number[] = [];
    const edgeClasses: number[] = [];
    const edgeWay: number[] = [];
    const speeds = this.profiles.map(() => ({ f: [] as number[], b: [] as number[] }));
    const wayEdges = new Map<number, [number, number]>();

    for (let wi = 0; wi < this.ways.length; wi++) {
      const w = this.ways[wi];
      const r = w.refs;
      const first = this.indexOf(r[0]);
      const ctx = { lon: this.lon[first] || 0, lat: this.lat[first] || 0 };
      const wayProfileSpeeds = this.profiles.map((p) => p.waySpeeds(w.tags, ctx));
      const hw = w.tags.highway ?? '';
      const flags = (w.tags.junction === 'roundabout' || w.tags.junction === 'circular' ? EDGE_ROUNDABOUT : 0)
        | (hw === 'motorway' || hw === 'trunk' ? EDGE_MOTORWAY : 0)
        | (hw.endsWith('_link') ? EDGE_LINK : 0)
        | (w.tags.route === 'ferry' ? EDGE_FERRY : 0);
      const classes = wayClasses(w.tags);
      const name = intern(w.tags.name);
      const ref = intern(w.tags.ref);
      const startEdge = edgeFrom.length;
      let segStartK = -1;
      let segLon: number[] = [];
      let segLat: number[] = [];
      let len = 0;
      const flush = (endK: number): void => {
        if (segStartK >= 0 && segLon.length >= 2) {
          edgeFrom.push(node(segStartK));
          edgeTo.push(node(endK));
          geomStart.push(lonOut.length);
          for (let i = 0; i < segLon.length; i++) {
            lonOut.push(segLon[i]);
            latOut.push(segLat[i]);
          }
          edgeLength.push(len);
          edgeName.push(name);
          edgeRef.push(ref);
          edgeFlags.push(flags);
          edgeClasses.push(classes);
          edgeWay.push(w.id);
          for (let p = 0; p < this.profiles.length; p++) {
            const s = wayProfileSpeeds[p];
            speeds[p].f.push(s.forward > 0 ? Math.max(1, Math.round((len / (s.forward / 3.6)) * WEIGHT_PER_SECOND)) : 0);
            speeds[p].b.push(s.backward > 0 ? Math.max(1, Math.round((len / (s.backward / 3.6)) * WEIGHT_PER_SECOND)) : 0);
          }
        }
      };
      for (let i = 0; i < r.length; i++) {
        if (i > 0 && r[i] === r[i - 1] && i < r.length - 1) continue;
        const k = this.indexOf(r[i]);
        const x = this.lon[k];
        const y = this.lat[k];
        if (Number.isNaN(x)) {
          // Nodes cut off by the extract boundary: the way breaks there.
          this.stats.missingNodes++;
          segStartK = -1;
          continue;
        }
        if (segStartK < 0) {
          segStartK = k;
          segLon = [x];
          segLat = [y];
          len = 0;
          continue;
        }
        if (k === segStartK && segLon.length === 1) continue;
        if (i > 0 && r[i] === r[i - 1]) {
          if (segLon.length >= 2) flush(k);
          continue;
        }
        len += haversine(segLon[segLon.length - 1], segLat[segLat.length - 1], x, y);
        segLon.push(x);
        segLat.push(y);
        const nextMissing = i + 1 < r.length && Number.isNaN(this.lon[this.indexOf(r[i + 1])]);
        if (uses[k] >= 2 || i === r.length - 1 || nextMissing) {
          flush(k);
          segStartK = k;
          segLon = [x];
          segLat = [y];
          len = 0;
        }
      }
      wayEdges.set(w.id, [startEdge, edgeFrom.length]);
    }
    geomStart.push(lonOut.length);
    this.stats.ways = this.ways.length;

    const weights: RoadNetwork['weights'] = {};
    this.profiles.forEach((p, i) => {
      weights[p.name] = { forward: Int32Array.from(speeds[i].f), backward: Int32Array.from(speeds[i].b) } satisfies ProfileWeights;
    });
    const barriers: RoadNetwork['barriers'] = {};
    for (const p of this.profiles) {
      const list: number[] = [];
      for (const id of barrierIds) {
        const k = this.indexOf(id);
        if (graphNode[k] >= 0 && p.blockedByNode(this.nodeTags.get(id)!)) list.push(graphNode[k]);
      }
      barriers[p.name] = Int32Array.from(list);
    }
    const restrictions = this.resolveRestrictions({ wayEdges, edgeFrom, edgeTo, graphNode });
    return {
      nodeCount: nodeOsmId.length,
      nodeOsmId: Float64Array.from(nodeOsmId),
      edgeCount: edgeFrom.length,
      edgeFrom: Int32Array.from(edgeFrom),
      edgeTo: Int32Array.from(edgeTo),
      geomStart: Uint32Array.from(geomStart),
      coordLon: Float64Array.from(lonOut),
      coordLat: Float64Array.from(latOut),
      edgeLength: Float64Array.from(edgeLength),
      edgeName: Int32Array.from(edgeName),
      edgeRef: Int32Array.from(edgeRef),
      edgeFlags: Uint8Array.from(edgeFlags),
      edgeClasses: Uint8Array.from(edgeClasses),
      strings,
      weights,
      barriers,
      restrictions,
    };
  }

  private resolveRestrictions(g: {
    wayEdges: Map<number, [number, number]>;
    edgeFrom: number[];
    edgeTo: number[];
    graphNode: Int32Array;
  }): RoadNetwork['restrictions'] {
    const out: RoadNetwork['restrictions'] = {};
    for (const p of this.profiles) out[p.name] = [];
    const incident = (wayId: number, via: number): number[] => {
      const range = g.wayEdges.get(wayId);
      if (!range) return [];
      const found: number[] = [];
      for (let e = range[0]; e < range[1]; e++) if (g.edgeFrom[e] === via || g.edgeTo[e] === via) found.push(e);
      return found;
    };
    for (const r of this.rawRestrictions) {
      const k = this.indexOf(r.via);
      const via = k >= 0 ? g.graphNode[k] : -1;
      if (via < 0) {
        this.stats.restrictionsInvalid++;
        continue;
      }
      const from = incident(r.from, via);
      const to = incident(r.to, via);
      // The from and to ways must end at the via node (OSM's rule); a way that passes
      // through it would make the direction ambiguous.
      if (from.length !== 1 || to.length !== 1) {
        this.stats.restrictionsInvalid++;
        continue;
      }
      let used = false;
      for (const p of this.profiles) {
        const kind = restrictionKind(r.tags, p);
        if (!kind) continue;
        used = true;
        out[p.name]!.push({ fromEdge: from[0], via, toEdge: to[0], only: kind === 'only' } satisfies TurnRestriction);
      }
      if (used) this.stats.restrictions++;
    }
    return out;
  }
}

function restrictionKind(tags: OsmTags, p: RoutingProfile): 'no' | 'only' | undefined {
  let value: string | undefined;
  for (const key of p.restrictionKeys) if (tags[key]) value = tags[key];
  if (!value) return undefined;
  const except = (tags.except ?? '').split(';').map((s) => s.trim());
  if (p.exceptValues.some((v) => except.includes(v))) return undefined;
  if (value.startsWith('no_')) return 'no';
  if (value.startsWith('only_')) return 'only';
  return undefined;
}
