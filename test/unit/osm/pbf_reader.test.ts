import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PbfReader } from '../../../src/osm/pbf_reader.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { osmFile, tempDir } from '../../helpers/paths.js';
import { collect } from './collect.js';
import { writePbfFixture } from './pbf_fixture.js';

const EXTRACTS: [string, number, number, number][] = [
  ['mulhouse.osm.pbf', 17033, 4078, 154],
  ['wehr.osm.pbf', 12182, 1679, 125],
  ['schopfheim.osm.pbf', 21382, 1182, 44],
];

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isTuilerieError(e), `expected a TuilerieError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

function workerPorts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
}

async function drain(reader: PbfReader, threads = 2): Promise<void> {
  for await (const _ of reader.blocks({ threads })) { /* read all */ }
}

describe('PbfReader', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir('tuilerie-pbf-'); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, nodes, ways, relations] of EXTRACTS) {
    it(`reads every entity of ${name}`, async () => {
      const c = await collect(new PbfReader(osmFile(name)), { threads: 2 });
      assert.deepEqual([c.nodes.size, c.ways.size, c.relations.size], [nodes, ways, relations]);
    });
  }

  it('reads every entity of heidelberg-routing.osm.pbf with one thread @slow', async () => {
    const c = await collect(new PbfReader(osmFile('heidelberg-routing.osm.pbf')), { threads: 1 });
    assert.deepEqual([c.nodes.size, c.ways.size, c.relations.size], [221009, 31619, 1700]);
  });

  it('yields blocks in file order with several threads @slow', async () => {
    // The file is sorted Type_then_ID, so file order is nodes, ways, relations, each by increasing id.
    const c = await collect(new PbfReader(osmFile('heidelberg-routing.osm.pbf')), { threads: 2 }, true);
    const rank = { n: 0, w: 1, r: 2 } as Record<string, number>;
    for (let i = 1; i < c.order.length; i++) {
      const a = c.order[i - 1], b = c.order[i];
      const ok = rank[a[0]] < rank[b[0]] || (a[0] === b[0] && Number(a.slice(1)) < Number(b.slice(1)));
      assert.ok(ok, `${b} came after ${a}`);
    }
  });

  it('decodes tags, refs, members and coordinates', async () => {
    const c = await collect(new PbfReader(osmFile('mulhouse.osm.pbf')));
    // Values cross-checked with `osmium cat -f opl` on the same file.
    assert.deepEqual(c.nodes.get(256788233), [7.3413377, 47.7495414]);
    assert.equal(c.nodeTags.get(256788233)?.highway, 'traffic_signals');
    const way = c.ways.get(27941979);
    assert.deepEqual([...(way?.refs ?? [])], [256788233, 11990535785, 11990535786, 4688683012]);
    assert.equal(way?.tags.name, "Boulevard de l'Europe");
    assert.deepEqual(c.relations.get(3748087), {
      type: 'relation', id: 3748087, tags: { building: 'college', type: 'multipolygon' },
      members: [{ type: 'way', ref: 177572495, role: 'outer' }, { type: 'way', ref: 282333119, role: 'inner' }],
    });
  });

  it('reads the header bbox, writing program and replication timestamp', async () => {
    const h = await new PbfReader(osmFile('mulhouse.osm.pbf')).header();
    assert.deepEqual(h.bbox, [7.326, 47.749, 7.342, 47.755]);
    assert.equal(h.writingProgram, 'osmium/1.15.0');
    assert.deepEqual(h.requiredFeatures, ['OsmSchema-V0.6', 'DenseNodes']);
    const h2 = await new PbfReader(osmFile('heidelberg-routing.osm.pbf')).header();
    assert.equal(h2.timestamp, '2024-09-08T20:21:00Z');
  });

  it('skips nodes when nodes=false and still reads ways and relations', async () => {
    const c = await collect(new PbfReader(osmFile('wehr.osm.pbf')), { nodes: false });
    assert.deepEqual([c.nodes.size, c.nodeTags.size, c.ways.size, c.relations.size], [0, 0, 1679, 125]);
  });

  it('reads only relations when nodes and ways are off', async () => {
    const c = await collect(new PbfReader(osmFile('wehr.osm.pbf')), { nodes: false, ways: false });
    assert.deepEqual([c.nodes.size, c.ways.size, c.relations.size], [0, 0, 125]);
  });

  it('reports progress up to the file size', async () => {
    const reader = new PbfReader(osmFile('wehr.osm.pbf'));
    const seen: number[] = [];
    for await (const _ of reader.blocks({ onBytes: (b) => seen.push(b) })) { /* read all */ }
    assert.ok(seen.length > 2);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
    assert.equal(seen.at(-1), reader.size);
  });

  it('stops cleanly when the consumer breaks early', async () => {
    const reader = new PbfReader(osmFile('schopfheim.osm.pbf'));
    for await (const _ of reader.blocks({ threads: 2 })) break;
    const c = await collect(reader);
    assert.equal(c.nodes.size, 21382);
  });

  it('terminates its workers when done', async () => {
    const before = workerPorts();
    const it = new PbfReader(osmFile('wehr.osm.pbf')).blocks({ threads: 2 });
    await it.next();
    assert.equal(workerPorts(), before + 2);
    for (;;) if ((await it.next()).done) break;
    assert.equal(workerPorts(), before);
  });

  it('terminates its workers when the consumer stops early', async () => {
    const before = workerPorts();
    const it = new PbfReader(osmFile('wehr.osm.pbf')).blocks({ threads: 2 });
    await it.next();
    await it.return(undefined);
    assert.equal(workerPorts(), before);
  });

  it('terminates its workers after a decoding error', async () => {
    const src = Buffer.from(fs.readFileSync(osmFile('mulhouse.osm.pbf')));
    for (let i = 40000; i < 40400; i++) src[i] ^= 0x5a;
    const file = path.join(dir, 'corrupt.osm.pbf');
    fs.writeFileSync(file, src);
    const before = workerPorts();
    await assert.rejects(drain(new PbfReader(file)));
    assert.equal(workerPorts(), before);
  });

  it('fails with BAD_INPUT on a truncated file', async () => {
    const src = fs.readFileSync(osmFile('mulhouse.osm.pbf'));
    const file = path.join(dir, 'truncated.osm.pbf');
    fs.writeFileSync(file, src.subarray(0, Math.floor(src.length * 0.6)));
    await rejectsWith(drain(new PbfReader(file)), 'BAD_INPUT', /truncated\.osm\.pbf.*truncated/);
  });

  it('fails with BAD_INPUT on corrupt compressed data', async () => {
    const src = Buffer.from(fs.readFileSync(osmFile('mulhouse.osm.pbf')));
    for (let i = 40000; i < 40400; i++) src[i] ^= 0x5a;
    const file = path.join(dir, 'corrupt.osm.pbf');
    fs.writeFileSync(file, src);
    await rejectsWith(drain(new PbfReader(file)), 'BAD_INPUT', /corrupt\.osm\.pbf.*(corrupt|invalid|malformed)/);
  });

  it('fails with BAD_INPUT on a text file named .osm.pbf', async () => {
    const file = path.join(dir, 'notes.osm.pbf');
    fs.writeFileSync(file, 'These are not the nodes you are looking for.\n'.repeat(50));
    await rejectsWith(drain(new PbfReader(file)), 'BAD_INPUT', /notes\.osm\.pbf/);
  });

  it('refuses a file that requires HistoricalInformation', async () => {
    const file = path.join(dir, 'history.osm.pbf');
    writePbfFixture(file, { requiredFeatures: ['OsmSchema-V0.6', 'HistoricalInformation'] });
    await rejectsWith(new PbfReader(file).header(), 'UNSUPPORTED_FORMAT', /HistoricalInformation/);
    await rejectsWith(drain(new PbfReader(file)), 'UNSUPPORTED_FORMAT', /HistoricalInformation/);
  });

  it('refuses lzma-compressed blocks with UNSUPPORTED_FORMAT', async () => {
    const file = path.join(dir, 'lzma.osm.pbf');
    writePbfFixture(file, { compression: 'lzma', nodes: [{ id: 1, lat: 1, lon: 2 }] });
    await rejectsWith(drain(new PbfReader(file)), 'UNSUPPORTED_FORMAT', /lzma/);
  });

  it('decodes plain Node messages in raw blobs with granularity and offsets', async () => {
    const file = path.join(dir, 'plain.osm.pbf');
    writePbfFixture(file, {
      compression: 'raw', granularity: 1000, latOffset: 5_000_000, lonOffset: 3_000_000,
      nodes: [{ id: 5, lat: 47.5, lon: 7.25, tags: { amenity: 'cafe' } }, { id: -3, lat: -10.125, lon: -170.5 }],
    });
    const c = await collect(new PbfReader(file));
    assert.deepEqual(c.nodes.get(5), [7.25, 47.5]);
    assert.deepEqual(c.nodes.get(-3), [-170.5, -10.125]);
    assert.deepEqual(c.nodeTags.get(5), { amenity: 'cafe' });
    assert.equal(c.nodeTags.has(-3), false);
  });
});
