/**
 * The update store's node → way index follows a changed way: removed nodes no longer
 * list it, added ones do, and the pairs that stay are not written again (each is a
 * random page of a large index: a renamed way writes none).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OsmStore } from '../../../../src/importer/update/osm_store.js';
import type { OsmWay } from '../../../../src/osm/types.js';

const way = (id: number, refs: number[], name: string): OsmWay => ({ type: 'way', id, refs: Float64Array.from(refs), tags: { highway: 'residential', name } });

describe('update/osm_store: a way put again', () => {
  let dir: string;
  let store: OsmStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-osm-store-'));
    store = OsmStore.create(path.join(dir, 'osm.sqlite'));
    store.addWay(way(7, [1, 2, 3, 2], 'A'), { highway: 'residential', name: 'A' }, false);
    store.addWay(way(8, [3, 4], 'B'), { highway: 'residential', name: 'B' }, false);
    store.finishBulk();
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const pairs = (): Map<string, number> => new Map((store.db.prepare('SELECT rowid AS r, node, way FROM way_nodes').all() as { r: number; node: number; way: number }[]).map((p) => [`${p.node}-${p.way}`, p.r]));

  it('with other nodes: the index lists the way under exactly its new nodes', () => {
    const before = store.way(7)!.way.refs;
    store.putWay(way(7, [2, 3, 5, 5], 'A'), { highway: 'residential', name: 'A' }, false, before);
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => store.waysOfNode(n).sort()), [[], [7], [7, 8], [8], [7]]);
    assert.equal(pairs().size, 5);
  });

  it('with the same nodes (a rename): no pair is written again', () => {
    const was = pairs();
    store.putWay(way(7, [1, 2, 3, 2], 'C'), { highway: 'residential', name: 'C' }, false, store.way(7)!.way.refs);
    assert.deepEqual(pairs(), was);
    assert.equal(store.way(7)!.way.tags.name, 'C');
  });

  it('created (nothing stored before): the index lists it under its nodes', () => {
    store.putWay(way(9, [4, 6], 'D'), { highway: 'residential', name: 'D' }, false, undefined);
    assert.deepEqual([4, 6].map((n) => store.waysOfNode(n).sort()), [[8, 9], [9]]);
  });
});
