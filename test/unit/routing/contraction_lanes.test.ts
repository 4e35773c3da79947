/** How many profiles contract at once under a memory budget. */
import assert from 'node:assert/strict';
import { contractionLanes, profileContractionLanes } from '../../../src/routing/build_routing_graph.js';
import { buildProfileGraph, profileGraphBound } from '../../../src/routing/profile_graph.js';
import { RoadNetworkBuilder } from '../../../src/routing/road_network_builder.js';
import type { RoadNetwork } from '../../../src/routing/road_network.js';
import type { ProfileName } from '../../../src/routing/routing_profiles.js';
import type { OsmBlock } from '../../../src/osm/types.js';
import { crossroadsBlock, restriction, squareBlock } from './fixture_blocks.js';

const MIB = 2 ** 20;
const graphs = [{ nodeCount: 1e6, arcs: 2e6 }, { nodeCount: 1e6, arcs: 3e6 }, { nodeCount: 1e6, arcs: 1e6 }];

describe('contractionLanes', () => {
  it('without a budget, one profile per thread', () => {
    assert.equal(contractionLanes({ graphs, threads: 2, rssBytes: 0 }), 2);
    assert.equal(contractionLanes({ graphs, threads: 8, rssBytes: 0 }), 3);
  });

  it('a roomy budget keeps every thread busy', () => {
    assert.equal(contractionLanes({ graphs, threads: 2, rssBytes: 500 * MIB, maxMemoryBytes: 64 * 1024 * MIB }), 2);
  });

  it('contracts one at a time when two of the largest do not fit beside what is held', () => {
    // the two largest take 110 B × (7 M + 5 M elements) ≈ 1.26 GiB
    assert.equal(contractionLanes({ graphs, threads: 2, rssBytes: 800 * MIB, maxMemoryBytes: 2048 * MIB }), 1);
    assert.equal(contractionLanes({ graphs, threads: 2, rssBytes: 500 * MIB, maxMemoryBytes: 2048 * MIB }), 2);
  });

  it('never goes below one lane, even with a budget already spent', () => {
    assert.equal(contractionLanes({ graphs, threads: 2, rssBytes: 4096 * MIB, maxMemoryBytes: 1024 * MIB }), 1);
  });

  describe('graphs not built yet (each is built when its contraction starts)', () => {
    const PROFILES: ProfileName[] = ['car', 'bicycle', 'foot'];
    function network(block: OsmBlock): RoadNetwork {
      const b = new RoadNetworkBuilder(PROFILES);
      b.addWaysAndRelations(block);
      b.endWayPass();
      b.addNodes(block);
      return b.build();
    }
    const networks = (): [string, RoadNetwork][] => [
      ['turn restrictions', network(crossroadsBlock([restriction(900, 'no_left_turn', 1, 10, 3), restriction(901, 'only_straight_on', 4, 10, 3)]))],
      ['a bollard', network(squareBlock({}, { barrier: 'bollard' }))],
      ['a oneway', network(squareBlock({ oneway: 'yes' }))],
    ];
    const bytes = (g: { nodeCount: number; arcs: number }): number => 110 * (g.nodeCount + 2 * g.arcs);

    it('are counted at an upper bound of the graph their build makes: node copies at barriers and turn restrictions too', () => {
      for (const [what, net] of networks()) {
        for (const p of PROFILES) {
          const bound = profileGraphBound(net, p);
          const g = buildProfileGraph(net, p);
          assert.ok(bound.nodeCount >= g.nodeCount, `${what}, ${p}: ${bound.nodeCount} nodes counted, ${g.nodeCount} built`);
          assert.ok(bound.arcs >= g.arcHead.length, `${what}, ${p}: ${bound.arcs} arcs counted, ${g.arcHead.length} built`);
        }
      }
    });

    it('one lane when the budget fits one unbuilt profile graph beside what is held but not two; two with plenty', () => {
      for (const [what, net] of networks()) {
        // the two largest graphs as built: the budget must hold at least these
        const sizes = PROFILES.map((p) => buildProfileGraph(net, p)).map((g) => bytes({ nodeCount: g.nodeCount, arcs: g.arcHead.length })).sort((a, b) => b - a);
        const held = 300 * MIB;
        const lanes = (maxMemoryBytes: number): number => profileContractionLanes(net, PROFILES, { threads: 2, rssBytes: held, maxMemoryBytes });
        assert.equal(lanes(held + sizes[0] + sizes[1] - 1), 1, what);
        assert.equal(lanes(held + sizes[0] + sizes[0] / 2), 1, `${what}: room for one and a half of the largest`);
        assert.equal(lanes(64 * 1024 * MIB), 2, what);
      }
    });
  });
});
