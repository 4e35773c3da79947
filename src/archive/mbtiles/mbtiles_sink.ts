/**
 * Writes an MBTiles 1.3 file with deduplicated tile storage (map + images tables and
 * a `tiles` view, as mbutil, tilemaker and planetiler do), so identical tiles such as
 * open sea or forest interiors are stored once.
 *
 * Data safety: everything goes to `.<name>.tmp-<pid>` beside the output and is renamed
 * over it only in commit(); until then an existing output is not touched.
 * Speed: no journal, no fsync, large batched transactions, indexes built at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { TuilerieError } from '../../core/errors.js';
import { flipY, isValidTile } from '../../core/tile_math.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { TileSink, TilesetMetadata } from '../tile_source.js';
import { metadataToRows, sniffFormat } from './mbtiles_metadata.js';
import { isGzip } from '../../core/gzip_bytes.js';
import { registerTempFile, releaseTempFile, removeStaleTempFiles, tempPathFor } from '../../core/temp_files.js';

export interface MbtilesSinkOptions {
  logger?: Logger;
  /** Tiles buffered in memory before one transaction writes them (default 4096). */
  batchSize?: number;
}

export interface MbtilesSinkStats {
  /** putTile calls, i.e. rows of `map`. */
  tiles: number;
  /** Distinct tile contents, i.e. rows of `images`. */
  uniqueTiles: number;
  /** Bytes of tile data stored (after deduplication). */
  storedBytes: number;
  minzoom: number;
  maxzoom: number;
}

const SCHEMA = `
  CREATE TABLE metadata (name TEXT, value TEXT);
  CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id INTEGER);
  CREATE TABLE images (tile_id INTEGER, tile_data BLOB);
  CREATE VIEW tiles AS
    SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column, map.tile_row AS tile_row, images.tile_data AS tile_data
    FROM map JOIN images ON images.tile_id = map.tile_id;
`;

/** 64-bit content id (first 8 bytes of SHA-1): collisions are negligible at billions of tiles. */
export function contentId(data: Buffer): bigint {
  return crypto.createHash('sha1').update(data).digest().readBigInt64BE(0);
}

export class MbtilesSink implements TileSink {
  readonly path: string;
  readonly tempPath: string;
  private readonly db: Database.Database;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly insertMap: Database.Statement;
  private readonly insertImage: Database.Statement;
  private readonly flushBatch: (rows: unknown[]) => void;
  private readonly seen = new Set<bigint>();
  private pending: unknown[] = [];
  private meta?: TilesetMetadata;
  private firstTile?: Buffer;
  private state: 'open' | 'committed' | 'aborted' = 'open';
  private readonly counts: MbtilesSinkStats = { tiles: 0, uniqueTiles: 0, storedBytes: 0, minzoom: Infinity, maxzoom: -Infinity };

  /** Same as the constructor, for symmetry with MbtilesSource.open. */
  static create(outPath: string, opts: MbtilesSinkOptions = {}): MbtilesSink {
    return new MbtilesSink(outPath, opts);
  }

