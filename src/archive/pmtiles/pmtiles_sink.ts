/**
 * Writes a clustered PMTiles v3 archive. Tiles may arrive in any order: their bytes
 * are appended to a spool file and only (tile id, spool offset, length, content id)
 * stays in memory; commit() sorts by Hilbert tile id, copies each distinct content
 * once in that order (run-length encoding repeats of consecutive ids), writes the
 * directories and renames the result over the output.
 *
 * MVT tiles are stored gzip-compressed (as every PMTiles client expects); raster tiles as given.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { zxyToTileId } from 'pmtiles';
import { TuilerieError } from '../../core/errors.js';
import { isValidTile } from '../../core/tile_math.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { TileSink, TilesetMetadata } from '../tile_source.js';
import { sniffFormat } from '../mbtiles/mbtiles_metadata.js';
import { isGzip } from '../../core/gzip_bytes.js';
import { registerTempFile, releaseTempFile, removeStaleTempFiles, tempPathFor } from '../../core/temp_files.js';
import {
  HEADER_BYTES, PmCompression, PmTileType, buildDirectories, compress, serializeHeader, type DirEntry,
} from './pmtiles_format.js';

export interface PmtilesSinkOptions {
  logger?: Logger;
}

const TILE_TYPES: Record<string, PmTileType> = {
  pbf: PmTileType.Mvt, mvt: PmTileType.Mvt, png: PmTileType.Png, jpg: PmTileType.Jpeg, jpeg: PmTileType.Jpeg,
  webp: PmTileType.Webp, avif: PmTileType.Avif, mlt: PmTileType.Mlt,
};
const SPOOL_FLUSH = 1 << 20;

interface Spooled { tileId: number; offset: number; length: number; content: number }

export class PmtilesSink implements TileSink {
  readonly path: string;
  readonly tempPath: string;
  private readonly spoolPath: string;
  private readonly logger: Logger;
  private spoolFd: number;
  private spoolPos = 0;
  private spoolChunks: Buffer[] = [];
  private spoolChunkBytes = 0;
  private readonly tiles: Spooled[] = [];
  /** Content hash → content number; contents are spooled once. */
  private readonly contents = new Map<string, number>();
  private readonly contentAt: { offset: number; length: number }[] = [];
  private meta?: TilesetMetadata;
  private sawRaster = false;
  private sawVector = false;
  private minZoom = Infinity;
  private maxZoom = -Infinity;
  private state: 'open' | 'committed' | 'aborted' = 'open';

  static create(outPath: string, opts: PmtilesSinkOptions = {}): PmtilesSink {
    return new PmtilesSink(outPath, opts);
  }

  constructor(outPath: string, opts: PmtilesSinkOptions = {}) {
    this.path = path.resolve(outPath);
    this.tempPath = tempPathFor(this.path);
    this.spoolPath = `${this.tempPath}.spool`;
    this.logger = opts.logger ?? silentLogger;
    try {
      fs.mkdirSync(path.dirname(this.path), { recursive: true });
      removeStaleTempFiles(this.path, this.logger);
      registerTempFile(this.tempPath);
      this.spoolFd = fs.openSync(this.spoolPath, 'w+');
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot create ${this.spoolPath}: ${(e as Error).message}. Check that the output directory is writable.`, { cause: e });
    }
  }

  putTile(z: number, x: number, y: number, data: Buffer): void {
    if (this.state !== 'open') throw new TuilerieError('INTERNAL', `putTile after ${this.state === 'committed' ? 'commit' : 'abort'} of ${this.path}`);
    if (!isValidTile(z, x, y) || z > 26) throw new TuilerieError('BAD_REQUEST', `invalid tile ${z}/${x}/${y} for ${this.path}`);
    let stored = data;
    if (!isGzip(data)) {
      if (sniffFormat(data) === 'pbf') stored = zlib.gzipSync(data);
      else this.sawRaster = true;
    }
    if (stored !== data || isGzip(data)) this.sawVector = true;
    const key = crypto.createHash('sha1').update(stored).digest('base64');
    let content = this.contents.get(key);
    if (content === undefined) {
      content = this.contentAt.length;
      this.contents.set(key, content);
      this.contentAt.push({ offset: this.spoolPos, length: stored.length });
      this.spool(stored);
    }
    this.tiles.push({ tileId: zxyToTileId(z, x, y), offset: 0, length: stored.length, content });
    if (z < this.minZoom) this.minZoom = z;
    if (z > this.maxZoom) this.maxZoom = z;
  }

  setMetadata(meta: TilesetMetadata): void {
    this.meta = meta;
  }

  private spool(data: Buffer): void {
    this.spoolChunks.push(data);
    this.spoolChunkBytes += data.length;
    this.spoolPos += data.length;
    if (this.spoolChunkBytes >= SPOOL_FLUSH) this.flushSpool();
  }

  private flushSpool(): void {
    if (!this.spoolChunks.length) return;
    const buf = Buffer.concat(this.spoolChunks);
    fs.writeSync(this.spoolFd, buf, 0, buf.length, this.spoolPos - buf.length);
    this.spoolChunks = [];
    this.spoolChunkBytes = 0;
  }

  /** Tile entries in tile id order, with contents laid out in first-use order and runs merged. */
  private layOut(): { entries: DirEntry[]; order: number[]; dataLength: number } {
    this.tiles.sort((a, b) => a.tileId - b.tileId);
    const newOffset = new Float64Array(this.contentAt.length).fill(-1);
    const order: number[] = [];
    const entries: DirEntry[] = [];
    let dataLength = 0;
    let prevId = -1;
    for (const t of this.tiles) {
      if (t.tileId === prevId) {
        // The same tile put twice (the sort is stable): the last copy wins.
        const last = entries[entries.length - 1];
        if (last.runLength > 1) last.runLength--;
        else entries.pop();
      }
      prevId = t.tileId;
      if (newOffset[t.content] < 0) {
        newOffset[t.content] = dataLength;
        order.push(t.content);
        dataLength += t.length;
      }
      const offset = newOffset[t.content];
      const last = entries[entries.length - 1];
      if (last && last.offset === offset && last.tileId + last.runLength === t.tileId) last.runLength++;
      else entries.push({ tileId: t.tileId, offset, length: t.length, runLength: 1 });
    }
    return { entries, order, dataLength };
  }

  private metadataJson(): Buffer {
    const m = this.meta;
    const json: Record<string, unknown> = {};
    if (m) {
      for (const [k, v] of Object.entries(m.extra ?? {})) json[k] = v;
      json.name = m.name;
      json.format = m.format;
      for (const k of ['attribution', 'description', 'version', 'type'] as const) if (m[k] !== undefined) json[k] = m[k];
      if (m.vector_layers) json.vector_layers = m.vector_layers;
    } else {
      json.name = path.basename(this.path).replace(/\.pmtiles$/i, '');
    }
    return Buffer.from(JSON.stringify(json));
  }

  private tileType(): PmTileType {
    if (this.meta) return TILE_TYPES[this.meta.format.toLowerCase()] ?? PmTileType.Unknown;
    return this.sawRaster ? PmTileType.Unknown : PmTileType.Mvt;
  }

  async commit(): Promise<void> {
    if (this.state !== 'open') throw new TuilerieError('INTERNAL', `commit after ${this.state} of ${this.path}`);
    let out: number | undefined;
    try {
      this.flushSpool();
      const { entries, order, dataLength } = this.layOut();
      const internal = PmCompression.Gzip;
      const { root, leaves } = buildDirectories(entries, internal);
      const metadata = compress(this.metadataJson(), internal);
      const hasTiles = this.tiles.length > 0;
      const minZoom = this.meta?.minzoom ?? (hasTiles ? this.minZoom : 0);
      const maxZoom = this.meta?.maxzoom ?? (hasTiles ? this.maxZoom : 0);
      const bounds = this.meta?.bounds ?? [-180, -85.0511287798066, 180, 85.0511287798066];
      const center = this.meta?.center ?? [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, minZoom];
      const rootOffset = HEADER_BYTES;
      const metadataOffset = rootOffset + root.length;
      const leafOffset = metadataOffset + metadata.length;
      const tileDataOffset = leafOffset + leaves.length;
      const header = serializeHeader({
        rootOffset, rootLength: root.length, metadataOffset, metadataLength: metadata.length,
        leafOffset, leafLength: leaves.length, tileDataOffset, tileDataLength: dataLength,
        addressedTiles: entries.reduce((n, e) => n + e.runLength, 0), tileEntries: entries.length, tileContents: order.length,
        clustered: true, internalCompression: internal,
        tileCompression: this.sawVector ? PmCompression.Gzip : PmCompression.None,
        tileType: this.tileType(), minZoom, maxZoom, bounds, center: [center[0], center[1], Math.round(center[2])],
      });
      out = fs.openSync(this.tempPath, 'w');
      let pos = 0;
      for (const part of [header, root, metadata, leaves]) {
        fs.writeSync(out, part, 0, part.length, pos);
        pos += part.length;
      }
      pos = this.copyContents(out, order, pos);
      fs.closeSync(out);
      out = undefined;
      fs.closeSync(this.spoolFd);
      fs.rmSync(this.spoolPath, { force: true });
      fs.renameSync(this.tempPath, this.path);
      releaseTempFile(this.tempPath);
      this.state = 'committed';
      this.logger.info('pmtiles written', { path: this.path, tiles: this.tiles.length, unique: order.length, bytes: pos });
    } catch (e) {
      if (out !== undefined) fs.closeSync(out);
      await this.abort();
      throw new TuilerieError('IO_ERROR', `cannot finish ${this.path}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Copies spooled contents in `order`, batching reads and writes through one buffer. */
  private copyContents(out: number, order: number[], pos: number): number {
    const buf = Buffer.alloc(SPOOL_FLUSH * 4);
    let used = 0;
    const drain = (): void => {
      fs.writeSync(out, buf, 0, used, pos);
      pos += used;
      used = 0;
    };
    for (const c of order) {
      const { offset, length } = this.contentAt[c];
      if (length > buf.length) {
        drain();
        const big = Buffer.alloc(length);
        fs.readSync(this.spoolFd, big, 0, length, offset);
        fs.writeSync(out, big, 0, length, pos);
        pos += length;
        continue;
      }
      if (used + length > buf.length) drain();
      fs.readSync(this.spoolFd, buf, used, length, offset);
      used += length;
    }
    drain();
    return pos;
  }

  async abort(): Promise<void> {
    if (this.state === 'committed') return;
    this.state = 'aborted';
    try { fs.closeSync(this.spoolFd); } catch { /* already closed by a failed commit */ }
    for (const p of [this.spoolPath, this.tempPath]) fs.rmSync(p, { force: true });
    releaseTempFile(this.tempPath);
  }
}
