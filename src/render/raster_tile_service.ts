/**
 * Raster tiles of a style: memory cache, then disk cache, then a metatile render
 * whose every tile is stored (so its 15 neighbours are free). Keys carry the
 * style's data version, so a new import makes older rendered tiles stale.
 */
import { TuilerieError } from '../core/errors.js';
import { isValidTile, type Bounds } from '../core/tile_math.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { strongEtag } from '../cache/etag.js';
import type { CachedTile, TileCache, TileCacheKey } from '../cache/tile_cache.js';
import type { DiskTileCache } from '../cache/disk_tile_cache.js';
import type { SharedTileCache } from '../cache/shared_tile_cache.js';
import type { ImageFormat } from './image_codec.js';
import { MetatileRenderer } from './metatile.js';

/** A style ready for the renderer: every URL already points at the local server. */
export interface RasterStyle {
  id: string;
  name?: string;
  style: Record<string, unknown>;
  /** Changes with the style document (reload) and is used to keep a map loaded between renders. */
  styleKey: string;
  /** Changes when any data the style reads changes (a new import). */
  dataVersion: string;
  minzoom: number;
  maxzoom: number;
  bounds?: Bounds;
  center?: [number, number, number];
  attribution?: string;
}

export interface RasterStyleSource {
  /** The style, or undefined when there is no such id. */
  resolve(id: string): Promise<RasterStyle | undefined>;
  /** The same, synchronously, when the source can (the server's fast path for cache hits uses it). */
  peek?(id: string): RasterStyle | undefined;
  ids(): string[];
}

export interface RasterTileRequest {
  styleId: string;
  z: number;
  x: number;
  y: number;
  /** 256 or 512 CSS pixels. */
  tileSize: number;
  scale: number;
  format: ImageFormat;
  /** Aborted when the caller no longer wants the tile: a render only it waits for is abandoned. */
  signal?: AbortSignal;
}

export interface RasterTileServiceOptions {
  styles: RasterStyleSource;
  metatiles: MetatileRenderer;
  memory?: TileCache;
  disk?: DiskTileCache;
  /** Tier shared with other instances (Redis): asked after memory and disk, and a metatile is rendered once across instances. */
  shared?: SharedTileCache;
  logger?: Logger;
  quality?: number;
}

export function rasterVariant(tileSize: number, scale: number, format: ImageFormat): string {
  return `${tileSize}@${scale}x.${format}`;
}

export class RasterTileService {
  private readonly logger: Logger;

  constructor(private readonly opts: RasterTileServiceOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  get styles(): RasterStyleSource {
    return this.opts.styles;
  }

  async requireStyle(id: string): Promise<RasterStyle> {
    const s = await this.opts.styles.resolve(id);
    if (!s) throw new TuilerieError('NOT_FOUND', `unknown style "${id}"${this.opts.styles.ids().length ? `; available: ${this.opts.styles.ids().join(', ')}` : ''}`);
    return s;
  }

  keyOf(style: RasterStyle, req: Omit<RasterTileRequest, 'styleId'>): TileCacheKey {
    return { sourceId: style.id, version: style.dataVersion, z: req.z, x: req.x, y: req.y, variant: rasterVariant(req.tileSize, req.scale, req.format) };
  }

  /** `outcome.hit`: whether a cache tier (memory, disk, shared) had the tile, for the access log. */
  async getTile(req: RasterTileRequest, outcome: { hit?: boolean } = {}): Promise<CachedTile> {
    if (!isValidTile(req.z, req.x, req.y)) throw new TuilerieError('BAD_REQUEST', `no tile ${req.z}/${req.x}/${req.y}: x and y must be below 2^z`);
    const style = await this.requireStyle(req.styleId);
    if (req.z > Math.max(style.maxzoom, 22)) throw new TuilerieError('NOT_FOUND', `zoom ${req.z} is beyond what style "${style.id}" can draw`);
    const key = this.keyOf(style, req);
    const cached = this.cachedTile(key);
    outcome.hit = cached !== undefined;
    if (cached) return cached;
    const shared = this.opts.shared;
    let tiles: Map<string, CachedTile>;
    if (shared) {
      const hit = await shared.get(key);
      if (hit) {
        outcome.hit = true;
        this.opts.memory?.set(key, hit);
        return hit;
      }
      const g = this.opts.metatiles.gridOf(req.z, req.x, req.y, undefined, req.tileSize, req.scale);
      const lockKey = [style.id, style.dataVersion, g.z, g.x0, g.y0, key.variant].join('|');
      const r = await shared.renderOnce({ lockKey, waitFor: key, render: () => this.renderMetatile(style, req) });
      if (r.kind === 'shared') {
        this.opts.memory?.set(key, r.tile);
        return r.tile;
      }
      tiles = r.value;
    } else {
      tiles = await this.renderMetatile(style, req);
    }
    const tile = tiles.get(`${req.x}/${req.y}`);
    if (!tile) throw new TuilerieError('INTERNAL', `metatile render lost tile ${req.z}/${req.x}/${req.y}`);
    return tile;
  }

  /** The tile from memory or disk (promoting disk hits to memory), or undefined. */
  cachedTile(key: TileCacheKey): CachedTile | undefined {
    const m = this.opts.memory?.get(key);
    if (m) return m;
    const d = this.opts.disk?.get(key);
    if (d) {
      this.opts.memory?.set(key, d);
      return d;
    }
    return undefined;
  }

  /** Renders the metatile holding the tile and stores all of its tiles; returns them by `x/y`. */
  /** `mustStore`: a failed disk write fails the call (seeding exists to fill the cache; a request does not need it). */
  async renderMetatile(style: RasterStyle, req: Omit<RasterTileRequest, 'styleId'>, metaSize?: number, mustStore = false): Promise<Map<string, CachedTile>> {
    const images = await this.opts.metatiles.render({ style: style.style, styleKey: style.styleKey, z: req.z, x: req.x, y: req.y, tileSize: req.tileSize, scale: req.scale, format: req.format, quality: this.opts.quality, metaSize }, req.signal);
    const out = new Map<string, CachedTile>();
    const entries: { key: TileCacheKey; value: CachedTile }[] = [];
    for (const [xy, data] of images) {
      const [x, y] = xy.split('/').map(Number);
      const value: CachedTile = { data, encoding: 'identity', etag: strongEtag(data) };
      const key = this.keyOf(style, { ...req, x, y });
      out.set(xy, value);
      entries.push({ key, value });
      this.opts.memory?.set(key, value);
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
}
