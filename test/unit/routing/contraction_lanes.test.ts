/** How many profiles contract at once under a memory budget. */
import assert from 'node:assert/strict';
import { contractionLanes } from '../../../src/routing/build_routing_graph.js';

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
});
