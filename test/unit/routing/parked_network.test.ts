/**
 * The network arrays the contraction does not read are parked in a temporary file
 * while the profiles contract (ParkedNetwork), then read back: same routing data,
 * nothing left on disk, and route-build parks them beside its output.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { osmFile, tempDir } from '../../helpers/paths.js';
import { buildRoutingFromSources, buildRoutingGraph } from '../../../src/routing/build_routing_graph.js';
import { PARKED_ARRAYS, ParkedNetwork } from '../../../src/routing/parked_network.js';
import { readRoutingData } from '../../../src/routing/routing_data.js';
import { blockSource, crossroadsBlock, restriction } from './fixture_blocks.js';

describe('ParkedNetwork', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir('tuilerie-park-'); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('empties the parked arrays while parked and gives them back byte for byte', async () => {
    const { network } = await buildRoutingFromSources({ sources: [blockSource(crossroadsBlock([]))], workers: false });
    const before = Object.fromEntries(PARKED_ARRAYS.map((k) => [k, network[k].slice()]));
    const file = path.join(dir, 'net.park');
    const parked = ParkedNetwork.park(network, file);
    for (const k of PARKED_ARRAYS) assert.equal(network[k].length, 0, k);
    assert.ok(fs.statSync(file).size > 0);
    parked.restore();
    for (const k of PARKED_ARRAYS) assert.deepEqual(network[k], before[k], k);
    assert.equal(fs.existsSync(file), false);
  });

  for (const workers of [false, true]) {
    it(`a build that parks the network writes the same routing data, and removes the file (workers: ${workers})`, async () => {
      const block = crossroadsBlock([restriction(900, 'no_left_turn', 1, 10, 3)]);
      const file = path.join(dir, 'net.park');
      const plain = await buildRoutingFromSources({ sources: [blockSource(block)], workers, keepGraphs: false });
      const parked = await buildRoutingFromSources({ sources: [blockSource(block)], workers, keepGraphs: false, parkFile: file });
      assert.deepEqual(parked.data.network, plain.data.network);
      for (const [name, p] of plain.data.profiles) assert.deepEqual(parked.data.profiles.get(name), p, name);
      assert.equal(fs.existsSync(file), false);
    });
  }

  it('a build that fails while contracting removes the parked file', async () => {
    const file = path.join(dir, 'net.park');
    const block = crossroadsBlock([]);
    await assert.rejects(buildRoutingFromSources({
      sources: [blockSource(block)], workers: false, keepGraphs: false, parkFile: file,
      // the contraction's progress bar logs through this logger: failing there fails the contraction stage
      logger: { debug() {}, info(m: string) { if (/contracting/.test(m)) throw new Error('boom'); }, warn() {}, error() {}, child() { return this; } },
    }), /boom/);
    assert.equal(fs.existsSync(file), false);
  });

  it('route-build parks the network beside its output while contracting, and leaves nothing there', async function () {
    this.timeout(300000);
    const out = path.join(dir, 'heidelberg.routing');
    const seen = new Set<string>();
    const watch = setInterval(() => { for (const f of fs.readdirSync(dir)) seen.add(f); }, 5);
    try {
      await buildRoutingGraph({ inputs: [osmFile('heidelberg-routing.osm.pbf')], out, profiles: ['foot'] });
    } finally {
      clearInterval(watch);
    }
    assert.ok([...seen].some((f) => /^\.heidelberg\.routing\.network\.tmp-\d+$/.test(f)), `files seen: ${[...seen].join(', ')}`);
    assert.deepEqual(fs.readdirSync(dir), ['heidelberg.routing']);
    assert.ok(readRoutingData(out).network.coordLon.length > 0);
  });
});
