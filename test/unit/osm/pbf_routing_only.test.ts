/**
 * PbfReader with `routingOnly`: the decoding threads drop what a routing graph does
 * not read, and keep the rest exactly as a full read gives it (same order, refs, tags).
 */
import assert from 'node:assert/strict';
import { PbfReader } from '../../../src/osm/pbf_reader.js';
import { isRoutableWay, isRoutingNode, isRoutingRelation } from '../../../src/osm/routing_tags.js';
import { osmFile } from '../../helpers/paths.js';
import { collect } from './collect.js';

describe('PbfReader routingOnly', () => {
  for (const name of ['mulhouse.osm.pbf', 'heidelberg-routing.osm.pbf']) {
    it(`gives only the routable ways, restrictions and blocking nodes of ${name}, as a full read does`, async () => {
      const full = await collect(new PbfReader(osmFile(name)), { threads: 2 }, true);
      const routing = await collect(new PbfReader(osmFile(name)), { threads: 2, routingOnly: true }, true);
      const ways = [...full.ways.values()].filter((w) => isRoutableWay(w.tags));
      assert.ok(ways.length > 0 && ways.length < full.ways.size, 'the extract has ways of both kinds');
      assert.deepEqual([...routing.ways.values()].map((w) => ({ id: w.id, refs: Array.from(w.refs), tags: w.tags })),
        ways.map((w) => ({ id: w.id, refs: Array.from(w.refs), tags: w.tags })));
      assert.deepEqual([...routing.relations.values()], [...full.relations.values()].filter((r) => isRoutingRelation(r.tags)));
      assert.deepEqual([...routing.nodeTags], [...full.nodeTags].filter(([, t]) => isRoutingNode(t)));
      assert.deepEqual(routing.nodes, full.nodes);
      assert.deepEqual(routing.order, full.order.filter((k) => !k.startsWith('w') && !k.startsWith('r') || routing.ways.has(Number(k.slice(1))) && k.startsWith('w') || routing.relations.has(Number(k.slice(1))) && k.startsWith('r')));
    });
  }
});
