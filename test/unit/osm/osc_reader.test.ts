import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { OscReader, type OscChange } from '../../../src/osm/osc_reader.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/paths.js';

const OSC = `<?xml version="1.0" encoding="UTF-8"?>
<osmChange version="0.6" generator="test">
  <modify>
    <node id="1" version="2" lat="47.5" lon="7.9"><tag k="amenity" v="cafe"/><tag k="name" v="A &amp; B"/></node>
  </modify>
  <create>
    <node id="5" version="1" lat="47.6" lon="7.8"/>
    <way id="10" version="1"><nd ref="1"/><nd ref="5"/><tag k="highway" v="residential"/></way>
    <relation id="20" version="1"><member type="way" ref="10" role="outer"/><member type="node" ref="5" role=""/><tag k="type" v="multipolygon"/></relation>
  </create>
  <delete>
    <way id="11" version="3"/>
    <node id="2" version="4"/>
  </delete>
</osmChange>`;

async function readAll(file: string): Promise<OscChange[]> {
  const out: OscChange[] = [];
  for await (const batch of new OscReader(file).changes()) out.push(...batch);
  return out;
}

describe('OscReader', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives every change in file order, with full objects for create and modify and ids for delete', async () => {
    const f = path.join(dir, 'c.osc');
    fs.writeFileSync(f, OSC);
    const c = await readAll(f);
    assert.deepEqual(c.map((x) => x.action === 'delete' ? `delete ${x.type} ${x.id}` : `${x.action} ${x.entity.type} ${x.entity.id}`),
      ['modify node 1', 'create node 5', 'create way 10', 'create relation 20', 'delete way 11', 'delete node 2']);
    assert.deepEqual(c[0], { action: 'modify', entity: { type: 'node', id: 1, lon: 7.9, lat: 47.5, tags: { amenity: 'cafe', name: 'A & B' } } });
    const way = c[2] as { entity: { refs: Float64Array; tags: object } };
    assert.deepEqual([...way.entity.refs], [1, 5]);
    assert.deepEqual((c[3] as { entity: { members: unknown[] } }).entity.members, [{ type: 'way', ref: 10, role: 'outer' }, { type: 'node', ref: 5, role: '' }]);
  });

  it('reads .osc.gz and .osc.bz2 the same', async () => {
    const plain = path.join(dir, 'c.osc');
    fs.writeFileSync(plain, OSC);
    fs.writeFileSync(path.join(dir, 'c.osc.gz'), zlib.gzipSync(OSC));
    execFileSync('bzip2', ['-k', plain]);
    const expected = await readAll(plain);
    assert.deepEqual(await readAll(path.join(dir, 'c.osc.gz')), expected);
    assert.deepEqual(await readAll(`${plain}.bz2`), expected);
  });

  it('refuses what is not osmChange with a BAD_INPUT naming the file', async () => {
    const cases: [string, RegExp][] = [
      ['<osm version="0.6"><node id="1" lat="1" lon="1"/></osm>', /expected <osmChange>/],
      ['<osmChange><modify><node id="1" lat="1"/></modify></osmChange>', /invalid lon/],
      ['<osmChange><node id="1" lat="1" lon="1"/></osmChange>', /outside <create>/],
      ['<osmChange><modify><node id="1" lat="1" lon="1">', /XML error|unreadable/],
      ['', /empty file/],
    ];
    for (const [text, why] of cases) {
      const f = path.join(dir, 'bad.osc');
      fs.writeFileSync(f, text);
      await assert.rejects(readAll(f), (e) => isTuilerieError(e, 'BAD_INPUT') && why.test(e.message) && e.message.includes(f), text);
    }
  });
});
