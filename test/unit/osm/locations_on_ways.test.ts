import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PbfReader } from '../../../src/osm/pbf_reader.js';
import { XmlReader } from '../../../src/osm/xml_reader.js';
import { osmFile, tempDir } from '../../helpers/paths.js';

/** Node ids (with their places) a reader yields for the given filter. */
async function nodesOf(file: string, filter: { nodes: boolean; ways: boolean; relations: boolean }): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const reader = file.endsWith('.pbf') ? new PbfReader(file) : new XmlReader(file);
  for await (const b of reader.blocks({ ...filter, threads: 1 })) {
    for (let i = 0; i < b.nodeIds.length; i++) out.set(b.nodeIds[i], `${b.nodeLons[i].toFixed(7)},${b.nodeLats[i].toFixed(7)}`);
  }
  return out;
}

describe('OSM readers: locations on ways (osmium add-locations-to-ways)', () => {
  for (const ext of ['osm.pbf', 'osm']) it(`${ext}: a nodes-only pass (as the routing graph build makes) gets the places carried by ways`, async () => {
    const dir = tempDir('low');
    const low = path.join(dir, `low.${ext}`);
    execFileSync('osmium', ['add-locations-to-ways', osmFile('wehr.osm.pbf'), '-o', low, '-f', ext === 'osm' ? 'osm' : 'pbf', '--overwrite'], { stdio: 'pipe' });
    const all = await nodesOf(low, { nodes: true, ways: true, relations: true });
    const nodesOnly = await nodesOf(low, { nodes: true, ways: false, relations: false });
    const plain = await nodesOf(osmFile('wehr.osm.pbf'), { nodes: true, ways: false, relations: false });
    assert.ok(all.size > 10000, `${all.size} nodes`);
    assert.equal(nodesOnly.size, all.size);
    for (const [id, at] of all) assert.equal(nodesOnly.get(id), at, `node ${id}`);
    // and they are the plain extract's places
    for (const [id, at] of nodesOnly) if (plain.has(id)) assert.equal(plain.get(id), at, `node ${id}`);
  });
});
