/**
 * A relation's features come from its tags and its members' geometry: a member way
 * renamed (same nodes) runs again alone, a member way given other nodes takes its
 * relation with it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataErrors } from '../../../../src/core/data_errors.js';
import { affectedObjects } from '../../../../src/importer/update/affected_objects.js';
import { ChangeApplier } from '../../../../src/importer/update/change_applier.js';
import { OsmStore } from '../../../../src/importer/update/osm_store.js';
import type { OsmWay } from '../../../../src/osm/types.js';
import { createProfile } from '../../../../src/schema/profiles.js';

const way = (id: number, refs: number[], tags: Record<string, string>): OsmWay => ({ type: 'way', id, refs: Float64Array.from(refs), tags });

describe('update/affected_objects: members of a multipolygon', () => {
  let dir: string;
  let store: OsmStore;
  const profile = createProfile('openmaptiles');
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-affected-'));
    store = OsmStore.create(path.join(dir, 'osm.sqlite'));
    store.addNodes(Float64Array.from([1, 2, 3, 4]), Float64Array.from([7, 7.01, 7.01, 7]), Float64Array.from([47, 47, 47.01, 47.01]));
    store.addWay(way(10, [1, 2, 3], { highway: 'residential', name: 'A' }), { highway: 'residential', name: 'A' }, false);
    store.addWay(way(11, [3, 4, 1], {}), null, false);
    store.addRelation({ type: 'relation', id: 20, tags: { type: 'multipolygon', landuse: 'forest' }, members: [{ type: 'way', ref: 10, role: 'outer' }, { type: 'way', ref: 11, role: 'outer' }] });
    store.finishBulk();
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const affectedBy = (w: OsmWay): { ways: number[]; relations: number[] } => {
    const applier = new ChangeApplier(store, profile, new DataErrors());
    applier.apply({ action: 'modify', entity: w });
    const a = affectedObjects(store, profile, applier.changes);
    return { ways: [...a.ways].sort(), relations: [...a.relations] };
  };

  it('a member way renamed (the same nodes) runs again alone', () => {
    assert.deepEqual(affectedBy(way(10, [1, 2, 3], { highway: 'residential', name: 'B' })), { ways: [10], relations: [] });
  });

  it('a member way given other nodes takes its relation with it', () => {
    assert.deepEqual(affectedBy(way(10, [1, 2, 4, 3], { highway: 'residential', name: 'A' })), { ways: [10], relations: [20] });
  });
});
