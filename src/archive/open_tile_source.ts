/**
 * Opens a tile archive by what it is: an http(s) URL is read as PMTiles over range
 * requests; a local file by its magic bytes (SQLite → MBTiles, "PMTiles" → PMTiles),
 * falling back to its extension when the file is too short to tell.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { TileSource } from './tile_source.js';
import { MbtilesSource } from './mbtiles/mbtiles_source.js';
import { PmtilesSource } from './pmtiles/pmtiles_source.js';

export interface OpenTileSourceOptions {
  logger?: Logger;
}

export type ArchiveKind = 'mbtiles' | 'pmtiles';

function sniff(file: string): ArchiveKind | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n >= 16 && head.toString('latin1', 0, 16) === 'SQLite format 3\0') return 'mbtiles';
    if (n >= 7 && head.toString('latin1', 0, 7) === 'PMTiles') return 'pmtiles';
    if (n >= 2 && head[0] === 0x50 && head[1] === 0x4d) return 'pmtiles'; // v1/v2: the reader explains
    return undefined;
  } catch {
    return undefined; // unreadable: the reader chosen by extension reports it
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The archive kind a path names by its extension, if any. */
export function archiveKindOf(location: string): ArchiveKind | undefined {
  const ext = path.extname(/^https?:\/\//i.test(location) ? new URL(location).pathname : location).toLowerCase();
  return ext === '.mbtiles' ? 'mbtiles' : ext === '.pmtiles' ? 'pmtiles' : undefined;
}

export async function openTileSource(location: string, opts: OpenTileSourceOptions = {}): Promise<TileSource> {
  if (/^https?:\/\//i.test(location)) {
    if (archiveKindOf(location) === 'mbtiles') {
      throw new TuilerieError('UNSUPPORTED_FORMAT', `${location}: MBTiles cannot be read over HTTP; download it, or convert it to PMTiles`);
    }
    return PmtilesSource.open(location, opts);
  }
  const kind = sniff(location) ?? archiveKindOf(location);
  if (kind === 'mbtiles') return MbtilesSource.open(location, opts);
  if (kind === 'pmtiles') return PmtilesSource.open(location, opts);
  if (!fs.existsSync(location)) throw new TuilerieError('NOT_FOUND', `tile archive ${location} does not exist`);
  throw new TuilerieError('UNSUPPORTED_FORMAT', `${location} is neither MBTiles nor PMTiles (by content or extension)`);
}
