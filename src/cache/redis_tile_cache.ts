/**
 * The shared tile tier on Redis (ioredis). One key per tile representation:
 * `<prefix>t:<source>:<version hash>:<z>/<x>/<y>:<variant>`, expiring after a
 * TTL, so a new data version simply stops being asked for the old keys. A
 * metatile is rendered once across instances: `SET lock NX PX` with a random
 * token, released by compare-and-delete; the others poll for their tile until
 * it appears or the lock expires.
 *
 * Redis being down must never fail a request: the offline queue is off and a
 * command timeout is set, so every command fails fast and is treated as a
 * miss, while ioredis keeps reconnecting in the background.
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../core/logger.js';
import type { CachedTile, TileCacheKey } from './tile_cache.js';
import type { RenderOnceOptions, RenderOnceResult, SharedTileCache, SharedTileCacheStats } from './shared_tile_cache.js';

export interface RedisTileCacheOptions {
  /** redis://[:password@]host:port/db */
  url: string;
  /** Prefix of every key (default `tuilerie:`). */
  prefix?: string;
  /** Expiry of tiles, seconds (default 7 days). */
  ttlSeconds?: number;
  /** Expiry of a render lock, ms (default 30 s); also how long a waiter waits before rendering itself. */
  lockMs?: number;
  /** Per-command timeout, ms (default 500). */
  timeoutMs?: number;
  logger?: Logger;
}

const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const FORMAT_VERSION = 1;

function shortHash(s: string): string {
  return crypto.createHash('sha1').update(s).digest('base64url').slice(0, 16);
}

/** `[format, encoding, etag length, etag…, data…]`: one GET returns a whole representation. */
export function encodeSharedTile(t: CachedTile): Buffer {
  const etag = Buffer.from(t.etag, 'latin1');
  return Buffer.concat([Buffer.from([FORMAT_VERSION, t.encoding === 'gzip' ? 1 : 0, etag.length]), etag, t.data]);
}

export function decodeSharedTile(b: Buffer): CachedTile | undefined {
  if (b.length < 3 || b[0] !== FORMAT_VERSION || b.length < 3 + b[2]) return undefined;
  return { encoding: b[1] === 1 ? 'gzip' : 'identity', etag: b.toString('latin1', 3, 3 + b[2]), data: b.subarray(3 + b[2]) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RedisTileCache implements SharedTileCache {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private readonly lockMs: number;
  private readonly logger: Logger;
  private readonly counters = { hits: 0, misses: 0, errors: 0, lockedRenders: 0, waitedHits: 0 };
  /** Whether "unreachable" was already logged since the last successful connection. */
  private reportedDown = false;
  private closed = false;
  /** Settles on the first connection or the first failure: requests made at startup wait for it rather than miss. */
  private readonly firstAttempt: Promise<void>;

  constructor(opts: RedisTileCacheOptions) {
    this.prefix = opts.prefix ?? 'tuilerie:';
    this.ttlSeconds = opts.ttlSeconds ?? 7 * 24 * 3600;
    this.lockMs = opts.lockMs ?? 30_000;
    this.logger = opts.logger ?? silentLogger;
    this.redis = new Redis(opts.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.timeoutMs ?? 500,
      connectTimeout: 2000,
      // keep trying for as long as we run: Redis coming back must be picked up without a restart
      retryStrategy: (times) => Math.min(100 * times, 2000),
      lazyConnect: false,
    });
    this.firstAttempt = new Promise<void>((resolve) => {
      const done = () => resolve();
      this.redis.once('ready', done);
      this.redis.once('error', done);
      this.redis.once('end', done);
      setTimeout(done, 2500).unref();
    });
    this.redis.on('ready', () => {
      this.reportedDown = false;
      this.logger.info('shared cache connected', { url: redactUrl(opts.url) });
    });
    this.redis.on('error', (e: Error) => {
      if (this.reportedDown || this.closed) return;
      this.reportedDown = true;
      this.logger.warn('shared cache unreachable; serving from local caches and reconnecting', { url: redactUrl(opts.url), error: e.message });
    });
  }

  /** Resolves true once connected, false after `timeoutMs` (startup, tests). */
  async waitConnected(timeoutMs = 5000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (this.redis.status !== 'ready') {
      if (Date.now() > end || this.closed) return false;
      await sleep(20);
    }
    return true;
  }

  keyOf(k: TileCacheKey): string {
    return `${this.prefix}t:${k.sourceId}:${shortHash(k.version)}:${k.z}/${k.x}/${k.y}:${k.variant}`;
  }

  async get(key: TileCacheKey): Promise<CachedTile | undefined> {
    await this.firstAttempt;
    const got = await this.read(key);
    if (got === 'error') return undefined;
    if (got) this.counters.hits++;
    else this.counters.misses++;
    return got;
  }

  async setMany(entries: ReadonlyArray<{ key: TileCacheKey; value: CachedTile }>): Promise<void> {
    await this.firstAttempt;
    if (!entries.length || !this.usable()) return;
    try {
      const p = this.redis.pipeline();
      for (const e of entries) p.set(this.keyOf(e.key), encodeSharedTile(e.value), 'EX', this.ttlSeconds);
      const results = await p.exec();
      if (results?.some(([err]) => err)) this.counters.errors++;
    } catch {
      this.counters.errors++;
    }
  }

  async renderOnce<T>(opts: RenderOnceOptions<T>): Promise<RenderOnceResult<T>> {
    await this.firstAttempt;
    const lock = `${this.prefix}lock:${shortHash(opts.lockKey)}`;
    const token = crypto.randomUUID();
    const giveUpAt = Date.now() + this.lockMs;
    let delay = 20;
    for (;;) {
      let taken: boolean;
      try {
        if (!this.usable()) throw new Error('not connected');
        taken = (await this.redis.set(lock, token, 'PX', this.lockMs, 'NX')) === 'OK';
      } catch {
        this.counters.errors++;
        return { kind: 'rendered', value: await opts.render() };
      }
      if (taken) {
        try {
          // the previous holder may have finished between our miss and this lock
          const done = await this.read(opts.waitFor);
          if (done && done !== 'error') {
            this.counters.waitedHits++;
            return { kind: 'shared', tile: done };
          }
          this.counters.lockedRenders++;
          return { kind: 'rendered', value: await opts.render() };
        } finally {
          await this.redis.eval(RELEASE_LOCK, 1, lock, token).catch(() => {
            this.counters.errors++; // it expires on its own
          });
        }
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 200);
      const tile = await this.read(opts.waitFor);
      if (tile === 'error') return { kind: 'rendered', value: await opts.render() };
      if (tile) {
        this.counters.waitedHits++;
        return { kind: 'shared', tile };
      }
      // holder too slow (or gone without releasing): do it ourselves rather than wait forever
      if (Date.now() > giveUpAt) return { kind: 'rendered', value: await opts.render() };
    }
  }

  stats(): SharedTileCacheStats {
    return { ...this.counters, connected: this.redis.status === 'ready' };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }

  private usable(): boolean {
    return !this.closed && this.redis.status === 'ready';
  }

  /** The tile, undefined on a miss, 'error' when Redis did not answer. */
  private async read(key: TileCacheKey): Promise<CachedTile | undefined | 'error'> {
    if (!this.usable()) {
      this.counters.errors++;
      return 'error';
    }
    try {
      const b = await this.redis.getBuffer(this.keyOf(key));
      return b ? decodeSharedTile(b) : undefined;
    } catch {
      this.counters.errors++;
      return 'error';
    }
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
