/**
 * Turns OSM ways, nodes and restriction relations into a RoadNetwork, in two passes
 * over the input: ways and relations first (what is routable, which nodes matter),
 * then nodes (coordinates of those nodes only, barrier tags). Works on any source of
 * OsmBlocks, so tests feed it hand-made blocks. Bad data is counted, not thrown.
 */
import type { OsmBlock, OsmRelation, OsmTags, OsmWay } from '../osm/types.js';
import { isRoutableWay, isRoutingNode, isRoutingRelation } from '../osm/routing_tags.js';
import {
  EDGE_FERRY, EDGE_LINK, EDGE_MOTORWAY, EDGE_ROUNDABOUT, WEIGHT_PER_SECOND,
  type ProfileWeights, type RoadNetwork, type TurnRestriction,
} from './road_network.js';
import { ROUTING_PROFILES, type ProfileName, type RoutingProfile } from './routing_profiles.js';
import { haversine } from './geo_math.js';
import { CLASS_TAG_KEYS, wayClasses } from './road_classes.js';
import { GrowableFloat64, GrowableInt32 } from '../core/growable_arrays.js';
import { KeptWays, searchSorted } from './kept_ways.js';

const WAY_KEYS = [
  'highway', 'route', 'name', 'ref', 'junction', 'oneway', 'oneway:bicycle', 'oneway:foot', 'oneway:motor_vehicle',
  'oneway:motorcar', 'access', 'vehicle', 'motor_vehicle', 'motorcar', 'bicycle', 'foot', 'maxspeed', 'maxspeed:type',
  'source:maxspeed', 'zone:traffic', 'cycleway', 'cycleway:left', 'cycleway:right', 'cycleway:both',
  'cycleway:left:oneway', 'cycleway:right:oneway', 'area', 'impassable', 'smoothness', 'surface', 'sidewalk', 'duration',
  ...CLASS_TAG_KEYS,
];

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
  private readonly ways = new KeptWays();
  /** Routing tags without name and ref, shared by the ways (`ways.tagSet`); -1 in the index: not routable. */
  private readonly tagSets: OsmTags[] = [];
  private readonly tagSetIndex = new Map<string, number>();
  private readonly rawRestrictions: RawRestriction[] = [];
  private neededIds: Float64Array | null = null;
  private lon: Float64Array = new Float64Array(0);
  private lat: Float64Array = new Float64Array(0);
  /** Needed nodes tagged barrier or access, in input order, with the profiles (bits) each stops. */
  private nodeTagId = new GrowableFloat64();
  private nodeTagBlocks = new GrowableInt32();
  readonly stats: BuildStats = { ways: 0, restrictions: 0, restrictionsViaWaySkipped: 0, restrictionsInvalid: 0, missingNodes: 0 };

  private readonly forcedJunctions: ReadonlySet<number>;
  private built = false;

  /**
   * Profiles by name, or profile objects (a verification may bring its own);
   * `junctions`: OSM nodes to keep as junctions even mid-way (to compare graphs node to node).
   */
  constructor(profiles: ReadonlyArray<ProfileName | RoutingProfile>, opts: { junctions?: ReadonlySet<number> } = {}) {
    this.profiles = profiles.map((p) => (typeof p === 'string' ? ROUTING_PROFILES[p] : p));
    if (this.profiles.length > 31) throw new Error(`at most 31 profiles in one build, not ${this.profiles.length}`);
    this.forcedJunctions = opts.junctions ?? new Set();
  }

  /** Pass 1: ways and relations of one block. */
  addWaysAndRelations(block: OsmBlock): void {
    for (const w of block.ways) this.addWay(w);
    for (const r of block.relations) this.addRelation(r);
  }

  private addWay(w: OsmWay): void {
    if (!isRoutableWay(w.tags)) return;
    if (w.refs.length < 2) return;
    // name and ref vary street by street and decide nothing: kept apart, they leave a few thousand tag sets
    const tags: OsmTags = {};
    for (const k of WAY_KEYS) if (w.tags[k] !== undefined && k !== 'name' && k !== 'ref') tags[k] = w.tags[k];
    const key = JSON.stringify(tags);
    let set = this.tagSetIndex.get(key);
    if (set === undefined) {
      // Access does not depend on location, speed does: a neutral location decides routability.
      const usable = this.profiles.some((p) => {
        const s = p.waySpeeds(tags, { lon: 0, lat: 0 });
        return s.forward > 0 || s.backward > 0;
      });
      set = usable ? this.tagSets.length : -1;
      if (usable) this.tagSets.push(tags);
      this.tagSetIndex.set(key, set);
    }
    if (set < 0) return;
    // Duplicates (a way in two overlapping extracts) are dropped at endWayPass.
    this.ways.add({ id: w.id, refs: w.refs, tagSet: set, name: w.tags.name, ref: w.tags.ref });
  }

  private addRelation(r: OsmRelation): void {
    if (!isRoutingRelation(r.tags)) return;
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
    this.ways.seal();
    const all = this.ways.refs.slice(0, this.ways.refCount);
    all.sort();
    let u = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[u++] = all[i];
    this.stats.wayNodeRefs = this.ways.refCount;
    this.stats.wayNodes = u;
    this.neededIds = all.slice(0, u);
    this.lon = new Float64Array(u).fill(NaN);
    this.lat = new Float64Array(u).fill(NaN);
  }

  private indexOf(id: number): number {
    return searchSorted(this.neededIds!, id);
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
      if (!isRoutingNode(n.tags)) continue;
      if (this.indexOf(n.id) < 0) continue;
      let blocks = 0;
      for (let p = 0; p < this.profiles.length; p++) if (this.profiles[p].blockedByNode(n.tags)) blocks |= 1 << p;
      this.nodeTagId.push(n.id);
      this.nodeTagBlocks.push(blocks);
    }
  }

  /** The network; once per builder, which lets go of its way and node arrays then. */
  build(): RoadNetwork {
    if (this.built) throw new Error('RoadNetworkBuilder.build() runs once');
    this.built = true;
    if (!this.neededIds) this.endWayPass();
    const ids = this.neededIds!;
    const n = ids.length;
    // A node is a junction when two way positions use it, it ends a way, stops
    // some profile, or is the via of a restriction.
    const uses = new Uint8Array(n);
    const ways = this.ways;
    const refs = ways.refs;
    const refStart = ways.refStart;
    for (let wi = 0; wi < ways.count; wi++) {
      const from = refStart[wi];
      const to = refStart[wi + 1];
      for (let i = from; i < to; i++) {
        const k = this.indexOf(refs[i]);
        const end = i === from || i === to - 1;
        uses[k] = Math.min(250, uses[k] + (end ? 2 : 1));
      }
    }
    const barrierNodes = this.barrierNodes();
    for (let i = 0; i < barrierNodes.ids.length; i++) uses[this.indexOf(barrierNodes.ids[i])] = 2;
    for (const id of [...this.rawRestrictions.map((r) => r.via), ...this.forcedJunctions]) {
      const k = this.indexOf(id);
      if (k >= 0) uses[k] = Math.max(uses[k], 2);
    }
    const graphNode = new Int32Array(n).fill(-1);
    const nodeOsmId = new GrowableFloat64();
    const node = (k: number): number => {
      if (graphNode[k] < 0) {
        graphNode[k] = nodeOsmId.length;
        nodeOsmId.push(ids[k]);
      }
      return graphNode[k];
    };

    // Strings numbered in the order the kept ways use them (those of dropped copies of ways go).
    const strings: string[] = [''];
    const stringOf = new Map<number, number>([[0, 0]]);
    const intern = (i: number): number => {
      let o = stringOf.get(i);
      if (o === undefined) {
        o = strings.length;
        strings.push(ways.string(i));
        stringOf.set(i, o);
      }
      return o;
    };

    // Edges are walked twice, to count and then to fill arrays of the exact size:
    // growing arrays would hold up to twice their size, and three times while trimmed.
    let edgeCount = 0;
    let coordCount = 0;
    let missing = 0;
    for (let wi = 0; wi < ways.count; wi++) {
      missing += this.walkEdges(wi, uses, (_from, _to, lon) => {
        edgeCount++;
        coordCount += lon.length;
      });
    }
    this.stats.missingNodes += missing;
    const edgeFrom = new Int32Array(edgeCount);
    const edgeTo = new Int32Array(edgeCount);
    const geomStart = new Uint32Array(edgeCount + 1);
    const lonOut = new Float64Array(coordCount);
    const latOut = new Float64Array(coordCount);
    const edgeLength = new Float64Array(edgeCount);
    const edgeName = new Int32Array(edgeCount);
    const edgeRef = new Int32Array(edgeCount);
    const edgeFlags = new Uint8Array(edgeCount);
    const edgeClasses = new Uint8Array(edgeCount);
    const speeds = this.profiles.map(() => ({ f: new Int32Array(edgeCount), b: new Int32Array(edgeCount) }));
    /** First edge of each way (and one past the last way's edges at the end). */
    const wayEdgeStart = new Int32Array(ways.count + 1);
    let e = 0;
    let c = 0;
    for (let wi = 0; wi < ways.count; wi++) {
      const tags = this.tagSets[ways.tagSet(wi)];
      const first = this.indexOf(refs[refStart[wi]]);
      const ctx = { lon: this.lon[first] || 0, lat: this.lat[first] || 0 };
      const wayProfileSpeeds = this.profiles.map((p) => p.waySpeeds(tags, ctx));
      const hw = tags.highway ?? '';
      const flags = (tags.junction === 'roundabout' || tags.junction === 'circular' ? EDGE_ROUNDABOUT : 0)
        | (hw === 'motorway' || hw === 'trunk' ? EDGE_MOTORWAY : 0)
        | (hw.endsWith('_link') ? EDGE_LINK : 0)
        | (tags.route === 'ferry' ? EDGE_FERRY : 0);
      const classes = wayClasses(tags);
      const name = intern(ways.name(wi));
      const ref = intern(ways.ref(wi));
      wayEdgeStart[wi] = e;
      this.walkEdges(wi, uses, (fromK, toK, lon, lat, len) => {
        edgeFrom[e] = node(fromK);
        edgeTo[e] = node(toK);
        geomStart[e] = c;
        lonOut.set(lon, c);
        latOut.set(lat, c);
        c += lon.length;
        edgeLength[e] = len;
        edgeName[e] = name;
        edgeRef[e] = ref;
        edgeFlags[e] = flags;
        edgeClasses[e] = classes;
        for (let p = 0; p < this.profiles.length; p++) {
          const s = wayProfileSpeeds[p];
          speeds[p].f[e] = s.forward > 0 ? Math.max(1, Math.round((len / (s.forward / 3.6)) * WEIGHT_PER_SECOND)) : 0;
          speeds[p].b[e] = s.backward > 0 ? Math.max(1, Math.round((len / (s.backward / 3.6)) * WEIGHT_PER_SECOND)) : 0;
        }
        e++;
      });
    }
    wayEdgeStart[ways.count] = e;
    geomStart[e] = c;
    this.stats.ways = ways.count;

    const weights: RoadNetwork['weights'] = {};
    this.profiles.forEach((p, i) => {
      weights[p.name] = { forward: speeds[i].f, backward: speeds[i].b } satisfies ProfileWeights;
    });
    const barriers: RoadNetwork['barriers'] = {};
    this.profiles.forEach((p, bit) => {
      const list = new GrowableInt32();
      for (let i = 0; i < barrierNodes.ids.length; i++) {
        const k = this.indexOf(barrierNodes.ids[i]);
        if (graphNode[k] >= 0 && barrierNodes.blocks[i] & (1 << bit)) list.push(graphNode[k]);
      }
      barriers[p.name] = list.toArray();
    });
    const restrictions = this.resolveRestrictions({ wayEdgeStart, edgeFrom, edgeTo, graphNode });
    this.releaseInput();
    return {
      nodeCount: nodeOsmId.length,
      nodeOsmId: nodeOsmId.toArray(),
      edgeCount,
      edgeFrom,
      edgeTo,
      geomStart,
      coordLon: lonOut,
      coordLat: latOut,
      edgeLength,
      edgeName,
      edgeRef,
      edgeFlags,
      edgeClasses,
      strings,
      weights,
      barriers,
      restrictions,
    };
  }

  /**
   * Cuts way `wi` into edges at junctions (`uses` ≥ 2) and at nodes missing from the
   * input, calling `edge` with the needed-node indices of its ends, its points and its
   * length in metres, in order. Returns how many of the way's nodes are missing.
   */
  private walkEdges(wi: number, uses: Uint8Array, edge: (fromK: number, toK: number, lon: number[], lat: number[], len: number) => void): number {
    const r = this.ways.refs.subarray(this.ways.refStart[wi], this.ways.refStart[wi + 1]);
    let missing = 0;
    let segStartK = -1;
    let segLon: number[] = [];
    let segLat: number[] = [];
    let len = 0;
    const flush = (endK: number): void => {
      if (segStartK >= 0 && segLon.length >= 2) edge(segStartK, endK, segLon, segLat, len);
    };
    for (let i = 0; i < r.length; i++) {
      if (i > 0 && r[i] === r[i - 1] && i < r.length - 1) continue;
      const k = this.indexOf(r[i]);
      const x = this.lon[k];
      const y = this.lat[k];
      if (Number.isNaN(x)) {
        // Nodes cut off by the extract boundary: the way breaks there.
        missing++;
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
    return missing;
  }

  /** Drops what pass 1 and 2 kept: the contraction that follows needs the room. */
  private releaseInput(): void {
    this.ways.release();
    this.neededIds = new Float64Array(0);
    this.lon = new Float64Array(0);
    this.lat = new Float64Array(0);
    this.nodeTagId = new GrowableFloat64(0);
    this.nodeTagBlocks = new GrowableInt32(0);
  }

  /**
   * Tagged nodes that stop some profile, once each: in the order a node was first
   * read, with the profiles its last reading stops (inputs that overlap read a node twice).
   */
  private barrierNodes(): { ids: Float64Array; blocks: Int32Array } {
    const n = this.nodeTagId.length;
    const id = this.nodeTagId.data;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => id[a] - id[b] || a - b);
    // first reading of each node → blocks of its last reading
    const blocksAt = new Int32Array(n);
    const first = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (k > 0 && id[order[k - 1]] === id[i]) continue;
      let last = k;
      while (last + 1 < n && id[order[last + 1]] === id[i]) last++;
      first[i] = 1;
      blocksAt[i] = this.nodeTagBlocks.data[order[last]];
    }
    const ids = new GrowableFloat64();
    const blocks = new GrowableInt32();
    for (let i = 0; i < n; i++) {
      if (!first[i] || blocksAt[i] === 0) continue;
      ids.push(id[i]);
      blocks.push(blocksAt[i]);
    }
    return { ids: ids.toArray(), blocks: blocks.toArray() };
  }

  private resolveRestrictions(g: {
    wayEdgeStart: Int32Array;
    edgeFrom: Int32Array;
    edgeTo: Int32Array;
    graphNode: Int32Array;
  }): RoadNetwork['restrictions'] {
    const out: RoadNetwork['restrictions'] = {};
    for (const p of this.profiles) out[p.name] = [];
    const incident = (wayId: number, via: number): number[] => {
      const wi = this.ways.indexOf(wayId);
      if (wi < 0) return [];
      const found: number[] = [];
      for (let e = g.wayEdgeStart[wi]; e < g.wayEdgeStart[wi + 1]; e++) if (g.edgeFrom[e] === via || g.edgeTo[e] === via) found.push(e);
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
