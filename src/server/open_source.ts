/**
 * Default opener of tile archives for the server, chosen by extension. Kept
 * apart so tests inject fakes and the archive module's own opener can replace
 * this one without touching the registry.
 */
import path from 'node:path';
import type { TileSource } from '../archive/tile_source.js';
import { MbtilesSource } from '../archive/mbtiles/mbtiles_source.js';
import { TuilerieError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { OpenTileSource } from './source_registry.js';

export function defaultSourceOpener(logger: Logger): OpenTileSource {
  return async (file: string): Promise<TileSource> => {
    const ext = path.extname(file).toLowerCase();
    if (ext === '.mbtiles') return MbtilesSource.open(file, { logger });
    throw new TuilerieError('UNSUPPORTED_FORMAT', `${file}: unsupported archive type "${ext}"; serve .mbtiles files`);
  };
}
