/**
 * Features cut to tiles, grouped by tile until encoding. One small record per
 * feature per tile; attribute objects are shared, not copied, between the tiles
 * of a feature.
 */
import type { Attrs } from '../schema/profile.js';
import { tileKey } from '../core/tile_math.js';

export interface TileFeature {
  layer: number;
  sortKey: number;
  seq: number;
  type: 1 | 2 | 3;
  geometry: Int32Array[];
  attrs: Attrs;
  id?: number;
  labelGrid?: { sizePx: number; limit: number };
}

export class TileBuckets {
  private readonly buckets = new Map<number, TileFeature[]>();
  private features = 0;

  add(z: number, x: number, y: number, f: TileFeature): void {
    const k = tileKey(z, x, y);
    let b = this.buckets.get(k);
    if (!b) {
      b = [];
      this.buckets.set(k, b);
    }
    b.push(f);
    this.features++;
  }

  get tileCount(): number {
    return this.buckets.size;
  }
  get featureCount(): number {
    return this.features;
  }

  /** Tile keys in ascending order (zoom, then row, then column). */
  keys(): number[] {
    return [...this.buckets.keys()].sort((a, b) => a - b);
  }

  /** Returns and forgets a tile's features (memory is released as tiles are written). */
  take(key: number): TileFeature[] {
    const b = this.buckets.get(key) ?? [];
    this.buckets.delete(key);
    return b;
  }
}
