/**
 * Raster tiles of a style through the rendered-image cache chain (memory, disk,
 * shared tier), rendered by metatile: every tile of the render is stored (so its
 * 15 neighbours are free). Keys carry the
 * style's data version, so a new import makes older rendered tiles stale.
 */
import { TuilerieError } from '../core/errors.js';
import { isValidTile, type Bounds } from '../core/tile_math.js';
import type { CachedTile, TileCacheKey } from '../cache/tile_cache.js';
import { tileId, type RenderedTile, type RenderedTileChain } from '../cache/rendered_tile_chain.js';
import type { ImageFormat } from './image_codec.js';
import { MetatileRenderer } from './metatile.js';

/** What a render draws: a box in world units (0..1, x east, y south) at a MapLibre zoom (undefined: any zoom). */
export interface RenderArea {
  box: [number, number, number, number];
  mapZoom?: number;
}

/** A style ready for the renderer: every URL already points at the local server. */
export interface RasterStyle {
  id: string;
  name?: string;
  style: Record<string, unknown>;
  /** Changes with the style document (reload) and is used to keep a map loaded between renders. */
  styleKey: string;
  /** Changes when any data the style reads changes (a new import, an update). */
  dataVersion: string;
  /**
   * The version of the data a render of `area` reads: changes only when data there changes (an
   * archive's change log says where an update changed tiles). Rendered images are keyed by it.
   * Without it, `dataVersion`.
   */
  versionOf?: (area: RenderArea) => string;
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
  /** memory → disk → shared tier, shared with every other rendered image. */
  chain: RenderedTileChain;
  quality?: number;
}

/** How a seed renders a metatile: its size, which of its tiles, whether storing must succeed. */
export interface MetatileRenderOptions {
  /** Tiles per side instead of the service's default. */
  metaSize?: number;
  /** Only these tiles (x, y) are wanted: the render covers the rectangle around them, and only they are stored. */
  only?: [number, number][];
  /** A failed disk write fails the call. */
  mustStore?: boolean;
}

export function rasterVariant(tileSize: number, scale: number, format: ImageFormat): string {
  return `${tileSize}@${scale}x.${format}`;
}

export class RasterTileService {
  constructor(private readonly opts: RasterTileServiceOptions) {}

  get styles(): RasterStyleSource {
    return this.opts.styles;
  }

  async requireStyle(id: string): Promise<RasterStyle> {
    const s = await this.opts.styles.resolve(id);
    if (!s) throw new TuilerieError('NOT_FOUND', `unknown style "${id}"${this.opts.styles.ids().length ? `; available: ${this.opts.styles.ids().join(', ')}` : ''}`);
    return s;
  }

  /**
   * A tile's cache key. Its version is that of the data under the tile's metatile (as requests render it,
   * gutter included): an update elsewhere leaves it, and the tile's ETag, as they were.
   */
  keyOf(style: RasterStyle, req: Omit<RasterTileRequest, 'styleId'>): TileCacheKey {
    let version = style.dataVersion;
    if (style.versionOf) {
      const m = this.opts.metatiles;
      version = style.versionOf(m.areaOf(m.gridOf(req.z, req.x, req.y, undefined, req.tileSize, req.scale), req.tileSize));
    }
    return { sourceId: style.id, version, z: req.z, x: req.x, y: req.y, variant: rasterVariant(req.tileSize, req.scale, req.format) };
  }

  /** The key of a tile this service stored (parsed from its variant), as it is now; undefined for other variants. */
  currentKey(style: RasterStyle, key: TileCacheKey): TileCacheKey | undefined {
    const m = /^(256|512)@(\d)x\.(png|jpeg|webp)$/.exec(key.variant);
    return m ? this.keyOf(style, { z: key.z, x: key.x, y: key.y, tileSize: Number(m[1]), scale: Number(m[2]), format: m[3] as ImageFormat }) : undefined;
  }

  /** `outcome.hit`: whether a cache tier (memory, disk, shared) had the tile, for the access log. */
  async getTile(req: RasterTileRequest, outcome: { hit?: boolean } = {}): Promise<CachedTile> {
    if (!isValidTile(req.z, req.x, req.y)) throw new TuilerieError('BAD_REQUEST', `no tile ${req.z}/${req.x}/${req.y}: x and y must be below 2^z`);
    const style = await this.requireStyle(req.styleId);
    if (req.z > Math.max(style.maxzoom, 22)) throw new TuilerieError('NOT_FOUND', `zoom ${req.z} is beyond what style "${style.id}" can draw`);
    const key = this.keyOf(style, req);
    const g = this.opts.metatiles.gridOf(req.z, req.x, req.y, undefined, req.tileSize, req.scale);
    const blockKey = [style.id, style.dataVersion, g.z, g.x0, g.y0, key.variant].join('|');
    return this.opts.chain.fetch({ key, blockKey, signal: req.signal, outcome, render: (signal) => this.renderTiles(style, { ...req, signal }) });
  }

  /** The tile from memory or disk (promoting disk hits to memory), or undefined. */
  cachedTile(key: TileCacheKey): CachedTile | undefined {
    return this.opts.chain.local(key);
  }

  /**
   * Renders the metatile holding the tile and stores its tiles (all, or `o.only`); returns them by `x/y`.
   * `o.mustStore`: a failed disk write fails the call (seeding exists to fill the cache; a request does not need it).
   */
  async renderMetatile(style: RasterStyle, req: Omit<RasterTileRequest, 'styleId'>, o: MetatileRenderOptions = {}): Promise<Map<string, CachedTile>> {
    const tiles = await this.renderTiles(style, req, o);
    const stored = await this.opts.chain.store(tiles, o.mustStore ?? false);
    const out = new Map<string, CachedTile>();
    for (const t of tiles) out.set(`${t.key.x}/${t.key.y}`, stored.get(tileId(t.key))!);
    return out;
  }

  private async renderTiles(style: RasterStyle, req: Omit<RasterTileRequest, 'styleId'>, o: MetatileRenderOptions = {}): Promise<RenderedTile[]> {
    const images = await this.opts.metatiles.render({ style: style.style, styleKey: style.styleKey, z: req.z, x: req.x, y: req.y, tileSize: req.tileSize, scale: req.scale, format: req.format, quality: this.opts.quality, metaSize: o.metaSize, only: o.only }, req.signal);
    return [...images].map(([xy, data]) => {
      const [x, y] = xy.split('/').map(Number);
      return { key: this.keyOf(style, { ...req, x, y }), data };
    });
  }
}
