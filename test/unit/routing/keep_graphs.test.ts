/**
 * buildRoutingFromSources with keepGraphs: false (what route-build uses) drops each
 * profile graph's arcs once contracted, and writes the same routing data.
 */
import assert from 'node:assert/strict';
import { buildRoutingFromSources } from '../../../src/routing/build_routing_graph.js';
import { blockSource, crossroadsBlock, restriction } from './fixture_blocks.js';

describe('buildRoutingFromSources keepGraphs', () => {
  for (const workers of [false, true]) {
    it(`without graphs kept, the same routing data and no graph left (workers: ${workers})`, async () => {
      const block = crossroadsBlock([restriction(900, 'no_left_turn', 1, 10, 3)]);
      const kept = await buildRoutingFromSources({ sources: [blockSource(block)], workers });
      const dropped = await buildRoutingFromSources({ sources: [blockSource(block)], workers, keepGraphs: false });
      assert.equal(kept.graphs.size, 3);
      assert.equal(dropped.graphs.size, 0);
      assert.deepEqual([...dropped.data.profiles.keys()], [...kept.data.profiles.keys()]);
      for (const [name, p] of kept.data.profiles) assert.deepEqual(dropped.data.profiles.get(name), p, name);
      assert.deepEqual(dropped.data.network, kept.data.network);
    });
  }
});
