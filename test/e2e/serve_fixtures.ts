/**
 * Archives for the serve tests, built at test time in temp dirs (never committed):
 * a real OpenMapTiles-schema MBTiles of Mulhouse made by tilemaker (Debian) with
 * its example config, and tiny hand-written MBTiles for exact-byte cases.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { osmFile } from '../helpers/paths.js';

const TILEMAKER_EXAMPLES = '/usr/share/doc/tilemaker/examples';

/** Runs tilemaker's OpenMapTiles example (without its shapefile layers) on an OSM extract. */
export function tilemakerMbtiles(dir: string, osmName = 'mulhouse.osm.pbf'): string {
  const config = JSON.parse(fs.readFileSync(path.join(TILEMAKER_EXAMPLES, 'config-openmaptiles.json'), 'utf8'));
  for (const [name, layer] of Object.entries(config.layers as Record<string, { source?: string }>)) {
    if (layer.source) delete config.layers[name];
  }
  const cfg = path.join(dir, 'tilemaker-config.json');
  fs.writeFileSync(cfg, JSON.stringify(config));
  const lua = path.join(TILEMAKER_EXAMPLES, 'process-openmaptiles.lua');
  const out = path.join(dir, osmName.replace(/\.osm\.pbf$/, '') + '.mbtiles');
  execFileSync('tilemaker', ['--input', osmFile(osmName), '--output', out, '--config', cfg, '--process', lua, '--threads', '1'], { cwd: dir, stdio: 'pipe' });
  return out;
}

export interface FixtureTile {
  z: number;
  x: number;
  /** XYZ row; flipped to TMS on write. */
  y: number;
  payload: Buffer;
  /** Store gzip-compressed (default true, as vector MBTiles do). */
  gzip?: boolean;
}

/**
 * Writes a plain MBTiles (tiles + metadata tables) to a temp name and renames it
 * into place, as an import does.
 */
export function writeMbtiles(file: string, opts: { name?: string; minzoom?: number; maxzoom?: number; format?: string; tiles: FixtureTile[] }): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Date.now()}`);
  const db = new Database(tmp);
  db.exec('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);');
  const meta: Record<string, string> = {
    name: opts.name ?? 'fixture',
    format: opts.format ?? 'pbf',
    minzoom: String(opts.minzoom ?? 0),
    maxzoom: String(opts.maxzoom ?? 14),
    bounds: '7.326,47.749,7.342,47.755',
    center: '7.334,47.752,14',
    json: JSON.stringify({ vector_layers: [{ id: 'fixture', fields: {}, minzoom: 0, maxzoom: 14 }] }),
  };
  const putMeta = db.prepare('INSERT INTO metadata VALUES (?, ?)');
  for (const [k, v] of Object.entries(meta)) putMeta.run(k, v);
  const put = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
  for (const t of opts.tiles) put.run(t.z, t.x, (1 << t.z) - 1 - t.y, t.gzip === false ? t.payload : zlib.gzipSync(t.payload));
  db.close();
  fs.renameSync(tmp, file);
}

/** The stored blob of a tile (XYZ row) in an MBTiles file. */
export function readStoredTile(file: string, z: number, x: number, y: number): Buffer | undefined {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?').get(z, x, (1 << z) - 1 - y) as { tile_data: Buffer } | undefined;
    return row?.tile_data;
  } finally {
    db.close();
  }
}

/** Some tile present in the archive at zoom z (XYZ row). */
export function someTile(file: string, z: number): { z: number; x: number; y: number } {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare('SELECT tile_column AS x, tile_row AS row FROM tiles WHERE zoom_level = ? ORDER BY length(tile_data) DESC LIMIT 1').get(z) as { x: number; row: number };
    return { z, x: row.x, y: (1 << z) - 1 - row.row };
  } finally {
    db.close();
  }
}

/** Polls until `check` passes or the time is up (file watch events are asynchronous). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
