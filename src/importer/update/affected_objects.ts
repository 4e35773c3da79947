/**
 * Which objects' features a set of changes can alter, beyond the changed objects
 * themselves: ways whose nodes changed (moved, deleted, re-created), relations with
 * such a way, or a changed way whose node list changed, as member (their areas'
 * rings), and every member way of a changed relation of a membership type, old members
 * included (their memberships, and the side of a border a country lies on, come from
 * the relation). A relation's features come from its own tags and its members'
 * geometry, never their tags: a way whose tags alone changed (a rename) does not pass
 * it on, nor does a way touched only through a membership.
 */
import type { Profile } from '../../schema/profile.js';
import type { ChangeSet } from './change_applier.js';
import type { OsmStore } from './osm_store.js';

export interface AffectedObjects {
  nodes: Set<number>;
  ways: Set<number>;
  relations: Set<number>;
  /** A coastline way changed (or moved): the sea must be built again. */
  coastChanged: boolean;
}

export function affectedObjects(store: OsmStore, profile: Profile, changes: ChangeSet): AffectedObjects {
  const types = new Set(profile.relationTypes);
  const geomWays = new Set(changes.reshapedWays);
  for (const n of changes.nodes) for (const w of store.waysOfNode(n)) geomWays.add(w);
  let coastChanged = changes.coastChanged;
  const relations = new Set(changes.relations);
  for (const w of geomWays) {
    if (!coastChanged && !changes.ways.has(w) && store.way(w)?.coast) coastChanged = true;
    for (const r of store.relationsOfWay(w)) relations.add(r);
  }
  const ways = new Set([...changes.ways, ...geomWays, ...changes.formerMemberWays]);
  for (const id of relations) {
    const r = store.relation(id);
    if (!r || !types.has(r.tags.type ?? '')) continue;
    for (const m of r.members) if (m.type === 'way') ways.add(m.ref);
  }
  return { nodes: new Set(changes.nodes), ways, relations, coastChanged };
}
