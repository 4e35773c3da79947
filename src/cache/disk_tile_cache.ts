/**
 * Rendered tiles on disk: one SQLite file per style (`<dir>/<style>.sqlite`),
 * rows keyed by z/x/y and variant (tile size, scale, format), each remembering
 * the data version it was rendered from. A row of another version is stale:
 * `get` misses, and seeding re-renders it. Survives restarts; a style's file
 * can be deleted on its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TuilerieError } from '../core/errors.js';
import type { CachedTile, TileCache, TileCacheKey, TileCacheStats } from './tile_cache.js';

export interface DiskTileCacheOptions {
  dir: string;
}

/** What seeding needs to decide whether to render a tile again. */
export interface DiskTileInfo {
  version: string;
  /** Milliseconds since the epoch. */
  created: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS tiles (
    z INTEGER NOT NULL, x INTEGER NOT NULL, y INTEGER NOT NULL, variant TEXT NOT NULL,
    version TEXT NOT NULL, etag TEXT NOT NULL, created INTEGER NOT NULL, encoding TEXT NOT NULL, data BLOB,
    PRIMARY KEY (z, x, y, variant)
  ) WITHOUT ROWID;
`;

interface StyleDb {
  db: Database.Database;
  get: Database.Statement;
  info: Database.Statement;
  put: Database.Statement;
}

interface Row { version: string; etag: string; encoding: string; data: Buffer | null; created: number }

function safeName(id: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(id) || id.startsWith('.')) throw new TuilerieError('BAD_REQUEST', `style id "${id}" cannot name a cache file: use letters, digits, '.', '_' or '-'`);
  return id;
}

export class DiskTileCache implements TileCache {
  private readonly dbs = new Map<string, StyleDb>();
  private hits = 0;
  private misses = 0;
  private stale = 0;

  /** The directory is made when the first style's cache is opened: a server that never renders leaves no trace. */
  constructor(private readonly opts: DiskTileCacheOptions) {}

  get(key: TileCacheKey): CachedTile | null | undefined {
    const row = this.open(key.sourceId).get.get(key.z, key.x, key.y, key.variant) as Row | undefined;
    if (!row || row.version !== key.version) {
      this.misses++;
      if (row) this.stale++;
      return undefined;
    }
    this.hits++;
    if (!row.data) return null;
    return { data: row.data, etag: row.etag, encoding: row.encoding === 'gzip' ? 'gzip' : 'identity' };
  }

  set(key: TileCacheKey, value: CachedTile | null): void {
    this.setMany([{ key, value }]);
  }

  /** Writes several tiles in one transaction (a metatile at a time). */
  setMany(entries: { key: TileCacheKey; value: CachedTile | null }[]): void {
    if (!entries.length) return;
    const bySource = new Map<string, typeof entries>();
    for (const e of entries) {
      const list = bySource.get(e.key.sourceId) ?? [];
      list.push(e);
      bySource.set(e.key.sourceId, list);
    }
    const now = Date.now();
    for (const [sourceId, list] of bySource) {
      const s = this.open(sourceId);
      s.db.transaction(() => {
        for (const { key, value } of list) s.put.run(key.z, key.x, key.y, key.variant, key.version, value?.etag ?? '', now, value?.encoding ?? 'identity', value?.data ?? null);
      })();
    }
  }

  /** Version and age of a stored tile, whatever its version; undefined when absent. */
  info(key: Omit<TileCacheKey, 'version'>): DiskTileInfo | undefined {
    return this.open(key.sourceId).info.get(key.z, key.x, key.y, key.variant) as DiskTileInfo | undefined;
  }

  /** Deletes the style's cache file. */
  invalidateSource(sourceId: string): void {
    const s = this.dbs.get(sourceId);
    if (s) {
      s.db.close();
      this.dbs.delete(sourceId);
    }
    const file = this.file(sourceId);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }

  /** Lookups that found a tile stored for another data version (an update or import changed its data since). */
  get staleLookups(): number {
    return this.stale;
  }

  /** Counts every style's file in the directory, not only those opened so far. */
  stats(): TileCacheStats {
    let entries = 0, bytes = 0;
    for (const f of fs.existsSync(this.opts.dir) ? fs.readdirSync(this.opts.dir) : []) {
      if (f.endsWith('.sqlite') && /^[A-Za-z0-9._-]+$/.test(f.slice(0, -7)) && !f.startsWith('.')) this.open(f.slice(0, -7));
    }
    for (const s of this.dbs.values()) {
      const r = s.db.prepare('SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS b FROM tiles').get() as { n: number; b: number };
      entries += r.n;
      bytes += r.b;
    }
    return { hits: this.hits, misses: this.misses, entries, bytes, stale: this.stale };
  }

  close(): void {
    for (const s of this.dbs.values()) s.db.close();
    this.dbs.clear();
  }

  private file(sourceId: string): string {
    return path.join(this.opts.dir, `${safeName(sourceId)}.sqlite`);
  }

  private open(sourceId: string): StyleDb {
    let s = this.dbs.get(sourceId);
    if (s) return s;
    const file = this.file(sourceId);
    try {
      fs.mkdirSync(this.opts.dir, { recursive: true });
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot create the raster cache directory ${this.opts.dir}: ${(e as Error).message}`, { cause: e });
    }
    let db: Database.Database;
    try {
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot open the raster cache ${file}: ${(e as Error).message}; delete it to start afresh`, { cause: e });
    }
    s = {
      db,
      get: db.prepare('SELECT version, etag, encoding, data, created FROM tiles WHERE z = ? AND x = ? AND y = ? AND variant = ?'),
      info: db.prepare('SELECT version, created FROM tiles WHERE z = ? AND x = ? AND y = ? AND variant = ?'),
      put: db.prepare('INSERT OR REPLACE INTO tiles (z, x, y, variant, version, etag, created, encoding, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    };
    this.dbs.set(sourceId, s);
    return s;
  }
}
