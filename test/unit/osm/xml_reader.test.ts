import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { XmlReader } from '../../../src/osm/xml_reader.js';
import { PbfReader } from '../../../src/osm/pbf_reader.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { osmFile, tempDir } from '../../helpers/paths.js';
import { collect } from './collect.js';

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isTuilerieError(e), `expected a TuilerieError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('XmlReader', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir('tuilerie-xml-'); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('yields exactly the entities of the PBF version of the same extract', async () => {
    const [x, p] = await Promise.all([collect(new XmlReader(osmFile('mulhouse.osm'))), collect(new PbfReader(osmFile('mulhouse.osm.pbf')))]);
    assert.equal(x.nodes.size, 17033);
    assert.deepEqual(x.nodes, p.nodes);
    assert.deepEqual(x.nodeTags, p.nodeTags);
    assert.equal(x.ways.size, 4078);
    for (const [id, w] of p.ways) {
      const xw = x.ways.get(id);
      assert.ok(xw, `way ${id} missing from XML`);
      assert.deepEqual([...xw.refs], [...w.refs], `refs of way ${id}`);
      assert.deepEqual(xw.tags, w.tags, `tags of way ${id}`);
    }
    assert.deepEqual(x.relations, p.relations);
  });

  it('emits blocks of a few thousand entities', async () => {
    const c = await collect(new XmlReader(osmFile('mulhouse.osm')));
    assert.ok(c.blocks >= 5 && c.blocks <= 10, `${c.blocks} blocks`);
  });

  it('reads bounds, generator and timestamp into the header', async () => {
    const h = await new XmlReader(osmFile('mulhouse.osm')).header();
    assert.deepEqual(h.bbox, [7.326, 47.749, 7.342, 47.755]);
    assert.equal(h.writingProgram, 'osmconvert 0.8.11');
    assert.equal(h.timestamp, '2024-10-10T00:00:00Z');
  });

  it("reads osmosis' <bound box> form and entities of a hand-written file", async () => {
    const file = path.join(dir, 'tiny.osm');
    fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="osmosis">
  <bound box="47.5,7.5,47.6,7.7" origin="test"/>
  <node id="1" lat="47.55" lon="7.55"><tag k="name" v="Caf&#233; &amp; Bar"/></node>
  <node id="2" lat="47.56" lon="7.56"/>
  <node id="3" lat="47.57" lon="7.57" visible="false"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="path"/></way>
  <relation id="20"><member type="way" ref="10" role="outer"/><member type="node" ref="1" role=""/><tag k="type" v="multipolygon"/></relation>
</osm>`);
    const reader = new XmlReader(file);
    assert.deepEqual((await reader.header()).bbox, [7.5, 47.5, 7.7, 47.6]);
    const c = await collect(reader);
    assert.deepEqual([...c.nodes.keys()], [1, 2]);
    assert.deepEqual(c.nodeTags.get(1), { name: 'Café & Bar' });
    assert.deepEqual([...c.ways.get(10)!.refs], [1, 2]);
    assert.deepEqual(c.relations.get(20)!.members, [{ type: 'way', ref: 10, role: 'outer' }, { type: 'node', ref: 1, role: '' }]);
  });

  it('reads a bzip2-compressed file through bzip2', async () => {
    const c = await collect(new XmlReader(osmFile('freiburg-roads.osm.bz2')));
    assert.deepEqual([c.nodes.size, c.ways.size, c.relations.size], [23255, 5454, 259]);
  });

  it('skips entity kinds that are not wanted', async () => {
    const c = await collect(new XmlReader(osmFile('mulhouse.osm')), { nodes: false, relations: false });
    assert.deepEqual([c.nodes.size, c.ways.size, c.relations.size], [0, 4078, 0]);
  });

  it('reports progress up to the file size', async () => {
    const reader = new XmlReader(osmFile('freiburg-roads.osm.bz2'));
    let last = 0;
    for await (const _ of reader.blocks({ onBytes: (b) => { last = b; } })) { /* read all */ }
    assert.equal(last, reader.size);
  });

  it('says bzip2 is needed when it cannot be run', async () => {
    const saved = process.env.PATH;
    process.env.PATH = dir; // an empty directory: no bzip2 on the PATH
    try {
      await rejectsWith(collect(new XmlReader(osmFile('freiburg-roads.osm.bz2'))), 'UNSUPPORTED_FORMAT', /bzip2.*not found/);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('fails with BAD_INPUT on XML that is not OSM', async () => {
    const file = path.join(dir, 'feed.osm');
    fs.writeFileSync(file, '<?xml version="1.0"?><rss><channel/></rss>');
    await rejectsWith(collect(new XmlReader(file)), 'BAD_INPUT', /feed\.osm.*<rss>/);
  });

  it('fails with BAD_INPUT on text that is not XML', async () => {
    const file = path.join(dir, 'notes.osm');
    fs.writeFileSync(file, 'just some notes\nnot xml at all\n');
    await rejectsWith(collect(new XmlReader(file)), 'BAD_INPUT', /notes\.osm/);
  });

  it('fails with BAD_INPUT on truncated XML', async () => {
    const file = path.join(dir, 'cut.osm');
    const src = fs.readFileSync(osmFile('mulhouse.osm'));
    fs.writeFileSync(file, src.subarray(0, Math.floor(src.length / 2)));
    await rejectsWith(collect(new XmlReader(file)), 'BAD_INPUT', /cut\.osm/);
  });

  it('fails with BAD_INPUT on a corrupt bzip2 stream', async () => {
    const file = path.join(dir, 'broken.osm.bz2');
    const src = Buffer.from(fs.readFileSync(osmFile('freiburg-roads.osm.bz2')));
    for (let i = 1000; i < 1100; i++) src[i] ^= 0xff;
    fs.writeFileSync(file, src);
    await rejectsWith(collect(new XmlReader(file)), 'BAD_INPUT', /broken\.osm\.bz2/);
  });

  it('fails with BAD_INPUT on a truncated bzip2 stream', async () => {
    const file = path.join(dir, 'short.osm.bz2');
    const xml = fs.readFileSync(osmFile('mulhouse.osm'));
    const bz = execFileSync('bzip2', ['-c'], { input: xml });
    fs.writeFileSync(file, bz.subarray(0, bz.length - 5000));
    await rejectsWith(collect(new XmlReader(file)), 'BAD_INPUT', /short\.osm\.bz2/);
  });
});
