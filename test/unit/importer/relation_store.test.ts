import assert from 'node:assert/strict';
import type { OsmMember, OsmRelation } from '../../../src/osm/types.js';
import type { RelationMembership } from '../../../src/schema/profile.js';
import { RelationStore } from '../../../src/importer/relation_store.js';
import { WayMemberships } from '../../../src/importer/way_memberships.js';

// a small deterministic generator: the failing seed is in the message
const rng = (seed: number) => (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };

const TYPES = ['route', 'boundary', 'multipolygon', 'building', 'site'];
const ROLES = ['outer', 'inner', '', 'forward', 'backward', 'stop', 'outline', 'part', 'admin_centre'];

/** Relations as an extract has them: ways shared by several relations, a way twice in one relation, big ids, empty relations. */
function relations(rand: () => number, n: number): OsmRelation[] {
  const out: OsmRelation[] = [];
  for (let i = 0; i < n; i++) {
    const members: OsmMember[] = [];
    const count = rand() < 0.05 ? 0 : Math.floor(rand() * 30);
    for (let k = 0; k < count; k++) {
      const r = rand();
      const type: OsmMember['type'] = r < 0.8 ? 'way' : r < 0.95 ? 'node' : 'relation';
      // a small id space: many ways belong to several relations
      const ref = rand() < 0.1 ? 2 ** 40 + Math.floor(rand() * 50) : Math.floor(rand() * 400);
      const role = rand() < 0.02 ? `role ${Math.floor(rand() * 1000)} é` : ROLES[Math.floor(rand() * ROLES.length)];
      members.push({ type, ref, role });
      if (rand() < 0.03) members.push({ type, ref, role: 'again' });
    }
    const tags: Record<string, string> = { type: TYPES[Math.floor(rand() * TYPES.length)] };
    if (rand() < 0.7) tags.name = `Relation ${i} — 東京`;
    if (rand() < 0.3) tags.ref = `D ${Math.floor(rand() * 999)}`;
    out.push({ type: 'relation', id: 1000 + i * 7 + (rand() < 0.1 ? 2 ** 33 : 0), members, tags });
  }
  return out;
}

/** The model: what features_stage.ts built before, a Map of arrays of objects. */
function modelMemberships(rels: OsmRelation[], types: Set<string>): Map<number, RelationMembership[]> {
  const memberships = new Map<number, RelationMembership[]>();
  for (const rel of rels) {
    if (!types.has(rel.tags.type ?? '')) continue;
    for (const m of rel.members) {
      if (m.type !== 'way') continue;
      let list = memberships.get(m.ref);
      if (!list) memberships.set(m.ref, (list = []));
      list.push({ relationId: rel.id, role: m.role, tags: rel.tags });
    }
  }
  return memberships;
}

describe('importer/RelationStore and WayMemberships', () => {
  it('give back every relation as pushed, by index and in iteration order', () => {
    for (const seed of [1, 2, 3]) {
      const rels = relations(rng(seed), 3000);
      const store = new RelationStore();
      for (const r of rels) store.push(r);
      assert.equal(store.length, rels.length, `seed ${seed}`);
      assert.deepEqual([...store], rels, `seed ${seed}`);
      for (let i = 0; i < rels.length; i += 97) {
        assert.deepEqual(store.at(i), rels[i], `seed ${seed}, relation ${i}`);
        assert.equal(store.idAt(i), rels[i].id);
        assert.deepEqual(store.tagsAt(i), rels[i].tags);
      }
    }
  });

  it('give each way the memberships the Map of arrays gave, in the same order, with sides set as it set them', () => {
    for (const seed of [4, 5, 6]) {
      const rand = rng(seed);
      const rels = relations(rand, 2000);
      const types = new Set(['route', 'boundary', 'building']);
      const store = new RelationStore();
      for (const r of rels) store.push(r);
      const model = modelMemberships(rels, types);
      const got = new WayMemberships(store, types);
      // sides as relation_sides.ts set them: on the first membership of the way in that relation
      for (let i = 0; i < rels.length; i++) {
        for (const m of rels[i].members) {
          if (m.type !== 'way' || rand() < 0.5) continue;
          const side = rand() < 0.5 ? 'left' : 'right';
          const entry = model.get(m.ref)?.find((x) => x.relationId === rels[i].id);
          assert.equal(got.has(m.ref, i), entry !== undefined, `seed ${seed}`);
          if (entry) entry.side = side;
          assert.equal(got.setSide(m.ref, i, side), entry !== undefined);
        }
      }
      let entries = 0;
      for (let ref = -5; ref < 420; ref++) {
        assert.deepEqual(got.get(ref), model.get(ref) ?? [], `seed ${seed}, way ${ref}`);
        entries += model.get(ref)?.length ?? 0;
      }
      for (let ref = 2 ** 40; ref < 2 ** 40 + 50; ref++) {
        assert.deepEqual(got.get(ref), model.get(ref) ?? [], `seed ${seed}, way ${ref}`);
        entries += model.get(ref)?.length ?? 0;
      }
      assert.equal(got.size, entries);
    }
  });

  it('hold no JavaScript object per relation or member: a million members take typed arrays only', () => {
    const store = new RelationStore();
    const members: OsmMember[] = [];
    for (let k = 0; k < 1000; k++) members.push({ type: 'way', ref: k, role: k % 2 ? 'forward' : '' });
    for (let i = 0; i < 1000; i++) store.push({ type: 'relation', id: i, members, tags: { type: 'route', route: 'bus' } });
    // 13 bytes a member, the typed arrays at most doubled while growing
    assert.ok(store.bytes < 1_000_000 * 13 * 2 + 8 * 2 ** 20, `${store.bytes} bytes`);
    const ways = new WayMemberships(store, new Set(['route']));
    assert.equal(ways.size, 1_000_000);
    assert.equal(ways.get(999).length, 1000);
  });
});
