/**
 * Caching of served tiles, behind one interface so a disk or shared tier can
 * stand in for memory. Entries are complete HTTP representations: the bytes,
 * their content encoding and a strong ETag computed once from the bytes.
 */
import type { ContentEncoding } from '../archive/tile_source.js';

export interface CachedTile {
  data: Buffer;
  encoding: ContentEncoding;
  /** Strong ETag, quoted (`"…"`). */
  etag: string;
}

/** Identifies one representation of one tile. `variant` separates e.g. the stored gzip form from its decompressed form. */
export interface TileCacheKey {
  sourceId: string;
  /** The source's version() at read time, so a replaced archive never serves old entries. */
  version: string;
  z: number;
  x: number;
  y: number;
  variant: string;
}

export interface TileCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
  /** Lookups that found the tile stored for another data version (it is rendered again), when the tier knows it. */
  stale?: number;
}

export interface TileCache {
  /** The entry, or `null` when the tile is known to be empty/missing, or undefined when not cached. */
  get(key: TileCacheKey): CachedTile | null | undefined;
  set(key: TileCacheKey, value: CachedTile | null): void;
  /** Drops every entry of a source (all versions, all variants). */
  invalidateSource(sourceId: string): void;
  stats(): TileCacheStats;
}

export function tileCacheKeyString(k: TileCacheKey): string {
  return `${k.sourceId}\u0000${k.version}\u0000${k.z}/${k.x}/${k.y}\u0000${k.variant}`;
}
