/**
 * Reads an MBTiles file (plain `tiles` table or map/images with a `tiles` view),
 * read-only, with one prepared statement. Rows are flipped XYZ → TMS here and
 * nowhere else.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TuilerieError } from '../../core/errors.js';
import { flipY, isValidTile } from '../../core/tile_math.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { TileData, TileEntry, TileSource, TilesetMetadata } from '../tile_source.js';
import { rowsToMetadata, sniffFormat } from './mbtiles_metadata.js';
import { isGzip } from '../../core/gzip_bytes.js';
import { LINEAGE_KEY, readTileChangeIndex } from './mbtiles_change_log.js';
import type { TileChangeIndex } from '../tile_change_index.js';

export interface MbtilesSourceOptions {
  logger?: Logger;
}

interface Opened {
  db: Database.Database;
  getTile: Database.Statement<[number, number, number], { tile_data: Buffer | null }>;
  meta: TilesetMetadata;
  version: string;
  stat: fs.Stats;
  changes: TileChangeIndex | undefined;
}

function fileVersion(st: fs.Stats): string {
  return `${st.size.toString(36)}-${Math.round(st.mtimeMs).toString(36)}-${st.ino.toString(36)}`;
}

function badInput(file: string, what: string, cause?: unknown): TuilerieError {
  return new TuilerieError('BAD_INPUT', `${file} is not a readable MBTiles file: ${what}. Re-create it (tuilerie import or convert) or check the path.`, { cause, details: { path: file } });
}

/** SQLite errors that mean "this file is damaged or not a database" rather than "cannot read". */
function isCorruption(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB') || code === 'SQLITE_ERROR' || code === 'SQLITE_FORMAT';
}

function openFile(file: string, logger: Logger): Opened {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new TuilerieError('NOT_FOUND', `MBTiles file ${file} does not exist or cannot be read`, { cause: e, details: { path: file } });
  }
  if (!stat.isFile()) throw badInput(file, 'not a regular file');
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const objects = db.prepare("SELECT name, type FROM sqlite_master WHERE name IN ('tiles', 'metadata', 'map')").all() as { name: string; type: string }[];
    if (!objects.some((o) => o.name === 'tiles')) throw badInput(file, 'no `tiles` table or view');
    const getTile = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?') as Opened['getTile'];
    const rows = objects.some((o) => o.name === 'metadata') ? (db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string | null }[]) : [];
    const { meta, problems } = rowsToMetadata(rows, path.basename(file).replace(/\.mbtiles$/i, ''));
    if (problems.length) logger.warn('ignoring unreadable metadata values', { path: file, values: problems.join('; ') });
    if (!hasTileIndex(db)) logger.warn('MBTiles has no index on its tiles: lookups will be slow; re-create it with tuilerie convert', { path: file });
    if (meta.minzoom === undefined || meta.maxzoom === undefined) {
      const z = db.prepare('SELECT min(zoom_level) AS minz, max(zoom_level) AS maxz FROM tiles').get() as { minz: number | null; maxz: number | null };
      meta.minzoom ??= z.minz ?? 0;
      meta.maxzoom ??= z.maxz ?? 0;
    }
    if (meta.format === undefined) {
      const first = db.prepare('SELECT tile_data FROM tiles WHERE tile_data IS NOT NULL LIMIT 1').get() as { tile_data: Buffer } | undefined;
      meta.format = first && !isGzip(first.tile_data) ? sniffFormat(first.tile_data) : 'pbf';
    }
    const changes = readTileChangeIndex(db, meta.extra?.[LINEAGE_KEY]);
    return { db, getTile, meta: meta as TilesetMetadata, version: fileVersion(stat), stat, changes };
  } catch (e) {
    db?.close();
    if (e instanceof TuilerieError) throw e;
    if (isCorruption(e)) throw badInput(file, (e as Error).message, e);
    throw new TuilerieError('IO_ERROR', `cannot read MBTiles file ${file}: ${(e as Error).message}`, { cause: e, details: { path: file } });
  }
}

