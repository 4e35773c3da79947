/**
 * Features of some layers of a vector tile archive over a Mercator box, with
 * geometry in normalized Web Mercator: what the plan's indexes and the place
 * search read, independently of how the map image is drawn.
 */
import zlib from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { TuilerieError } from '../core/errors.js';
import type { TileSource } from '../archive/tile_source.js';
import type { MercBox } from './plan_scale.js';

export type FeatureProps = Record<string, string | number | boolean>;

export interface DecodedFeature {
  layer: string;
  /** 1 point, 2 line, 3 polygon (MVT geometry types). */
  type: number;
  properties: FeatureProps;
  /** Points, lines or rings in normalized Mercator. */
  geometry: [number, number][][];
}

export interface ReadFeaturesOptions {
  z: number;
  box: MercBox;
  layers: readonly string[];
  /** Refuse boxes needing more tiles than this. */
  maxTiles?: number;
  /** Keep only features for which this returns true (before geometry is decoded). */
  filter?: (layer: string, props: FeatureProps) => boolean;
}

export function tilesOver(box: MercBox, z: number): { minX: number; minY: number; maxX: number; maxY: number; count: number } {
  const n = 2 ** z;
  const clamp = (v: number) => Math.min(n - 1, Math.max(0, Math.floor(v * n)));
  const minX = clamp(box.x0), maxX = clamp(box.x1), minY = clamp(box.y0), maxY = clamp(box.y1);
  return { minX, minY, maxX, maxY, count: (maxX - minX + 1) * (maxY - minY + 1) };
}

/** Longest stretch of decoding between two turns of the event loop. */
const YIELD_EVERY_MS = 10;

/** Decodes the wanted layers of every stored tile at z over the box. */
export async function readFeatures(source: TileSource, opts: ReadFeaturesOptions): Promise<DecodedFeature[]> {
  const r = tilesOver(opts.box, opts.z);
  if (opts.maxTiles !== undefined && r.count > opts.maxTiles) {
    throw new TuilerieError('TOO_BIG', `reading ${r.count} tiles at z${opts.z} is past the limit of ${opts.maxTiles}: choose a smaller area`);
  }
  const out: DecodedFeature[] = [];
  const n = 2 ** opts.z;
  let slice = performance.now();
  for (let y = r.minY; y <= r.maxY; y++) {
    for (let x = r.minX; x <= r.maxX; x++) {
      // thousands of tiles are decoded here on the server's event loop: let other requests through every few ms
      if (performance.now() - slice > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
      const t = await source.getTile(opts.z, x, y);
      if (!t) continue;
      const bytes = t.encoding === 'gzip' ? zlib.gunzipSync(t.data) : t.data;
      const tile = new VectorTile(new PbfReader(bytes));
      for (const name of opts.layers) {
        const layer = tile.layers[name];
        if (!layer) continue;
        const ext = layer.extent;
        for (let i = 0; i < layer.length; i++) {
          const f = layer.feature(i);
          const props = f.properties as FeatureProps;
          if (opts.filter && !opts.filter(name, props)) continue;
          const geometry = f.loadGeometry().map((ring) => ring.map((p): [number, number] => [(x + p.x / ext) / n, (y + p.y / ext) / n]));
          out.push({ layer: name, type: f.type, properties: props, geometry });
        }
      }
    }
  }
  return out;
}
