/**
 * Stage `tiles`: for every tile with features, group them by layer in profile
 * order, apply the low-zoom generalisations (line and polygon merging, label
 * density), encode as MVT, gzip (on libuv's thread pool, so compression runs in
 * parallel with encoding) and hand the bytes to the sink in tile order.
 */
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { Logger } from '../core/logger.js';
import { Progress } from '../core/progress.js';
import { tileFromKey } from '../core/tile_math.js';
import type { TileSink } from '../archive/tile_source.js';
import type { LayerSpec } from '../schema/profile.js';
import { encodeMvt, type MvtLayer } from '../tiling/mvt_encoder.js';
import { generaliseLayer } from './layer_generaliser.js';
import type { TileFeatureStore, TileFeature } from './tile_feature_store.js';

const gzip = promisify(zlib.gzip);

export interface TileWriteResult {
  tilesPerZoom: number[];
  bytes: number;
}

export async function writeTiles(opts: {
  buckets: TileFeatureStore;
  layers: readonly LayerSpec[];
  sink: TileSink;
  logger: Logger;
  tty?: NodeJS.WriteStream;
  concurrency?: number;
}): Promise<TileWriteResult> {
  const { buckets, layers, sink } = opts;
  const keys = buckets.keys();
  const progress = new Progress({ name: 'tiles', unit: 'tiles', total: keys.length, logger: opts.logger, tty: opts.tty });
  const tilesPerZoom: number[] = [];
  let bytes = 0;
  const window = opts.concurrency ?? 8;
  const pending: { z: number; x: number; y: number; data: Promise<Buffer> }[] = [];

  const flush = async (keep: number): Promise<void> => {
    while (pending.length > keep) {
      const t = pending.shift()!;
      const data = await t.data;
      sink.putTile(t.z, t.x, t.y, data);
      bytes += data.length;
      tilesPerZoom[t.z] = (tilesPerZoom[t.z] ?? 0) + 1;
      progress.tick();
    }
  };

  for (const key of keys) {
    const { z, x, y } = tileFromKey(key);
    const mvt = encodeTile(buckets.take(key), layers, z);
    if (!mvt) {
      progress.tick();
      continue;
    }
    pending.push({ z, x, y, data: gzip(mvt, { level: 6 }) });
    await flush(window);
  }
  await flush(0);
  progress.finish();
  return { tilesPerZoom, bytes };
}

function encodeTile(features: TileFeature[], layers: readonly LayerSpec[], z: number): Uint8Array | null {
  const byLayer: TileFeature[][] = layers.map(() => []);
  for (const f of features) byLayer[f.layer].push(f);
  const out: MvtLayer[] = [];
  for (let i = 0; i < layers.length; i++) {
    const list = byLayer[i];
    if (list.length === 0) continue;
    list.sort((a, b) => a.sortKey - b.sortKey || a.seq - b.seq);
    const feats = generaliseLayer(list, layers[i], z);
    if (feats.length === 0) continue;
    out.push({
      name: layers[i].id,
      extent: 4096,
      features: feats.map((f) => ({ id: f.id, type: f.geometry.type, geometry: f.geometry.geometry, ringsPerPolygon: f.geometry.ringsPerPolygon, properties: f.attrs })),
    });
  }
  if (out.length === 0) return null;
  const mvt = encodeMvt(out);
  return mvt.length === 0 ? null : mvt;
}