/** Whether lookups by z/x/y can use an index (on `tiles` itself, or on `map` behind the view). */
function hasTileIndex(db: Database.Database): boolean {
  const rows = db.prepare("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('tiles', 'map')").all() as { tbl_name: string; sql: string | null }[];
  const pk = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'tiles' AND type = 'table'").get() as { sql: string } | undefined;
  return rows.some((r) => r.sql === null || /zoom_level/i.test(r.sql)) || (pk !== undefined && /primary key/i.test(pk.sql));
}

export class MbtilesSource implements TileSource {
  readonly path: string;
  private readonly logger: Logger;
  private current: Opened;
  private closed = false;

  /** Opens `file` read-only; throws BAD_INPUT for a damaged or non-MBTiles file, NOT_FOUND for a missing one. */
  static open(file: string, opts: MbtilesSourceOptions = {}): MbtilesSource {
    return new MbtilesSource(path.resolve(file), opts.logger ?? silentLogger);
  }

  private constructor(file: string, logger: Logger) {
    this.path = file;
    this.logger = logger;
    this.current = openFile(file, logger);
  }

  metadata(): TilesetMetadata {
    return this.current.meta;
  }

  /**
   * The stored tile, or undefined when absent (including rows whose data is NULL).
   * A zero-length tile is returned as such: the server answers it with 204.
   */
  async getTile(z: number, x: number, y: number): Promise<TileData | undefined> {
    return this.getTileSync(z, x, y);
  }

  getTileSync(z: number, x: number, y: number): TileData | undefined {
    if (this.closed) throw new TuilerieError('INTERNAL', `MBTiles ${this.path} read after close`);
    if (!isValidTile(z, x, y)) return undefined;
    let row: { tile_data: Buffer | null } | undefined;
    try {
      row = this.current.getTile.get(z, x, flipY(z, y));
    } catch (e) {
      if (isCorruption(e)) throw badInput(this.path, `tile ${z}/${x}/${y}: ${(e as Error).message}`, e);
      throw new TuilerieError('IO_ERROR', `cannot read tile ${z}/${x}/${y} from ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    const data = row?.tile_data;
    if (data === null || data === undefined) return undefined;
    return { data, encoding: isGzip(data) ? 'gzip' : 'identity' };
  }

  /** Every non-NULL tile, streamed from SQLite (rows are not all held in memory). */
  async *tiles(): AsyncIterable<TileEntry> {
    const db = this.current.db;
    const rows = db.prepare('SELECT zoom_level z, tile_column x, tile_row y, tile_data d FROM tiles WHERE tile_data IS NOT NULL')
      .iterate() as IterableIterator<{ z: number; x: number; y: number; d: Buffer }>;
    for (const r of rows) {
      if (!isValidTile(r.z, r.x, r.y)) continue;
      yield { z: r.z, x: r.x, y: flipY(r.z, r.y), tile: { data: r.d, encoding: isGzip(r.d) ? 'gzip' : 'identity' } };
    }
  }

  tileCount(): number {
    return (this.current.db.prepare('SELECT count(*) n FROM tiles WHERE tile_data IS NOT NULL').get() as { n: number }).n;
  }

  /** size + mtime + inode of the opened file: replacing the file by rename changes it. */
  version(): string {
    return this.current.version;
  }

  /** Which update changed which tile, for an archive imported with --updatable. */
  changeIndex(): TileChangeIndex | undefined {
    return this.current.changes;
  }

  /**
   * Re-opens the archive when the file at the path was replaced or modified (inode,
   * mtime or size changed). Returns true when it did. A replacement that cannot be
   * opened leaves the old one in service and throws.
   */
  reopenIfChanged(): boolean {
    if (this.closed) return false;
    let st: fs.Stats;
    try {
      st = fs.statSync(this.path);
    } catch {
      return false; // mid-replacement or removed: keep serving the open handle
    }
    if (fileVersion(st) === this.current.version) return false;
    const next = openFile(this.path, this.logger);
    const old = this.current;
    this.current = next;
    old.db.close();
    this.logger.info('MBTiles file changed, reopened', { path: this.path, version: next.version });
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.current.db.close();
  }
}
