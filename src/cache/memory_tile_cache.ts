/**
 * In-memory LRU of tile representations, bounded in bytes (not entries): a z14
 * city tile can weigh 100 times a z0 ocean tile, so counting entries would let
 * memory drift with the mix of requests.
 */
import { LRUCache } from 'lru-cache';
import { tileCacheKeyString, type CachedTile, type TileCache, type TileCacheKey, type TileCacheStats } from './tile_cache.js';

/** Fixed cost per entry (key, object headers) so that empty tiles are not free. */
const ENTRY_OVERHEAD = 128;
const EMPTY = Symbol('empty');
type Stored = CachedTile | typeof EMPTY;

export interface MemoryTileCacheOptions {
  maxBytes: number;
}

export class MemoryTileCache implements TileCache {
  private readonly lru: LRUCache<string, Stored> | undefined;
  /** Keys per source, so invalidation does not scan the whole cache. */
  private readonly bySource = new Map<string, Map<string, TileCacheKey>>();
  private hits = 0;
  private misses = 0;

  constructor(opts: MemoryTileCacheOptions) {
    if (opts.maxBytes > 0) {
      this.lru = new LRUCache<string, Stored>({
        maxSize: opts.maxBytes,
        sizeCalculation: (v) => ENTRY_OVERHEAD + (v === EMPTY ? 0 : v.data.length),
        dispose: (_v, key) => this.forget(key),
      });
    }
  }

  get(key: TileCacheKey): CachedTile | null | undefined {
    const v = this.lru?.get(tileCacheKeyString(key));
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return v === EMPTY ? null : v;
  }

  set(key: TileCacheKey, value: CachedTile | null): void {
    if (!this.lru) return;
    const k = tileCacheKeyString(key);
    const size = ENTRY_OVERHEAD + (value ? value.data.length : 0);
    if (size > this.lru.maxSize) return;
    this.lru.set(k, value ?? EMPTY);
    let keys = this.bySource.get(key.sourceId);
    if (!keys) this.bySource.set(key.sourceId, (keys = new Map()));
    keys.set(k, key);
  }

  invalidateSource(sourceId: string): void {
    const keys = this.bySource.get(sourceId);
    if (!keys || !this.lru) return;
    for (const k of [...keys.keys()]) this.lru.delete(k);
    this.bySource.delete(sourceId);
  }

  /** Drops the source's entries `stale` says are out of date; returns how many. */
  dropWhere(sourceId: string, stale: (key: TileCacheKey) => boolean): number {
    const keys = this.bySource.get(sourceId);
    if (!keys || !this.lru) return 0;
    let n = 0;
    for (const [k, key] of [...keys]) {
      if (stale(key) && this.lru.delete(k)) n++;
    }
    return n;
  }

  stats(): TileCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.lru?.size ?? 0, bytes: this.lru?.calculatedSize ?? 0 };
  }

  private forget(key: string): void {
    const sourceId = key.slice(0, key.indexOf('\u0000'));
    const set = this.bySource.get(sourceId);
    if (!set) return;
    set.delete(key);
    if (set.size === 0) this.bySource.delete(sourceId);
  }
}
