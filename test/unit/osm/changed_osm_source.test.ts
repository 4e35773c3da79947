import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ChangedOsmSource } from '../../../src/osm/changed_osm_source.js';
import type { OsmBlock, OsmBlockSource, OsmNode } from '../../../src/osm/types.js';
import { tempDir } from '../../helpers/paths.js';

function block(nodes: OsmNode[], ways: Array<[number, number[], Record<string, string>]>): OsmBlock {
  return {
    nodeIds: Float64Array.from(nodes.map((n) => n.id)), nodeLons: Float64Array.from(nodes.map((n) => n.lon)), nodeLats: Float64Array.from(nodes.map((n) => n.lat)),
    taggedNodes: nodes.filter((n) => Object.keys(n.tags).length), ways: ways.map(([id, refs, tags]) => ({ type: 'way', id, refs: Float64Array.from(refs), tags })), relations: [],
  };
}
const node = (id: number, lon: number, tags: Record<string, string> = {}): OsmNode => ({ type: 'node', id, lon, lat: 0, tags });

/** Everything the source yields: node id → lon (and tags), way id → refs and tags. */
async function contents(src: OsmBlockSource): Promise<{ nodes: Record<number, string>; ways: Record<number, string> }> {
  const out = { nodes: {} as Record<number, string>, ways: {} as Record<number, string> };
  for await (const b of src.blocks()) {
    b.nodeIds.forEach((id, i) => { out.nodes[id] = `${b.nodeLons[i]}${JSON.stringify(b.taggedNodes.find((n) => n.id === id)?.tags ?? {})}`; });
    for (const w of b.ways) out.ways[w.id] = `${[...w.refs].join(',')}${JSON.stringify(w.tags)}`;
  }
  return out;
}

describe('ChangedOsmSource', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('yields the base with the changes applied: modified and created objects once, deleted ones gone, the last change winning', async () => {
    const base: OsmBlockSource = {
      async *blocks() {
        yield block([node(1, 1), node(2, 2, { barrier: 'gate' }), node(3, 3)], [[10, [1, 2], { highway: 'residential' }]]);
        yield block([node(4, 4), node(2, 2, { barrier: 'gate' })], [[11, [3, 4], { highway: 'track' }], [10, [1, 2], { highway: 'residential' }]]);
      },
    };
    const first = path.join(dir, '1.osc'), second = path.join(dir, '2.osc');
    fs.writeFileSync(first, `<osmChange version="0.6">
      <modify><node id="2" version="2" lon="2.5" lat="0"/></modify>
      <delete><way id="11" version="2"/><node id="4" version="2"/></delete>
      <create><node id="5" version="1" lon="5" lat="0"><tag k="access" v="no"/></node><way id="12" version="1"><nd ref="3"/><nd ref="5"/><tag k="highway" v="service"/></way></create>
    </osmChange>`);
    fs.writeFileSync(second, `<osmChange version="0.6">
      <modify><way id="12" version="2"><nd ref="1"/><nd ref="5"/><tag k="highway" v="primary"/></way></modify>
    </osmChange>`);
    const src = await ChangedOsmSource.open([base], [first, second]);
    assert.deepEqual(await contents(src), {
      nodes: { 1: '1{}', 2: '2.5{}', 3: '3{}', 5: '5{"access":"no"}' },
      ways: { 10: '1,2{"highway":"residential"}', 12: '1,5{"highway":"primary"}' },
    });
    // a replaced object is yielded once, not once per base block that held it
    let gates = 0;
    for await (const b of src.blocks()) gates += [...b.nodeIds].filter((id) => id === 2).length;
    assert.equal(gates, 1);
  });

  it('reads only what is asked for', async () => {
    const base: OsmBlockSource = { async *blocks() { yield block([node(1, 1)], [[10, [1], { highway: 'path' }]]); } };
    const file = path.join(dir, 'c.osc');
    fs.writeFileSync(file, '<osmChange version="0.6"><create><node id="7" version="1" lon="7" lat="0"/><way id="20" version="1"><nd ref="7"/></way></create></osmChange>');
    const src = await ChangedOsmSource.open([base], [file]);
    for await (const b of src.blocks({ nodes: false })) assert.equal([...b.nodeIds].includes(7), false);
    let ways = 0;
    for await (const b of src.blocks({ ways: false })) ways += b.ways.filter((w) => w.id === 20).length;
    assert.equal(ways, 0);
  });
});
