/**
 * WMTS tiles of non-Mercator tile matrix sets (LAMB93): rendered by blocks of
 * n × n tiles (one Mercator render and one reprojection for up to 16 tiles, with
 * labels placed once across the block), cut, encoded and stored in the memory
 * cache and, when there is one, the rendered-tile disk cache (so they survive a
 * restart, as the Mercator tiles do). Concurrent requests for tiles of one block
 * share one render.
 */
import { strongEtag } from '../cache/etag.js';
import type { CachedTile, TileCache, TileCacheKey } from '../cache/tile_cache.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { encodeImage, type ImageFormat, type RgbaImage } from '../render/image_codec.js';
import type { RasterStyle } from '../render/raster_tile_service.js';
import { crsByCode } from './crs.js';
import type { ReprojectedMap } from './reprojected_map.js';
import { tileExtent, type TileMatrix, type TileMatrixSet } from './tile_matrix_sets.js';

export interface ReprojectedTileRequest {
  style: RasterStyle;
  set: TileMatrixSet;
  matrix: TileMatrix;
  level: number;
  row: number;
  col: number;
  format: ImageFormat;
}

export interface ReprojectedTileServiceOptions {
  /** The reprojecting renderer of a style. */
  mapOf: (style: RasterStyle) => ReprojectedMap;
  memory?: TileCache;
  /** The rendered-tile disk cache: read after memory, written a block at a time. */
  disk?: Pick<TileCache, 'get'> & { setMany(entries: { key: TileCacheKey; value: CachedTile }[]): void };
  /** Where a failed disk write is reported (the request still gets its tile). */
  logger?: Logger;
  /** Tiles per block side (default 4). */
  metaSize?: number;
  quality?: number;
}

/** The n × n block of tiles holding a tile, clipped to the matrix. */
export function tileBlock(m: TileMatrix, row: number, col: number, n: number): { row0: number; col0: number; rows: number; cols: number } {
  const row0 = Math.floor(row / n) * n, col0 = Math.floor(col / n) * n;
  return { row0, col0, rows: Math.min(n, m.matrixHeight - row0), cols: Math.min(n, m.matrixWidth - col0) };
}

/** One tile of an RGBA block. */
function cut(img: RgbaImage, left: number, top: number, width: number, height: number): RgbaImage {
  const out = Buffer.allocUnsafe(width * height * 4);
  for (let y = 0; y < height; y++) img.data.copy(out, y * width * 4, ((top + y) * img.width + left) * 4, ((top + y) * img.width + left + width) * 4);
  return { data: out, width, height };
}

export class ReprojectedTileService {
  private readonly inflight = new Map<string, Promise<Map<string, CachedTile>>>();
  private readonly metaSize: number;

  constructor(private readonly opts: ReprojectedTileServiceOptions) {
    this.metaSize = Math.max(1, opts.metaSize ?? 4);
  }

  keyOf(req: Omit<ReprojectedTileRequest, 'matrix'>, row: number, col: number): TileCacheKey {
    return { sourceId: req.style.id, version: req.style.dataVersion, z: req.level, x: col, y: row, variant: `wmts:${req.set.id}.${req.format}` };
  }

  async getTile(req: ReprojectedTileRequest): Promise<CachedTile> {
    const key = this.keyOf(req, req.row, req.col);
    const hit = this.opts.memory?.get(key);
    if (hit) return hit;
    const stored = this.opts.disk?.get(key);
    if (stored) {
      this.opts.memory?.set(key, stored);
      return stored;
    }
    const b = tileBlock(req.matrix, req.row, req.col, this.metaSize);
    const blockKey = `${req.style.id}\u0000${req.style.dataVersion}\u0000${req.set.id}\u0000${req.level}\u0000${b.row0}\u0000${b.col0}\u0000${req.format}`;
    let pending = this.inflight.get(blockKey);
    if (!pending) {
      pending = this.renderBlock(req, b).finally(() => this.inflight.delete(blockKey));
      this.inflight.set(blockKey, pending);
    }
    const tiles = await pending;
    return tiles.get(`${req.row}/${req.col}`)!;
  }

  private async renderBlock(req: ReprojectedTileRequest, b: ReturnType<typeof tileBlock>): Promise<Map<string, CachedTile>> {
    const m = req.matrix;
    const [minx, , , maxy] = tileExtent(m, b.row0, b.col0);
    const [, miny, maxx] = tileExtent(m, b.row0 + b.rows - 1, b.col0 + b.cols - 1);
    const img = await this.opts.mapOf(req.style).renderRgba({ crs: crsByCode(req.set.crs), bbox: [minx, miny, maxx, maxy], width: b.cols * m.tileWidth, height: b.rows * m.tileHeight });
    const out = new Map<string, CachedTile>();
    const entries: { key: TileCacheKey; value: CachedTile }[] = [];
    for (let r = 0; r < b.rows; r++) {
      for (let c = 0; c < b.cols; c++) {
        const data = await encodeImage(cut(img, c * m.tileWidth, r * m.tileHeight, m.tileWidth, m.tileHeight), req.format, this.opts.quality);
        const tile: CachedTile = { data, encoding: 'identity', etag: strongEtag(data) };
        const key = this.keyOf(req, b.row0 + r, b.col0 + c);
        out.set(`${b.row0 + r}/${b.col0 + c}`, tile);
        entries.push({ key, value: tile });
        this.opts.memory?.set(key, tile);
      }
    }
    try {
      this.opts.disk?.setMany(entries);
    } catch (e) {
      // a full or read-only disk must not fail a request that rendered fine
      (this.opts.logger ?? silentLogger).warn('cannot store reprojected tiles on disk', { error: (e as Error).message });
    }
    return out;
  }
}
