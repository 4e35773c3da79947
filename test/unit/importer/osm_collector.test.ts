import assert from 'node:assert/strict';
import { DataErrors } from '../../../src/core/data_errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { collectOsm } from '../../../src/importer/osm_collector.js';
import type { OsmBlock, OsmFileReader, OsmNode, OsmTags } from '../../../src/osm/types.js';
import type { Profile } from '../../../src/schema/profile.js';

const WANTED: OsmTags = { amenity: 'cafe' };
const OTHER: OsmTags = { note: 'x' };

/** An input that streams tagged nodes with ids from `ids()` (no file, no node locations), in blocks of 8,000. */
function syntheticReader(name: string, ids: () => Iterable<number>, tagsOf: (id: number) => OsmTags): OsmFileReader {
  return {
    path: name, format: 'pbf', size: 1,
    header: async () => ({ requiredFeatures: [] }),
    async *blocks(): AsyncIterable<OsmBlock> {
      const empty = new Float64Array(0);
      let nodes: OsmNode[] = [];
      for (const id of ids()) {
        nodes.push({ type: 'node', id, lon: 0, lat: 0, tags: tagsOf(id) });
        if (nodes.length === 8000) {
          yield { nodeIds: empty, nodeLons: empty, nodeLats: empty, taggedNodes: nodes, ways: [], relations: [] };
          nodes = [];
        }
      }
      yield { nodeIds: empty, nodeLons: empty, nodeLats: empty, taggedNodes: nodes, ways: [], relations: [] };
    },
  };
}

const profile = {
  relationTypes: [],
  wants: (tags: OsmTags) => tags === WANTED,
} as unknown as Profile;

describe('importer/collectOsm', () => {
  it('keeps each tagged node of overlapping inputs once, past 2^24 distinct ids (more than a JS Set holds)', async function () {
    this.timeout(600_000);
    const n = 2 ** 24 + 50_000;
    // first input: n distinct ids, every 1000th wanted; second: every 500th id of the first (all duplicates) and 3,000 new ones
    const first = syntheticReader('a', function* () { for (let i = 1; i <= n; i++) yield i * 2; }, (id) => (id % 2000 === 0 ? WANTED : OTHER));
    const second = syntheticReader('b', function* () {
      for (let i = 500; i <= n; i += 500) yield i * 2;
      for (let i = 1; i <= 3000; i++) yield 2 * n + 2 * i + 1;
    }, () => WANTED);
    const handed: number[] = [];
    const c = await collectOsm({
      readers: [first, second], profile, threads: 1, logger: silentLogger, errors: new DataErrors(),
      onNode: (node) => { handed.push(node.id); },
    });
    const dupes = Math.floor(n / 500);
    assert.equal(c.counts.duplicates, dupes);
    assert.equal(handed.length, Math.floor(n / 1000) + 3000);
    assert.equal(new Set(handed).size, handed.length, 'a node handed over twice');
    assert.equal(handed[handed.length - 1], 2 * n + 6001);
  });
});
