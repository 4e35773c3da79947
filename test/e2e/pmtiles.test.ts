/**
 * PMTiles end to end on a real Mulhouse archive: `tuilerie convert` and
 * `tuilerie import --format pmtiles` write what the pmtiles package reads, with
 * every tile identical to the MBTiles; the server serves the PMTiles file, and
 * the same file over HTTP range requests (as from a CDN), exactly like the MBTiles.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { PMTiles, Compression, type Source, type RangeResponse } from 'pmtiles';
import { loadConfig } from '../../src/config/load_config.js';
import { silentLogger } from '../../src/core/logger.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { REPO_ROOT, osmFile, tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { tilemakerMbtiles } from './serve_fixtures.js';

const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: REPO_ROOT, stdio: 'pipe' });

/** The pmtiles package's reader over a local file: an independent check of what we write. */
class FileBytes implements Source {
  private readonly fd: number;
  constructor(private readonly file: string) {
    this.fd = fs.openSync(file, 'r');
  }
  getKey(): string { return this.file; }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const b = Buffer.alloc(length);
    const n = fs.readSync(this.fd, b, 0, length, offset);
    return { data: b.buffer.slice(0, n) as ArrayBuffer };
  }
  close(): void { fs.closeSync(this.fd); }
}
const inflate = async (buf: ArrayBuffer, c: Compression): Promise<ArrayBuffer> => {
  if (c !== Compression.Gzip) return buf;
  const b = zlib.gunzipSync(Buffer.from(buf));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
};

interface Tile { z: number; x: number; y: number; data: Buffer }
function mbtilesTiles(file: string): Tile[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT zoom_level AS z, tile_column AS x, tile_row AS r, tile_data AS d FROM tiles').all() as Array<{ z: number; x: number; r: number; d: Buffer }>;
    return rows.map((t) => ({ z: t.z, x: t.x, y: (1 << t.z) - 1 - t.r, data: t.d }));
  } finally {
    db.close();
  }
}
const unzip = (b: Buffer) => (b[0] === 0x1f && b[1] === 0x8b ? zlib.gunzipSync(b) : b);

/** Every MBTiles tile, read with the pmtiles package from the PMTiles, decompressed, equal. */
async function assertSameTiles(mbtiles: string, pmtiles: string): Promise<number> {
  const bytes = new FileBytes(pmtiles);
  try {
    const reader = new PMTiles(bytes, undefined, inflate);
    const tiles = mbtilesTiles(mbtiles);
    assert.ok(tiles.length >= 20, `${tiles.length} tiles`);
    for (const t of tiles) {
      const got = await reader.getZxy(t.z, t.x, t.y);
      assert.ok(got, `tile ${t.z}/${t.x}/${t.y} missing from the PMTiles`);
      assert.ok(Buffer.from(got.data).equals(unzip(t.data)), `tile ${t.z}/${t.x}/${t.y} differs`);
    }
    const header = await reader.getHeader();
    assert.equal(header.numAddressedTiles, tiles.length);
    return tiles.length;
  } finally {
    bytes.close();
  }
}

/** A static file server with Range support, as a CDN or object storage serves an archive. */
function rangeServer(file: string): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    const size = fs.statSync(file).size;
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!m) {
      res.writeHead(200, { 'Content-Length': size });
      fs.createReadStream(file).pipe(res);
      return;
    }
    const start = Number(m[1]), end = Math.min(Number(m[2]), size - 1);
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1, ETag: '"mulhouse-1"' });
    fs.createReadStream(file, { start, end }).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    resolve({ url: `http://127.0.0.1:${port}/${path.basename(file)}`, requests: () => count, close: () => new Promise((r) => server.close(() => r())) });
  }));
}

describe('PMTiles end to end @slow', function () {
  let dir: string;
  let mbtiles: string;
  let pmtiles: string;

  before(() => {
    dir = tempDir('tuilerie-pmtiles-e2e-');
    mbtiles = tilemakerMbtiles(dir);
    pmtiles = path.join(dir, 'mulhouse.pmtiles');
    cli('convert', mbtiles, pmtiles);
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('convert: the pmtiles package reads every tile of the MBTiles, identical', async () => {
    await assertSameTiles(mbtiles, pmtiles);
  });

  it('import --format pmtiles writes the same tiles as an MBTiles import', async () => {
    const mb = path.join(dir, 'wehr.mbtiles'), pm = path.join(dir, 'wehr-import.pmtiles');
    cli('import', '--out', mb, '--threads', '1', '--quiet', osmFile('wehr.osm.pbf'));
    cli('import', '--out', pm, '--format', 'pmtiles', '--threads', '1', '--quiet', osmFile('wehr.osm.pbf'));
    await assertSameTiles(mb, pm);
  });

  it('import refuses --format pmtiles with an .mbtiles output', () => {
    assert.throws(() => cli('import', '--out', path.join(dir, 'x.mbtiles'), '--format', 'pmtiles', osmFile('wehr.osm.pbf')), /--format pmtiles but --out ends in \.mbtiles/);
    assert.equal(fs.existsSync(path.join(dir, 'x.mbtiles')), false);
  });

  it('serves a PMTiles file and a PMTiles URL exactly like the MBTiles', async () => {
    const remote = await rangeServer(pmtiles);
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, sources: { mb: { path: mbtiles }, pm: { path: pmtiles }, cdn: { path: remote.url } } } });
    const server = new TuilerieServer({ config, logger: silentLogger });
    const url = await server.start();
    try {
      const tj = async (id: string) => (await request(`${url}/data/${id}.json`)).json() as Record<string, unknown>;
      const [a, b, c] = [await tj('mb'), await tj('pm'), await tj('cdn')];
      for (const k of ['minzoom', 'maxzoom', 'vector_layers', 'format']) {
        assert.deepEqual(b[k], a[k], `pm ${k}`);
        assert.deepEqual(c[k], a[k], `cdn ${k}`);
      }
      const sample = mbtilesTiles(mbtiles).filter((_, i) => i % 7 === 0);
      for (const t of sample) {
        const p = `/${t.z}/${t.x}/${t.y}.pbf`;
        const [ra, rb, rc] = await Promise.all(['mb', 'pm', 'cdn'].map((id) => request(`${url}/data/${id}${p}`, { headers: { 'accept-encoding': 'gzip' } })));
        assert.equal(ra.status, 200);
        assert.deepEqual([rb.status, rc.status], [200, 200], p);
        assert.ok(unzip(rb.body).equals(unzip(ra.body)), `pm ${p}`);
        assert.ok(unzip(rc.body).equals(unzip(ra.body)), `cdn ${p}`);
        assert.equal(rc.headers['content-encoding'], ra.headers['content-encoding']);
      }
      assert.ok(remote.requests() > 0, 'the URL source read through range requests');
      const missing = await Promise.all(['mb', 'pm', 'cdn'].map(async (id) => (await request(`${url}/data/${id}/14/0/0.pbf`)).status));
      assert.deepEqual(new Set(missing).size, 1, `same status for an absent tile: ${missing}`);
    } finally {
      await server.stop();
      await remote.close();
    }
  });
});
