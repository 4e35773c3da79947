/**
 * Runs part of the store through the import's feature code, as the import would have:
 * the given tagged nodes, then the sea (when asked), then the given ways, then the given
 * relations, each in id order (the order of a sorted extract, so features with equal
 * sort keys come out in the import's order). Everything their features depend on is
 * loaded with them: the nodes of every way, the member ways of the relations built as
 * areas or asked for sides, and every membership relation of the ways, so a way's
 * feature gets the memberships and sides a full import gives it.
 */
import type { DataErrors } from '../../core/data_errors.js';
import type { PolygonGeometry } from '../../core/geometry.js';
import type { Bounds } from '../../core/tile_math.js';
import { NodeStore } from '../../osm/node_store.js';
import type { OsmRelation, OsmWay } from '../../osm/types.js';
import type { Profile, SourceFeature } from '../../schema/profile.js';
import { CoastlineWays } from '../coastline/coastline_ways.js';
import { runSeaStage } from '../coastline/sea_stage.js';
import type { LonLatPoints } from '../coastline/data_outline.js';
import { wayMemberships, wayWork } from '../features_stage.js';
import { RelationStore } from '../relation_store.js';
import type { OsmCollection } from '../osm_collector.js';
import { addRelationSides } from '../relation_sides.js';
import { nodeFeature, relationFeature, wayFeature, WayGeometryBuilder } from '../source_features.js';
import { WayStore } from '../way_store.js';
import type { OsmStore } from './osm_store.js';

export interface SubsetIds {
  nodes: Iterable<number>;
  ways: Iterable<number>;
  relations: Iterable<number>;
  /** Also build the sea from the store's coastline ways. */
  sea: boolean;
}

export interface SeaSettings {
  bounds: Bounds;
  /** The clip outline the sea is closed along (only without a bbox, as in the import). */
  clip?: PolygonGeometry;
  /** No extent given: the sea is closed along the outline of every node and the header boxes. */
  derived?: { points: LonLatPoints; headerBoxes: readonly (Bounds | undefined)[] };
}

const byId = (a: number, b: number): number => a - b;

export function emitSubset(o: { store: OsmStore; profile: Profile; ids: SubsetIds; sea: SeaSettings; errors: DataErrors; process: (f: SourceFeature) => void }): void {
  const { store, profile, errors, process } = o;
  const types = new Set(profile.relationTypes);
  const emitWays = [...new Set(o.ids.ways)].sort(byId);
  const emitRels = [...new Set(o.ids.relations)].sort(byId);

  // relations: those to build, and every membership relation of the ways to build
  const relations = new Map<number, OsmRelation>();
  for (const id of emitRels) { const r = store.relation(id); if (r) relations.set(id, r); }
  for (const w of emitWays) {
    for (const id of store.relationsOfWay(w)) {
      if (relations.has(id)) continue;
      const r = store.relation(id);
      if (r && types.has(r.tags.type ?? '')) relations.set(id, r);
    }
  }
  const emitRelSet = new Set(emitRels);
  const wayIds = new Set(emitWays);
  for (const r of relations.values()) {
    if (!emitRelSet.has(r.id) && !profile.wantsSides?.(r.tags)) continue;
    for (const m of r.members) if (m.type === 'way') wayIds.add(m.ref);
  }
  const loaded: { way: OsmWay; wanted: boolean }[] = [];
  for (const id of [...wayIds].sort(byId)) { const w = store.way(id); if (w) loaded.push(w); }
  const coast = o.ids.sea ? store.coastlineWays() : [];

  const nodeIds = new Set<number>();
  for (const { way } of loaded) for (const r of way.refs) nodeIds.add(r);
  for (const way of coast) for (const r of way.refs) nodeIds.add(r);
  const nodes = loadNodes(store, nodeIds);
  const ways = new WayStore();
  for (const { way, wanted } of loaded) ways.add(way.id, way.refs, wanted ? way.tags : null);
  ways.seal();
  const relationStore = new RelationStore();
  for (const r of [...relations.values()].sort((a, b) => a.id - b.id)) relationStore.push(r);
  const osm: OsmCollection = {
    nodes, ways, relations: relationStore, headers: [],
    counts: { nodes: nodeIds.size, ways: loaded.length, relations: relations.size, duplicates: 0 },
  };

  for (const id of [...new Set(o.ids.nodes)].sort(byId)) {
    const n = store.node(id);
    // only nodes the profile wants keep their tags in the store
    if (n && Object.keys(n.tags).length > 0) process(nodeFeature(n));
  }
  if (coast.length > 0) {
    const cw = new CoastlineWays();
    for (const w of coast) cw.offer(w);
    runSeaStage({ coast: cw, nodes, bounds: o.sea.bounds, clip: o.sea.clip, derived: o.sea.derived, errors, process });
  }
  const memberships = wayMemberships(osm, profile);
  if (profile.wantsSides) addRelationSides(memberships, osm, (r) => profile.wantsSides!(r.tags));
  const builder = new WayGeometryBuilder(osm, errors);
  for (const id of emitWays) {
    const i = ways.indexOf(id);
    if (i < 0) continue;
    const w = wayWork(osm, memberships, i);
    if (!w) continue;
    const f = wayFeature(i, w.tags, w.relations, osm, builder);
    if (f) process(f);
  }
  for (const id of emitRels) {
    const rel = relations.get(id);
    if (!rel) continue;
    const t = rel.tags.type;
    if (t !== 'multipolygon' && t !== 'boundary') continue;
    if (!profile.wants(rel.tags, 'relation')) continue;
    const f = relationFeature(rel, osm, builder, errors);
    if (f) process(f);
  }
}

function loadNodes(store: OsmStore, ids: Set<number>): NodeStore {
  const sorted = Float64Array.from(ids).sort();
  const lons = new Float64Array(sorted.length), lats = new Float64Array(sorted.length), found = new Float64Array(sorted.length);
  let k = 0;
  for (const id of sorted) {
    const n = store.location(id);
    if (!n) continue;
    found[k] = id; lons[k] = n.lon; lats[k] = n.lat; k++;
  }
  const nodes = new NodeStore();
  if (k > 0) nodes.addBlock(found.subarray(0, k), lons.subarray(0, k), lats.subarray(0, k));
  nodes.seal();
  return nodes;
}
