/**
 * One tile's features → MVT bytes: grouped by layer in profile order, sorted by
 * sort key (then emission order), generalised for the zoom, encoded. Pure: runs
 * on the main thread or in an encoder thread alike.
 */
import type { LayerSpec } from '../schema/profile.js';
import { encodeMvt, type MvtLayer } from '../tiling/mvt_encoder.js';
import { generaliseLayer } from './layer_generaliser.js';
import type { TileFeature } from './tile_feature_store.js';

/** gzip level of stored tiles: zlib's default (level 1 saved no measurable import time for 2% larger tiles). */
export const GZIP_LEVEL = 6;

export function encodeTileFeatures(features: TileFeature[], layers: readonly LayerSpec[], z: number): Buffer | null {
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
