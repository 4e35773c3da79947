/**
 * A cache tier shared by several instances (processes or machines) for work
 * that is costly to redo, i.e. rendered raster tiles. Unlike TileCache it is
 * asynchronous (it lives across the network) and it may be unreachable: every
 * method then behaves as a miss instead of failing, so the local caches and
 * the renderer keep serving.
 */
import type { CachedTile, TileCacheKey } from './tile_cache.js';

export interface SharedTileCacheStats {
  hits: number;
  misses: number;
  /** Commands that failed or timed out (the tier was down or slow). */
  errors: number;
  /** Renders this instance did while holding the lock of their metatile. */
  lockedRenders: number;
  /** Requests that waited for another instance's render and got its tile. */
  waitedHits: number;
  /** Whether the tier answers right now. */
  connected: boolean;
}

/** What `renderOnce` ended up doing. */
export type RenderOnceResult<T> =
  | { kind: 'rendered'; value: T }
  /** Another instance rendered it: here is the requested tile from the shared tier. */
  | { kind: 'shared'; tile: CachedTile };

export interface RenderOnceOptions<T> {
  /** Names the unit of work (a metatile): one render at a time per lock key across all instances. */
  lockKey: string;
  /** The tile this caller needs: when another instance holds the lock, wait until this appears. */
  waitFor: TileCacheKey;
  /** Does the work and stores its tiles (with `setMany`) before resolving. */
  render: () => Promise<T>;
}

export interface SharedTileCache {
  get(key: TileCacheKey): Promise<CachedTile | undefined>;
  setMany(entries: ReadonlyArray<{ key: TileCacheKey; value: CachedTile }>): Promise<void>;
  /**
   * Single flight across instances: takes the lock of `lockKey` (with an expiry,
   * so a crashed holder never blocks for good) and renders, or waits for the
   * holder's tiles. Renders locally when the tier is unreachable or the wait
   * outlives the lock.
   */
  renderOnce<T>(opts: RenderOnceOptions<T>): Promise<RenderOnceResult<T>>;
  stats(): SharedTileCacheStats;
  close(): Promise<void>;
}
