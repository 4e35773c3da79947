import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { PMTiles, type Source, type RangeResponse } from 'pmtiles';
import { FIXTURES_DIR, tempDir } from '../../helpers/paths.js';
import { PmtilesSource } from '../../../src/archive/pmtiles/pmtiles_source.js';
import { PmtilesSink } from '../../../src/archive/pmtiles/pmtiles_sink.js';

const FIX = path.join(FIXTURES_DIR, 'pmtiles');
const fixture = (name: string): string => path.join(FIX, name);

/** The package's own reader with no decompression: the bytes as stored. */
class FileBytes implements Source {
  constructor(private readonly file: string) {}
  getKey(): string { return this.file; }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const part = fs.readFileSync(this.file).subarray(offset, offset + length);
    return { data: part.buffer.slice(part.byteOffset, part.byteOffset + part.length) as ArrayBuffer };
  }
}
async function storedBytes(file: string, z: number, x: number, y: number): Promise<Buffer | undefined> {
  const r = await new PMTiles(new FileBytes(file), undefined, async (b) => b).getZxy(z, x, y);
  return r ? Buffer.from(r.data) : undefined;
}

/** A local server answering Range requests for one file (no network involved). */
function rangeServer(file: string): Promise<{ url: string; close: () => Promise<void> }> {
  const body = fs.readFileSync(file);
  const server = http.createServer((req, res) => {
    const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
    if (!m) { res.writeHead(200, { 'Content-Length': body.length }); res.end(body); return; }
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), body.length - 1);
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${body.length}`, 'Content-Length': end - start + 1, ETag: '"v1"' });
    res.end(body.subarray(start, end + 1));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    resolve({ url: `http://127.0.0.1:${port}/${path.basename(file)}`, close: () => new Promise((r) => server.close(() => r())) });
  }));
}

describe('PmtilesSource', () => {
  describe('invalid archives', () => {
    it('rejects an empty file with BAD_INPUT', async () => {
      await assert.rejects(PmtilesSource.open(fixture('empty.pmtiles')), (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && /empty/.test(e.message));
    });
    it('rejects a file with the wrong magic number with BAD_INPUT', async () => {
      await assert.rejects(PmtilesSource.open(fixture('invalid.pmtiles')), (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && /magic/.test(e.message));
    });
    it('rejects a future spec version with UNSUPPORTED_FORMAT', async () => {
      await assert.rejects(PmtilesSource.open(fixture('invalid_v4.pmtiles')), (e: Error & { code?: string }) => e.code === 'UNSUPPORTED_FORMAT' && /version 4/.test(e.message));
    });
    it('reports a missing file as NOT_FOUND', async () => {
      await assert.rejects(PmtilesSource.open(fixture('missing.pmtiles')), { code: 'NOT_FOUND' });
    });
  });

  describe('fixtures from protomaps/PMTiles', () => {
    it('reads vector_layers and format of test_fixture_1', async () => {
      const src = await PmtilesSource.open(fixture('test_fixture_1.pmtiles'));
      const m = src.metadata();
      await src.close();
      assert.deepEqual([m.format, m.vector_layers?.map((l) => l.id)], ['pbf', ['test_fixture_1pmtiles']]);
    });
    it('returns the stored gzip MVT of test_fixture_1 without inflating it', async () => {
      const src = await PmtilesSource.open(fixture('test_fixture_1.pmtiles'));
      const t = await src.getTile(0, 0, 0);
      await src.close();
      assert.equal(t?.encoding, 'gzip');
      assert.deepEqual(t?.data, await storedBytes(fixture('test_fixture_1.pmtiles'), 0, 0, 0));
    });
    it('reads PNG tiles of stamen_toner_z3 as identity with the package\'s bytes', async () => {
      const src = await PmtilesSource.open(fixture('stamen_toner_z3.pmtiles'));
      const t = await src.getTile(3, 4, 2);
      await src.close();
      assert.deepEqual([src.metadata().format, t?.encoding, t?.data.equals((await storedBytes(fixture('stamen_toner_z3.pmtiles'), 3, 4, 2))!)], ['png', 'identity', true]);
    });
    it('takes zooms and bounds from the header', async () => {
      const src = await PmtilesSource.open(fixture('stamen_toner_z3.pmtiles'));
      await src.close();
      assert.deepEqual([src.metadata().minzoom, src.metadata().maxzoom, src.metadata().bounds], [0, 3, [-180, -85, 180, 85]]);
    });
    it('returns undefined past the max zoom', async () => {
      const src = await PmtilesSource.open(fixture('stamen_toner_z3.pmtiles'));
      assert.equal(await src.getTile(4, 0, 0), undefined);
      await src.close();
    });
  });

  describe('archives written here', () => {
    let dir: string;
    beforeEach(() => { dir = tempDir(); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function write(file: string): Promise<void> {
      const sink = PmtilesSink.create(file);
      sink.putTile(1, 1, 0, Buffer.from([0x1a, 1, 65]));
      sink.setMetadata({ name: 'ge', format: 'pbf', minzoom: 0, maxzoom: 1, attribution: 'OSM', vector_layers: [{ id: 'w', fields: {}, minzoom: 0, maxzoom: 1 }] });
      await sink.commit();
    }

    it('reads back name, attribution and vector_layers', async () => {
      const file = path.join(dir, 'a.pmtiles');
      await write(file);
      const src = await PmtilesSource.open(file);
      await src.close();
      const m = src.metadata();
      assert.deepEqual([m.name, m.attribution, m.vector_layers?.[0].id], ['ge', 'OSM', 'w']);
    });

    it('returns undefined for an absent tile', async () => {
      const file = path.join(dir, 'a.pmtiles');
      await write(file);
      const src = await PmtilesSource.open(file);
      assert.equal(await src.getTile(1, 0, 0), undefined);
      await src.close();
    });

    it('changes version when the file is replaced', async () => {
      const file = path.join(dir, 'a.pmtiles');
      await write(file);
      const a = await PmtilesSource.open(file);
      await write(file);
      const b = await PmtilesSource.open(file);
      await a.close(); await b.close();
      assert.notEqual(a.version(), b.version());
    });

    it('reads an archive over HTTP range requests', async () => {
      const file = path.join(dir, 'a.pmtiles');
      await write(file);
      const server = await rangeServer(file);
      try {
        const src = await PmtilesSource.open(server.url);
        const t = await src.getTile(1, 1, 0);
        await src.close();
        assert.deepEqual([src.metadata().name, t?.encoding, t && zlib.gunzipSync(t.data)], ['ge', 'gzip', Buffer.from([0x1a, 1, 65])]);
      } finally {
        await server.close();
      }
    });
  });
});
