/**
 * Test fixture for raster tests: a real OpenMapTiles MBTiles of Mulhouse built
 * with Debian's tilemaker at test time, served with glyphs (tileserver-gl-styles'
 * fontnik-built Noto Sans) and the upstream styles' sprites on a loopback port.
 * Independent of the server module so render tests exercise the renderer only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { osmFile, REPO_ROOT, tempDir, UPSTREAM_STYLES_DIR } from '../../helpers/paths.js';

const TILEMAKER_EXAMPLES = '/usr/share/doc/tilemaker/examples';
const FONTS_DIR = path.join(REPO_ROOT, 'node_modules', 'tileserver-gl-styles', 'fonts');

export function tilemakerAvailable(): boolean {
  return fs.existsSync('/usr/bin/tilemaker') && fs.existsSync(path.join(TILEMAKER_EXAMPLES, 'config-openmaptiles.json'));
}

/** Builds an OpenMapTiles-schema MBTiles of an extract with tilemaker (layers needing shapefiles dropped). */
export function buildMbtiles(dir: string, extract = 'mulhouse.osm.pbf'): string {
  const config = JSON.parse(fs.readFileSync(path.join(TILEMAKER_EXAMPLES, 'config-openmaptiles.json'), 'utf8')) as { layers: Record<string, { source?: string }> };
  config.layers = Object.fromEntries(Object.entries(config.layers).filter(([, l]) => !l.source));
  const cfg = path.join(dir, 'config.json');
  fs.writeFileSync(cfg, JSON.stringify(config));
  const out = path.join(dir, extract.replace(/\.osm\.pbf$/, '') + '.mbtiles');
  execFileSync('tilemaker', ['--input', osmFile(extract), '--output', out, '--config', cfg, '--process', path.join(TILEMAKER_EXAMPLES, 'process-openmaptiles.lua'), '--threads', '1'], { stdio: 'ignore' });
  return out;
}

export interface FixtureServer {
  baseUrl: string;
  dir: string;
  mbtiles: string;
  /** Requests served, by path prefix (`data`, `fonts`, `sprites`). */
  hits: Record<string, number>;
  /** An upstream style with its URLs pointing at this server. */
  style(name: string, opts?: { noText?: boolean }): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startFixtureServer(opts: { mbtiles?: string } = {}): Promise<FixtureServer> {
  const dir = tempDir('tuilerie-raster-');
  const mbtiles = opts.mbtiles ?? buildMbtiles(dir);
  const db = new Database(mbtiles, { readonly: true });
  const getTile = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
  const hits: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const kind = url.split('/')[1] ?? '';
    hits[kind] = (hits[kind] ?? 0) + 1;
    let m = /^\/data\/omt\/(\d+)\/(\d+)\/(\d+)\.pbf$/.exec(url);
    if (m) {
      const [z, x, y] = m.slice(1).map(Number);
      const row = getTile.get(z, x, (1 << z) - 1 - y) as { tile_data: Buffer } | undefined;
      if (!row) {
        res.statusCode = 204;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/x-protobuf');
      if (row.tile_data[0] === 0x1f && row.tile_data[1] === 0x8b) res.setHeader('Content-Encoding', 'gzip');
      res.end(row.tile_data);
      return;
    }
    m = /^\/fonts\/([^/]+)\/(\d+-\d+)\.pbf$/.exec(url);
    if (m) {
      // every stack falls back to the one font we have, as font servers do
      const file = path.join(FONTS_DIR, 'Noto Sans Regular', `${m[2]}.pbf`);
      res.setHeader('Content-Type', 'application/x-protobuf');
      res.end(fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0));
      return;
    }
    m = /^\/sprites\/([a-z-]+)\/(sprite(?:@2x)?\.(?:json|png))$/.exec(url);
    if (m && fs.existsSync(path.join(UPSTREAM_STYLES_DIR, m[1], m[2]))) {
      res.setHeader('Content-Type', m[2].endsWith('.png') ? 'image/png' : 'application/json');
      res.end(fs.readFileSync(path.join(UPSTREAM_STYLES_DIR, m[1], m[2])));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    dir,
    mbtiles,
    hits,
    style(name, sopts = {}) {
      const style = JSON.parse(fs.readFileSync(path.join(UPSTREAM_STYLES_DIR, name, 'style.json'), 'utf8')) as Record<string, unknown> & { layers: Record<string, unknown>[] };
      style.sources = { openmaptiles: { type: 'vector', tiles: [`${baseUrl}/data/omt/{z}/{x}/{y}.pbf`], minzoom: 0, maxzoom: 14 } };
      style.glyphs = `${baseUrl}/fonts/{fontstack}/{range}.pbf`;
      style.sprite = `${baseUrl}/sprites/${name}/sprite`;
      if (sopts.noText) style.layers = style.layers.filter((l) => !(l.layout as Record<string, unknown> | undefined)?.['text-field']);
      return style;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
