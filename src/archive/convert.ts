/**
 * Copies every tile and the metadata of any TileSource into any TileSink
 * (MBTiles ⇄ PMTiles), with progress. The sink is committed only when the copy is
 * complete and aborted on any failure, so a failed conversion leaves no partial output.
 */
import zlib from 'node:zlib';
import { TuilerieError } from '../core/errors.js';
import { Progress } from '../core/progress.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { TileSink, TileSource, TilesetMetadata } from './tile_source.js';

export interface ConvertOptions {
  source: TileSource;
  sink: TileSink;
  logger?: Logger;
  /** A terminal to draw the progress bar on; periodic log lines otherwise. */
  tty?: NodeJS.WriteStream;
  /** Metadata keys to override in the output. */
  metadata?: Partial<TilesetMetadata>;
}

export interface ConvertResult {
  tiles: number;
  ms: number;
}

export async function convertArchive(opts: ConvertOptions): Promise<ConvertResult> {
  const { source, sink } = opts;
  const logger = opts.logger ?? silentLogger;
  if (!source.tiles) {
    throw new TuilerieError('UNSUPPORTED_FORMAT', 'this tile source cannot list its tiles, so it cannot be converted');
  }
  const meta: TilesetMetadata = { ...source.metadata(), ...opts.metadata };
  // Archives expect vector tiles gzip-compressed; a source that stored them raw is recoded.
  const gzipVector = meta.format === 'pbf';
  const progress = new Progress({ name: 'convert', unit: 'tiles', total: source.tileCount?.(), logger, tty: opts.tty });
  let n = 0;
  try {
    for await (const { z, x, y, tile } of source.tiles()) {
      const data = gzipVector && tile.encoding === 'identity' && tile.data.length > 0 ? zlib.gzipSync(tile.data) : tile.data;
      sink.putTile(z, x, y, data);
      n++;
      progress.tick();
    }
    sink.setMetadata(meta);
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
  const ms = progress.finish();
  return { tiles: n, ms };
}
