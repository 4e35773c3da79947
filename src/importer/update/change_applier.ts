/**
 * Applies osmChange changes, in order, to the update store, and notes what they touch:
 * the ids of changed nodes, ways and relations, the ways that were members of changed
 * relations of the membership types (they lose or gain a membership), and whether the
 * coastline changed. Store rows follow the import's rules (tags kept only when the
 * profile wants them, relations only of the kinds the import collects). Changes that
 * contradict the store (modifying or deleting an object it does not have) are counted
 * data errors, never fatal.
 */
import type { DataErrors } from '../../core/data_errors.js';
import type { OscChange } from '../../osm/osc_reader.js';
import type { OsmEntity, OsmRelation } from '../../osm/types.js';
import type { Profile } from '../../schema/profile.js';
import { isCoastline } from '../coastline/coastline_ways.js';
import { wantsRelation } from '../osm_collector.js';
import type { OsmStore } from './osm_store.js';
import { isRoutableWay, isRoutingNode, isRoutingRelation } from '../../osm/routing_tags.js';

export type ChangeCounts = Record<OsmEntity['type'], { create: number; modify: number; delete: number }>;

export interface ChangeSet {
  nodes: Set<number>;
  ways: Set<number>;
  relations: Set<number>;
  /** Changed ways whose node list changed (created, deleted, other refs): their geometry, hence their relations' rings, may have. */
  reshapedWays: Set<number>;
  /** Ways that were members of changed relations of a membership type (before the change). */
  formerMemberWays: Set<number>;
  coastChanged: boolean;
  /** [west, south, east, north] of the changed nodes' locations before the change (those the store had) and after. */
  nodesBefore: [number, number, number, number];
  nodesAfter: [number, number, number, number];
  /** A road (a way a routing graph reads), one of its nodes, a barrier or a turn restriction changed. */
  roadsChanged: boolean;
  counts: ChangeCounts;
}

function emptyBox(): [number, number, number, number] {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

function extend(b: [number, number, number, number], lon: number, lat: number): void {
  b[0] = Math.min(b[0], lon); b[1] = Math.min(b[1], lat); b[2] = Math.max(b[2], lon); b[3] = Math.max(b[3], lat);
}

export function emptyChangeSet(): ChangeSet {
  const zero = (): { create: number; modify: number; delete: number } => ({ create: 0, modify: 0, delete: 0 });
  return {
    nodes: new Set(), ways: new Set(), relations: new Set(), reshapedWays: new Set(), formerMemberWays: new Set(), coastChanged: false, roadsChanged: false,
    nodesBefore: emptyBox(), nodesAfter: emptyBox(),
    counts: { node: zero(), way: zero(), relation: zero() },
  };
}

function sameRefs(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class ChangeApplier {
  private readonly types: Set<string>;

  constructor(private readonly store: OsmStore, private readonly profile: Profile, private readonly errors: DataErrors, readonly changes: ChangeSet = emptyChangeSet()) {
    this.types = new Set(profile.relationTypes);
  }

  apply(c: OscChange): void {
    const type = c.action === 'delete' ? c.type : c.entity.type;
    const id = c.action === 'delete' ? c.id : c.entity.id;
    this.changes.counts[type][c.action]++;
    if (type === 'node') this.node(c, id);
    else if (type === 'way') this.way(c, id);
    else this.relation(c, id);
  }

  private missing(c: OscChange, existed: boolean): void {
    if (c.action !== 'create' && !existed) this.errors.count(c.action === 'modify' ? 'osc_modify_missing' : 'osc_delete_missing');
  }

  private node(c: OscChange, id: number): void {
    const s = this.store;
    this.changes.nodes.add(id);
    const was = s.location(id);
    if (was) extend(this.changes.nodesBefore, was.lon, was.lat);
    if (!this.changes.roadsChanged && (isRoutingNode(c.action === 'delete' ? undefined : c.entity.tags) || s.waysOfNode(id).some((w) => isRoutableWay(s.way(w)?.way.tags)))) this.changes.roadsChanged = true;
    if (c.action === 'delete') { this.missing(c, s.deleteNode(id)); return; }
    const n = c.entity as Extract<OsmEntity, { type: 'node' }>;
    if (c.action === 'modify') this.missing(c, was !== undefined);
    extend(this.changes.nodesAfter, n.lon, n.lat);
    s.putNode(n, this.profile.wants(n.tags, 'node') ? n.tags : null);
  }

  private way(c: OscChange, id: number): void {
    const s = this.store;
    this.changes.ways.add(id);
    const old = s.way(id);
    if (old?.coast) this.changes.coastChanged = true;
    if (isRoutableWay(old?.way.tags) || (c.action !== 'delete' && isRoutableWay(c.entity.tags))) this.changes.roadsChanged = true;
    if (c.action === 'delete') { this.changes.reshapedWays.add(id); this.missing(c, s.deleteWay(id)); return; }
    this.missing(c, old !== undefined);
    const w = c.entity as Extract<OsmEntity, { type: 'way' }>;
    if (!old || !sameRefs(old.way.refs, w.refs)) this.changes.reshapedWays.add(id);
    const coast = isCoastline(w);
    if (coast) this.changes.coastChanged = true;
    s.putWay(w, this.profile.wants(w.tags, 'way') ? w.tags : null, coast, old?.way.refs);
  }

  private relation(c: OscChange, id: number): void {
    const s = this.store;
    this.changes.relations.add(id);
    const old = s.relation(id);
    if (old) this.noteMembers(old);
    // restrictions are not kept in the store: a deleted relation it does not have may have been one
    if ((c.action === 'delete' && !old) || (c.action !== 'delete' && isRoutingRelation(c.entity.tags))) this.changes.roadsChanged = true;
    // relations the import does not collect are not in the store: an unknown id is no error here
    if (c.action === 'delete') { s.deleteRelation(id); return; }
    const r = c.entity as OsmRelation;
    if (wantsRelation(this.profile, this.types, r.tags)) s.putRelation(r);
    else if (old) s.deleteRelation(id);
  }

  private noteMembers(rel: OsmRelation): void {
    if (!this.types.has(rel.tags.type ?? '')) return;
    for (const m of rel.members) if (m.type === 'way') this.changes.formerMemberWays.add(m.ref);
  }
}