  /** Starts a new archive that will appear at `outPath` on commit(). */
  constructor(outPath: string, opts: MbtilesSinkOptions = {}) {
    this.path = path.resolve(outPath);
    this.tempPath = tempPathFor(this.path);
    this.logger = opts.logger ?? silentLogger;
    this.batchSize = opts.batchSize ?? 4096;
    try {
      fs.mkdirSync(path.dirname(this.path), { recursive: true });
      removeStaleTempFiles(this.path, this.logger);
      fs.rmSync(this.tempPath, { force: true });
      registerTempFile(this.tempPath);
      this.db = new Database(this.tempPath);
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot create ${this.tempPath}: ${(e as Error).message}. Check that the output directory is writable.`, { cause: e });
    }
    this.db.pragma('page_size = 4096');
    // better-sqlite3 runs in defensive mode, which refuses journal_mode=OFF; the
    // file is a private temp until the rename, so a crash only loses the temp.
    this.db.unsafeMode(true);
    this.db.pragma('journal_mode = OFF');
    this.db.unsafeMode(false);
    this.db.pragma('synchronous = OFF');
    this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
    this.db.exec(SCHEMA);
    this.insertMap = this.db.prepare('INSERT INTO map (zoom_level, tile_column, tile_row, tile_id) VALUES (?, ?, ?, ?)');
    this.insertImage = this.db.prepare('INSERT INTO images (tile_id, tile_data) VALUES (?, ?)');
    // Rows are flat: z, x, tmsY, id, data-or-null (data only for the first occurrence of an id).
    this.flushBatch = this.db.transaction((rows: unknown[]) => {
      for (let i = 0; i < rows.length; i += 5) {
        this.insertMap.run(rows[i], rows[i + 1], rows[i + 2], rows[i + 3]);
        if (rows[i + 4] !== null) this.insertImage.run(rows[i + 3], rows[i + 4]);
      }
    });
  }

  putTile(z: number, x: number, y: number, data: Buffer): void {
    if (this.state !== 'open') throw new TuilerieError('INTERNAL', `putTile after ${this.state === 'committed' ? 'commit' : 'abort'} of ${this.path}`);
    if (!isValidTile(z, x, y)) throw new TuilerieError('BAD_REQUEST', `invalid tile ${z}/${x}/${y} for ${this.path}`);
    const id = contentId(data);
    const isNew = !this.seen.has(id);
    if (isNew) {
      this.seen.add(id);
      this.counts.uniqueTiles++;
      this.counts.storedBytes += data.length;
    }
    this.firstTile ??= data;
    this.pending.push(z, x, flipY(z, y), id, isNew ? data : null);
    this.counts.tiles++;
    if (z < this.counts.minzoom) this.counts.minzoom = z;
    if (z > this.counts.maxzoom) this.counts.maxzoom = z;
    if (this.pending.length >= this.batchSize * 5) this.flush();
  }

  setMetadata(meta: TilesetMetadata): void {
    this.meta = meta;
  }

  stats(): MbtilesSinkStats {
    return { ...this.counts };
  }

  private flush(): void {
    if (!this.pending.length) return;
    const rows = this.pending;
    this.pending = [];
    this.flushBatch(rows);
  }

  /** Metadata as given, completed from the tiles when the caller left zooms or format out. */
  private finalMetadata(): TilesetMetadata {
    if (this.meta) return this.meta;
    const seenZooms = this.counts.tiles > 0;
    const first = this.firstTile;
    return {
      name: path.basename(this.path).replace(/\.mbtiles$/i, ''),
      format: !first || isGzip(first) ? 'pbf' : sniffFormat(first),
      minzoom: seenZooms ? this.counts.minzoom : 0,
      maxzoom: seenZooms ? this.counts.maxzoom : 0,
    };
  }

  private createIndexes(): void {
    try {
      this.db.exec('CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row)');
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
      // A tile put twice: the last write wins, as it would with INSERT OR REPLACE.
      this.logger.warn('some tiles were written more than once; keeping the last copy', { path: this.path });
      this.db.exec('DELETE FROM map WHERE rowid NOT IN (SELECT max(rowid) FROM map GROUP BY zoom_level, tile_column, tile_row)');
      this.db.exec('CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row)');
    }
    this.db.exec('CREATE UNIQUE INDEX images_id ON images (tile_id)');
    this.db.exec('CREATE UNIQUE INDEX name ON metadata (name)');
  }

  async commit(): Promise<void> {
    if (this.state !== 'open') throw new TuilerieError('INTERNAL', `commit after ${this.state} of ${this.path}`);
    try {
      this.flush();
      const insert = this.db.prepare('INSERT INTO metadata (name, value) VALUES (?, ?)');
      this.db.transaction(() => {
        for (const [k, v] of metadataToRows(this.finalMetadata())) insert.run(k, v);
      })();
      this.createIndexes();
      this.db.exec('ANALYZE');
      this.db.pragma('locking_mode = NORMAL');
      this.db.pragma('journal_mode = DELETE');
      this.db.close();
      fs.renameSync(this.tempPath, this.path);
      releaseTempFile(this.tempPath);
      this.state = 'committed';
    } catch (e) {
      await this.abort();
      throw new TuilerieError('IO_ERROR', `cannot finish ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    this.logger.info('mbtiles written', { path: this.path, tiles: this.counts.tiles, unique: this.counts.uniqueTiles });
  }

  async abort(): Promise<void> {
    if (this.state === 'committed') return;
    this.state = 'aborted';
    this.pending = [];
    if (this.db.open) this.db.close();
    for (const p of [this.tempPath, `${this.tempPath}-journal`]) fs.rmSync(p, { force: true });
    releaseTempFile(this.tempPath);
  }
}
