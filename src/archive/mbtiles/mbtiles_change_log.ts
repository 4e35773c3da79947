/**
 * The change log of an updatable MBTiles: two tables beside the tiles (extra tables
 * are allowed by the MBTiles spec and ignored by other readers).
 *   tuilerie_updates        one row per update: generation, random id, time, tiles changed
 *   tuilerie_changed_tiles  per tile (XYZ) the generation of the last update that changed it
 * Written by `tuilerie update` in the transaction that rewrites the tiles, read by the
 * server through a TileChangeIndex, per area. The lineage is the import's store id (metadata).
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { TileChangeIndex, type ChangedTileLookup } from '../tile_change_index.js';

/** Metadata key naming the import (written by `import --updatable`). */
export const LINEAGE_KEY = 'tuilerie_store_id';

export interface RecordedChanges {
  generation: number;
  id: string;
  /** Tiles whose content changed or that were removed. */
  tiles: number;
}

/**
 * Records one update's changed tiles (XYZ) in the archive attached as `schema`, inside
 * the caller's transaction. Returns the new generation.
 */
export function recordTileChanges(db: Database.Database, schema: string, tiles: Iterable<{ z: number; x: number; y: number }>): RecordedChanges {
  db.exec(`CREATE TABLE IF NOT EXISTS ${schema}.tuilerie_updates (generation INTEGER PRIMARY KEY, id TEXT NOT NULL, applied INTEGER NOT NULL, tiles INTEGER NOT NULL)`);
  db.exec(`CREATE TABLE IF NOT EXISTS ${schema}.tuilerie_changed_tiles (z INTEGER NOT NULL, x INTEGER NOT NULL, y INTEGER NOT NULL, generation INTEGER NOT NULL, PRIMARY KEY (z, x, y)) WITHOUT ROWID`);
  const last = db.prepare(`SELECT coalesce(max(generation), 0) AS g FROM ${schema}.tuilerie_updates`).get() as { g: number };
  const generation = last.g + 1;
  const id = crypto.randomBytes(6).toString('base64url');
  const put = db.prepare(`INSERT OR REPLACE INTO ${schema}.tuilerie_changed_tiles (z, x, y, generation) VALUES (?, ?, ?, ?)`);
  let n = 0;
  for (const t of tiles) {
    put.run(t.z, t.x, t.y, generation);
    n++;
  }
  db.prepare(`INSERT INTO ${schema}.tuilerie_updates (generation, id, applied, tiles) VALUES (?, ?, ?, ?)`).run(generation, id, Date.now(), n);
  return { generation, id, tiles: n };
}

/** The changed tiles of an opened archive, asked per area: one indexed range query per zoom (the primary key is z, x, y). */
class SqlChangedTiles implements ChangedTileLookup {
  private readonly max: Database.Statement<[number, number, number, number, number], { g: number | null }>;
  private readonly id: Database.Statement<[number], { id: string }>;

  constructor(db: Database.Database) {
    this.max = db.prepare('SELECT max(generation) AS g FROM tuilerie_changed_tiles WHERE z = ? AND x BETWEEN ? AND ? AND y BETWEEN ? AND ?');
    this.id = db.prepare('SELECT id FROM tuilerie_updates WHERE generation = ?');
  }

  maxGenerationIn(z: number, [cx0, cy0, cx1, cy1]: [number, number, number, number]): number {
    return this.max.get(z, cx0, cx1, cy0, cy1)?.g ?? 0;
  }

  updateId(generation: number): string | undefined {
    return this.id.get(generation)?.id;
  }
}

const NO_CHANGES: ChangedTileLookup = { maxGenerationIn: () => 0, updateId: () => undefined };

/**
 * The archive's change index, or undefined when it was not imported with --updatable (no
 * lineage). Reads nothing of the log here: the index asks per area, on the open connection.
 */
export function readTileChangeIndex(db: Database.Database, lineage: string | undefined): TileChangeIndex | undefined {
  if (!lineage) return undefined;
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('tuilerie_updates', 'tuilerie_changed_tiles')").all() as { name: string }[]).map((r) => r.name));
  return new TileChangeIndex(lineage, tables.size < 2 ? NO_CHANGES : new SqlChangedTiles(db));
}
