/**
 * Stage `tiles`: every tile with features is generalised, encoded as MVT and
 * gzipped (tile_encoder.ts). The main thread encodes batches itself and hands
 * others to `threads - 1` encoder threads reading the shared feature store; it
 * alone writes to the sink.
 */
import zlib from 'node:zlib';
import type { Logger } from '../core/logger.js';
import { Progress } from '../core/progress.js';
import { tileFromKey } from '../core/tile_math.js';
import type { TileSink } from '../archive/tile_source.js';
import type { LayerSpec } from '../schema/profile.js';
import { decodeGroupRows, type TileStoreGroup } from './tile_feature_store.js';
import { encodeTileFeatures, GZIP_LEVEL } from './tile_encoder.js';
import { TileEncodePool } from './tile_encode_pool.js';

export interface TileWriteResult {
  tilesPerZoom: number[];
  bytes: number;
}

export interface WriteTilesOptions {
  store: TileStoreGroup;
  layers: readonly LayerSpec[];
  sink: TileSink;
  logger: Logger;
  tty?: NodeJS.WriteStream;
  /** Encoder threads; 1 encodes on the main thread. */
  threads: number;
  /** Tiles outside the import's bounds are dropped (features tiled before the bounds were known). */
  filter?: (z: number, x: number, y: number) => boolean;
}

const BATCH = 64;

export async function writeTiles(opts: WriteTilesOptions): Promise<TileWriteResult> {
  const { store, layers, sink } = opts;
  const keys = store.keys().filter((k) => {
    if (!opts.filter) return true;
    const { z, x, y } = tileFromKey(k);
    return opts.filter(z, x, y);
  });
  const progress = new Progress({ name: 'tiles', unit: 'tiles', total: keys.length, logger: opts.logger, tty: opts.tty });
  const result: TileWriteResult = { tilesPerZoom: [], bytes: 0 };
  const put = (key: number, data: Uint8Array | null): void => {
    progress.tick();
    if (!data) return;
    const { z, x, y } = tileFromKey(key);
    sink.putTile(z, x, y, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    result.bytes += data.byteLength;
    result.tilesPerZoom[z] = (result.tilesPerZoom[z] ?? 0) + 1;
  };

  const snaps = store.snapshots();
  const encodeHere = (key: number): void => {
    const mvt = encodeTileFeatures(decodeGroupRows(snaps, store.takeRows(key)), layers, tileFromKey(key).z);
    put(key, mvt ? zlib.gzipSync(mvt, { level: GZIP_LEVEL }) : null);
  };
  const helpers = keys.length < BATCH * 4 ? 0 : Math.max(0, opts.threads - 1);
  if (helpers === 0) {
    for (const key of keys) encodeHere(key);
  } else {
    const pool = new TileEncodePool(helpers, snaps, layers);
    try {
      let next = 0;
      const runWorker = async (slot: number): Promise<void> => {
        while (next < keys.length) {
          const batch = keys.slice(next, next + BATCH);
          next += batch.length;
          const res = await pool.encode(slot, batch, batch.map((k) => store.takeRows(k)));
          for (const t of res.tiles) put(t.key, t.data);
        }
      };
      const runMain = async (): Promise<void> => {
        while (next < keys.length) {
          const batch = keys.slice(next, next + BATCH);
          next += batch.length;
          for (const k of batch) encodeHere(k);
          // let worker results in between batches
          await new Promise<void>((r) => setImmediate(r));
        }
      };
      await Promise.all([runMain(), ...Array.from({ length: pool.size }, (_, i) => runWorker(i))]);
    } finally {
      await pool.close();
    }
  }
  progress.finish();
  return result;
}
