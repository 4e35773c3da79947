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
import type { RasterStyle, RenderArea } from '../render/raster_tile_service.js';
import { EARTH_CIRCUMFERENCE } from '../core/tile_math.js';
import { crsByCode } from './crs.js';
import type { CrsBox, ReprojectedMap } from './reprojected_map.js';
import { findTileMatrixSet, tileExtent, type TileMatrix, type TileMatrixSet } from './tile_matrix_sets.js';

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

type Block = { row0: number; col0: number; rows: number; cols: number };

/** Blocks whose Mercator frame is remembered. */
const AREA_MEMO = 4096;
const HALF_WORLD = EARTH_CIRCUMFERENCE / 2;

/** The n × n block of tiles holding a tile, clipped to the matrix. */
export function tileBlock(m: TileMatrix, row: number, col: number, n: number): Block {
  const row0 = Math.floor(row / n) * n, col0 = Math.floor(col / n) * n;
  return { row0, col0, rows: Math.min(n, m.matrixHeight - row0), cols: Math.min(n, m.matrixWidth - col0) };
}

/** The block's extent in the matrix set's CRS. */
function blockBox(m: TileMatrix, b: Block): CrsBox {
  const [minx, , , maxy] = tileExtent(m, b.row0, b.col0);
  const [, miny, maxx] = tileExtent(m, b.row0 + b.rows - 1, b.col0 + b.cols - 1);
  return [minx, miny, maxx, maxy];
}

export class ReprojectedTileService {
  private readonly metaSize: number;
  private readonly areas = new Map<string, RenderArea>();

  constructor(private readonly opts: ReprojectedTileServiceOptions) {
    this.metaSize = Math.max(1, opts.metaSize ?? 4);
  }

  /** A tile's cache key; its version is that of the data under its block's Mercator render. */
  keyOf(req: ReprojectedTileRequest, row: number, col: number): TileCacheKey {
    return { sourceId: req.style.id, version: this.blockVersion(req, tileBlock(req.matrix, row, col, this.metaSize)), z: req.level, x: col, y: row, variant: `wmts:${req.set.id}.${req.format}` };
  }

  /** The key of a tile this service stored (parsed from its variant), as it is now; undefined for other variants. */
  currentKey(style: RasterStyle, key: TileCacheKey): TileCacheKey | undefined {
    const m = /^wmts:(.+)\.(png|jpeg|webp)$/.exec(key.variant);
    const set = m ? findTileMatrixSet(m[1]) : undefined;
    const matrix = set?.matrices[key.z];
    if (!set || !matrix) return undefined;
    return this.keyOf({ style, set, matrix, level: key.z, row: key.y, col: key.x, format: m![2] as ImageFormat }, key.y, key.x);
  }

  getTile(req: ReprojectedTileRequest): Promise<CachedTile> {
    const b = tileBlock(req.matrix, req.row, req.col, this.metaSize);
    const blockKey = [req.style.id, req.style.dataVersion, req.set.id, req.level, b.row0, b.col0, req.format].join('|');
    return this.opts.chain.fetch({ key: this.keyOf(req, req.row, req.col), blockKey, render: () => this.renderBlock(req, b) });
  }

  private blockVersion(req: ReprojectedTileRequest, b: Block): string {
    if (!req.style.versionOf) return req.style.dataVersion;
    const id = `${req.set.id}|${req.level}|${b.row0}|${b.col0}`;
    let area = this.areas.get(id);
    if (!area) {
      // the Mercator frame of a block depends on the grid only; planning it costs a few hundred projections
      area = this.areaOf(req, b);
      if (this.areas.size >= AREA_MEMO) this.areas.delete(this.areas.keys().next().value as string);
      this.areas.set(id, area);
    }
    return req.style.versionOf(area);
  }

  private areaOf(req: ReprojectedTileRequest, b: Block): RenderArea {
    const m = req.matrix;
    const bbox = blockBox(m, b);
    const plan = this.opts.mapOf(req.style).plan({ crs: crsByCode(req.set.crs), bbox, width: b.cols * m.tileWidth, height: b.rows * m.tileHeight });
    if (!plan) return { box: [0, 0, 0, 0], mapZoom: 0 };
    const x0 = (plan.left + HALF_WORLD) / EARTH_CIRCUMFERENCE, y0 = (HALF_WORLD - plan.top) / EARTH_CIRCUMFERENCE;
    const w = (plan.view.width * plan.resolution) / EARTH_CIRCUMFERENCE, h = (plan.view.height * plan.resolution) / EARTH_CIRCUMFERENCE;
    return { box: [x0, y0, x0 + w, y0 + h], mapZoom: plan.view.zoom };
  }

  private async renderBlock(req: ReprojectedTileRequest, b: Block): Promise<RenderedTile[]> {
    const m = req.matrix;
    const img = await this.opts.mapOf(req.style).renderRgba({ crs: crsByCode(req.set.crs), bbox: blockBox(m, b), width: b.cols * m.tileWidth, height: b.rows * m.tileHeight });
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
