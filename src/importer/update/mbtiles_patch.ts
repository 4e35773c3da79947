/**
 * Rewrites tiles of an existing MBTiles (our deduplicated map + images layout) inside
 * a transaction the caller holds on a connection where the archive is attached: tiles
 * put replace the old ones, tiles dropped disappear, and images no tile uses any more
 * are removed at the end, and the tiles whose content changed go into the archive's change
 * log (../../archive/mbtiles/mbtiles_change_log.ts). Readers of the archive see the old or the new tiles, never
 * a mix, because all of it commits at once.
 */
import type Database from 'better-sqlite3';
import { TuilerieError } from '../../core/errors.js';
import { flipY, tileKey } from '../../core/tile_math.js';
import { contentId } from '../../archive/mbtiles/mbtiles_sink.js';
import { recordTileChanges, type RecordedChanges } from '../../archive/mbtiles/mbtiles_change_log.js';
import type { TileSink, TilesetMetadata } from '../../archive/tile_source.js';

export class MbtilesPatch implements TileSink {
  readonly written = new Set<number>();
  /** Tiles whose content changed or that were removed (XYZ), recorded in the archive's change log at commit. */
  readonly changed: { z: number; x: number; y: number }[] = [];
  /** What commit recorded in the change log. */
  recorded: RecordedChanges | undefined;
  private readonly st: Record<string, Database.Statement>;
  private readonly replaced = new Set<bigint>();

  constructor(private readonly db: Database.Database, private readonly schema: string) {
    const ok = db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE type = 'table' AND name IN ('map', 'images')`).all().length === 2;
    if (!ok) throw new TuilerieError('UNSUPPORTED_FORMAT', 'update rewrites MBTiles written by `tuilerie import` (map and images tables); this archive has another layout');
    db.exec('CREATE TEMP TABLE IF NOT EXISTS patch_replaced (id INTEGER PRIMARY KEY)');
    db.exec('DELETE FROM temp.patch_replaced');
    this.st = {
      old: db.prepare(`SELECT tile_id FROM ${schema}.map WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`),
      image: db.prepare(`INSERT OR IGNORE INTO ${schema}.images (tile_id, tile_data) VALUES (?, ?)`),
      map: db.prepare(`INSERT OR REPLACE INTO ${schema}.map (zoom_level, tile_column, tile_row, tile_id) VALUES (?, ?, ?, ?)`),
      drop: db.prepare(`DELETE FROM ${schema}.map WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`),
      note: db.prepare('INSERT OR IGNORE INTO temp.patch_replaced (id) VALUES (?)'),
      meta: db.prepare(`UPDATE ${schema}.metadata SET value = ? WHERE name = ?`),
      addMeta: db.prepare(`INSERT INTO ${schema}.metadata (name, value) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM ${schema}.metadata WHERE name = ?)`),
      getMeta: db.prepare(`SELECT value FROM ${schema}.metadata WHERE name = ?`),
      data: db.prepare(`SELECT i.tile_data AS data FROM ${schema}.map m JOIN ${schema}.images i ON i.tile_id = m.tile_id
        WHERE m.zoom_level = ? AND m.tile_column = ? AND m.tile_row = ?`),
    };
    this.st.old.safeIntegers(true);
  }

  /** The tile id there before, noted as possibly unused. */
  private noteOld(z: number, x: number, tmsY: number): bigint | undefined {
    const r = this.st.old.get(z, x, tmsY) as { tile_id: bigint } | undefined;
    if (r && !this.replaced.has(r.tile_id)) { this.replaced.add(r.tile_id); this.st.note.run(r.tile_id); }
    return r?.tile_id;
  }

  /** The tile the archive holds now (as stored, gzipped), or null. */
  tile(z: number, x: number, y: number): Buffer | null {
    return (this.st.data.get(z, x, flipY(z, y)) as { data: Buffer } | undefined)?.data ?? null;
  }

  putTile(z: number, x: number, y: number, data: Buffer): void {
    const tmsY = flipY(z, y);
    const old = this.noteOld(z, x, tmsY);
    const id = contentId(data);
    if (old !== id) this.changed.push({ z, x, y });
    this.st.image.run(id, data);
    this.st.map.run(z, x, tmsY, id);
    this.written.add(tileKey(z, x, y));
  }

  /** Removes a tile that no longer has any feature. Returns whether there was one. */
  dropTile(z: number, x: number, y: number): boolean {
    const tmsY = flipY(z, y);
    this.noteOld(z, x, tmsY);
    const dropped = this.st.drop.run(z, x, tmsY).changes > 0;
    if (dropped) this.changed.push({ z, x, y });
    return dropped;
  }

  metadata(name: string): string | undefined {
    return (this.st.getMeta.get(name) as { value: string } | undefined)?.value;
  }

  setMetadataValue(name: string, value: string): void {
    if (this.st.meta.run(value, name).changes === 0) this.st.addMeta.run(name, value, name);
  }

  setMetadata(_meta: TilesetMetadata): void {
    throw new TuilerieError('INTERNAL', 'MbtilesPatch changes single metadata values (setMetadataValue)');
  }

  /** Records the changed tiles in the archive's change log; removes the images that only replaced or dropped tiles used. */
  async commit(): Promise<void> {
    const s = this.schema;
    this.recorded = recordTileChanges(this.db, s, this.changed);
    this.db.exec(`DELETE FROM ${s}.images WHERE tile_id IN (SELECT id FROM temp.patch_replaced)
      AND tile_id NOT IN (SELECT tile_id FROM ${s}.map WHERE tile_id IN (SELECT id FROM temp.patch_replaced))`);
    this.db.exec('DELETE FROM temp.patch_replaced');
  }

  async abort(): Promise<void> {
    this.db.exec('DELETE FROM temp.patch_replaced');
  }
}
