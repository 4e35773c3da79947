/** Creates the sink for an output path by its extension (.mbtiles or .pmtiles). */
import { TuilerieError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { TileSink } from './tile_source.js';
import { MbtilesSink } from './mbtiles/mbtiles_sink.js';
import { PmtilesSink } from './pmtiles/pmtiles_sink.js';
import { archiveKindOf } from './open_tile_source.js';

export function openTileSink(outPath: string, opts: { logger?: Logger } = {}): TileSink {
  const kind = /^https?:\/\//i.test(outPath) ? undefined : archiveKindOf(outPath);
  if (kind === 'mbtiles') return new MbtilesSink(outPath, opts);
  if (kind === 'pmtiles') return new PmtilesSink(outPath, opts);
  throw new TuilerieError('UNSUPPORTED_FORMAT', `cannot write ${outPath}: the output must be a local .mbtiles or .pmtiles file`);
}
