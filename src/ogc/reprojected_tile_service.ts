/**
 * WMTS tiles of non-Mercator tile matrix sets (LAMB93): rendered by blocks of
 * n × n tiles (one Mercator render and one reprojection for up to 16 tiles, with
 * labels placed once across the block), cut, encoded and stored through the
 * rendered-image cache chain (memory, disk, shared tier) like Mercator tiles.
 * Concurrent requests for tiles of one block share one render.
 */
import type { CachedTile, TileCacheKey } from '../cache/tile_cache.js';
import type { RenderedTile, RenderedTileChain } from '../cache/rendered_tile_chain.js';
import { cutImage, type ImageFormat } from '../render/image_codec.js';
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
  /** memory → disk → shared tier, shared with the Mercator tiles. */
  chain: RenderedTileChain;
  /** Tiles per block side (default 4). */
  metaSize?: number;
  quality?: number;
}

/** The n × n block of tiles holding a tile, clipped to the matrix. */
export function tileBlock(m: TileMatrix, row: number, col: number, n: number): { row0: number; col0: number; rows: number; cols: number } {
  const row0 = Math.floor(row / n) * n, col0 = Math.floor(col / n) * n;
  return { row0, col0, rows: Math.min(n, m.matrixHeight - row0), cols: Math.min(n, m.matrixWidth - col0) };
}

export class ReprojectedTileService {
  private readonly metaSize: number;

  constructor(private readonly opts: ReprojectedTileServiceOptions) {
    this.metaSize = Math.max(1, opts.metaSize ?? 4);
  }

  keyOf(req: Omit<ReprojectedTileRequest, 'matrix'>, row: number, col: number): TileCacheKey {
    return { sourceId: req.style.id, version: req.style.dataVersion, z: req.level, x: col, y: row, variant: `wmts:${req.set.id}.${req.format}` };
  }

  getTile(req: ReprojectedTileRequest): Promise<CachedTile> {
    const b = tileBlock(req.matrix, req.row, req.col, this.metaSize);
    const blockKey = [req.style.id, req.style.dataVersion, req.set.id, req.level, b.row0, b.col0, req.format].join('|');
    return this.opts.chain.fetch({ key: this.keyOf(req, req.row, req.col), blockKey, render: () => this.renderBlock(req, b) });
  }

  private async renderBlock(req: ReprojectedTileRequest, b: ReturnType<typeof tileBlock>): Promise<RenderedTile[]> {
    const m = req.matrix;
    const [minx, , , maxy] = tileExtent(m, b.row0, b.col0);
    const [, miny, maxx] = tileExtent(m, b.row0 + b.rows - 1, b.col0 + b.cols - 1);
    const img = await this.opts.mapOf(req.style).renderRgba({ crs: crsByCode(req.set.crs), bbox: [minx, miny, maxx, maxy], width: b.cols * m.tileWidth, height: b.rows * m.tileHeight });
    const jobs: Promise<RenderedTile>[] = [];
    for (let r = 0; r < b.rows; r++) {
      for (let c = 0; c < b.cols; c++) {
        const cut = { left: c * m.tileWidth, top: r * m.tileHeight, width: m.tileWidth, height: m.tileHeight };
        const key = this.keyOf(req, b.row0 + r, b.col0 + c);
        jobs.push(cutImage(img, cut, req.format, this.opts.quality).then((data) => ({ key, data })));
      }
    }
    return Promise.all(jobs);
  }
}
