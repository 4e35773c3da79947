/**
 * The one cache chain of rendered images (raster tiles, WMTS tiles of any
 * matrix set): memory → disk → shared tier (Redis) → render. A render produces
 * a block of tiles (a metatile); every one of them is stored in each tier, and
 * concurrent requests for tiles of one block share one render, in this process
 * and, through the shared tier's lock, across instances.
 */
import { TuilerieError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { strongEtag } from './etag.js';
import type { CachedTile, TileCache, TileCacheKey } from './tile_cache.js';
import type { SharedTileCache } from './shared_tile_cache.js';

/** The disk tier: synchronous reads, writes a block at a time. */
export interface RenderedDiskTier {
  get(key: TileCacheKey): CachedTile | null | undefined;
  setMany(entries: { key: TileCacheKey; value: CachedTile }[]): void;
}

export interface RenderedTileChainOptions {
  memory?: TileCache;
  disk?: RenderedDiskTier;
  shared?: SharedTileCache;
  /** Where a failed disk write is reported (the request still gets its tile). */
  logger?: Logger;
}

/** A rendered tile before it is stored: its key and encoded bytes. */
export interface RenderedTile {
  key: TileCacheKey;
  data: Buffer;
}

export interface ChainFetch {
  /** The tile wanted. */
  key: TileCacheKey;
  /** Names the block holding it: one render per block at a time. */
  blockKey: string;
  /** Renders the whole block (encoded tiles, the wanted one among them); stops when `signal` aborts. */
  render: (signal: AbortSignal) => Promise<RenderedTile[]>;
  /**
   * Aborted when the caller no longer wants the tile: the call rejects with
   * CANCELLED, and the render is abandoned once no other caller waits for it.
   * A caller without a signal waits for good (seeding).
   */
  signal?: AbortSignal;
  /** Set to whether a cache tier had the tile (for the access log). */
  outcome?: { hit?: boolean };
}

/** A block render in flight and the callers waiting for it. */
interface Flight {
  promise: Promise<Map<string, CachedTile>>;
  waiters: number;
  abort: AbortController;
}

function cancelled(): TuilerieError {
  return new TuilerieError('CANCELLED', 'nobody waits for this tile any more: its render was dropped');
}

export class RenderedTileChain {
  private readonly inflight = new Map<string, Flight>();
  private readonly logger: Logger;

  constructor(private readonly opts: RenderedTileChainOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  get memory(): TileCache | undefined {
    return this.opts.memory;
  }

  get shared(): SharedTileCache | undefined {
    return this.opts.shared;
  }

  /** The tile from memory or disk (promoting disk hits to memory), or undefined. */
  local(key: TileCacheKey): CachedTile | undefined {
    const m = this.opts.memory?.get(key);
    if (m) return m;
    const d = this.opts.disk?.get(key);
    if (d) {
      this.opts.memory?.set(key, d);
      return d;
    }
    return undefined;
  }

  /** The tile from the first tier that has it, else from a render of its block (shared with concurrent callers). */
  async fetch(req: ChainFetch): Promise<CachedTile> {
    const outcome = req.outcome ?? {};
    const hit = this.local(req.key);
    outcome.hit = hit !== undefined;
    if (hit) return hit;
    const shared = this.opts.shared;
    if (shared) {
      const remote = await shared.get(req.key);
      if (remote) {
        outcome.hit = true;
        this.opts.memory?.set(req.key, remote);
        return remote;
      }
    }
    const block = await this.join(req);
    const tile = block.get(tileId(req.key)) ?? (await this.sharedTile(req.key));
    if (!tile) throw new TuilerieError('INTERNAL', `the render of block ${req.blockKey} did not produce tile ${tileId(req.key)}`);
    return tile;
  }

  /** Waits for the render of the request's block, starting it when none is in flight. */
  private join(req: ChainFetch): Promise<Map<string, CachedTile>> {
    const { blockKey, signal } = req;
    if (signal?.aborted) return Promise.reject(cancelled());
    let flight = this.inflight.get(blockKey);
    if (!flight) {
      const abort = new AbortController();
      const f: Flight = { promise: Promise.resolve(new Map()), waiters: 0, abort };
      f.promise = this.renderBlock(req, abort.signal).finally(() => {
        if (this.inflight.get(blockKey) === f) this.inflight.delete(blockKey);
      });
      this.inflight.set(blockKey, (flight = f));
    }
    const f = flight;
    f.waiters++;
    if (!signal) return f.promise;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        reject(cancelled());
        if (--f.waiters > 0) return;
        // nobody else waits: stop the render, and let a later request start afresh
        if (this.inflight.get(blockKey) === f) this.inflight.delete(blockKey);
        f.abort.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      f.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * Stores a rendered block in every tier; returns its tiles by `z/x/y/variant`.
   * `mustStore`: a failed disk write fails the call (seeding exists to fill the cache; a request does not need it).
   */
  async store(tiles: RenderedTile[], mustStore = false): Promise<Map<string, CachedTile>> {
    const out = new Map<string, CachedTile>();
    const entries: { key: TileCacheKey; value: CachedTile }[] = [];
    for (const t of tiles) {
      const value: CachedTile = { data: t.data, encoding: 'identity', etag: strongEtag(t.data) };
      out.set(tileId(t.key), value);
      entries.push({ key: t.key, value });
      this.opts.memory?.set(t.key, value);
    }
    try {
      this.opts.disk?.setMany(entries);
    } catch (e) {
      if (mustStore) throw new TuilerieError('IO_ERROR', `cannot store rendered tiles on disk: ${(e as Error).message}`, { cause: e });
      // a full or read-only disk must not fail the request that rendered fine
      this.logger.warn('cannot store rendered tiles on disk', { error: (e as Error).message });
    }
    await this.opts.shared?.setMany(entries);
    return out;
  }

  private async renderBlock(req: ChainFetch, signal: AbortSignal): Promise<Map<string, CachedTile>> {
    const shared = this.opts.shared;
    const render = async () => this.store(await req.render(signal));
    if (!shared) return render();
    const r = await shared.renderOnce({ lockKey: req.blockKey, waitFor: req.key, render });
    if (r.kind === 'rendered') return r.value;
    // another instance rendered the block: only the tile waited for is known here
    this.opts.memory?.set(req.key, r.tile);
    return new Map([[tileId(req.key), r.tile]]);
  }

  private async sharedTile(key: TileCacheKey): Promise<CachedTile | undefined> {
    const t = this.local(key) ?? (await this.opts.shared?.get(key));
    if (t) this.opts.memory?.set(key, t);
    return t;
  }
}

/** Identity of a tile inside one chain's block results. */
export function tileId(key: TileCacheKey): string {
  return `${key.z}/${key.x}/${key.y}/${key.variant}`;
}
