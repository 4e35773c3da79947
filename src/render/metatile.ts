/**
 * Tiles are rendered by metatile: n × n neighbouring tiles drawn as one image
 * with a gutter around it, then cut. MapLibre places labels per view, so a
 * label near a tile edge lands in the same place in both neighbours and is
 * never cut; and one render serves up to 16 tiles. Concurrent requests for
 * tiles of one metatile meet in the cache chain (../cache/rendered_tile_chain.ts),
 * which starts one render and abandons it only when every one of them has gone.
 */
import { cancelledError } from './render_pool.js';
import { cutImage, type ImageFormat } from './image_codec.js';
import { mapZoomForTile } from './view_math.js';
import type { CenterView } from './renderer.js';
import { renderPiece, viewPieces, type PieceRenderFn, type ViewPiece } from './view_pieces.js';

export interface MetatileRequest {
  style: Record<string, unknown>;
  styleKey: string;
  z: number;
  x: number;
  y: number;
  /** CSS pixels of one tile: 256 or 512. */
  tileSize: number;
  scale: number;
  format: ImageFormat;
  quality?: number;
  /** Tiles per side for this render, instead of the renderer's default (seeding uses bigger ones). */
  metaSize?: number;
  /**
   * Only these tiles (x, y) of the metatile, when not all of them are wanted (a seed's area
   * edges, a clip outline): the render then covers just the rectangle around them.
   */
  only?: [number, number][];
}

export interface MetatileOptions {
  /** Renders a camera view to straight RGBA of width·scale × height·scale; `signal` aborts when nobody waits any more. */
  renderRaw: PieceRenderFn;
  /** Tiles per side of a metatile (default 4). */
  metaSize?: number;
  /** CSS pixels drawn beyond each side and thrown away (default 128). */
  gutter?: number;
}

/** The metatile holding a tile: its top-left tile and tiles per side (smaller at low zooms). */
export interface MetatileGrid {
  z: number;
  x0: number;
  y0: number;
  n: number;
}

export function metatileOf(z: number, x: number, y: number, metaSize: number): MetatileGrid {
  const n = Math.min(metaSize, 2 ** z);
  return { z, x0: Math.floor(x / n) * n, y0: Math.floor(y / n) * n, n };
}

export interface MetatileLayout {
  view: CenterView;
  /** Viewport in CSS pixels, gutters included. */
  width: number;
  height: number;
  /** Gutter on the left and top, CSS pixels: where tile (x0, y0) starts. */
  left: number;
  top: number;
}

/** A rectangle of tiles at one zoom: `nx` × `ny` tiles from (x0, y0). */
export interface TileRect {
  z: number;
  x0: number;
  y0: number;
  nx: number;
  ny: number;
}

/** The smallest rectangle of the grid's tiles holding `only` (tiles outside the grid are ignored); the whole grid without it. */
export function tileRectOf(grid: MetatileGrid, only?: [number, number][]): TileRect {
  const inside = (only ?? []).filter(([x, y]) => x >= grid.x0 && x < grid.x0 + grid.n && y >= grid.y0 && y < grid.y0 + grid.n);
  if (!inside.length) return { z: grid.z, x0: grid.x0, y0: grid.y0, nx: grid.n, ny: grid.n };
  const xs = inside.map(([x]) => x), ys = inside.map(([, y]) => y);
  const x0 = Math.min(...xs), y0 = Math.min(...ys);
  return { z: grid.z, x0, y0, nx: Math.max(...xs) - x0 + 1, ny: Math.max(...ys) - y0 + 1 };
}

/** A rectangle of tiles as one piece of ./view_pieces.ts: its gutter is clipped at the world's edges there. */
export function tileRectPiece(rect: TileRect, tileSize: number, gutter: number): ViewPiece {
  const worldTiles = 2 ** rect.z;
  return viewPieces({ x: rect.x0 / worldTiles, y: rect.y0 / worldTiles, width: rect.nx * tileSize, height: rect.ny * tileSize, zoom: mapZoomForTile(rect.z, tileSize) }, { gutter })[0][0];
}

/** A metatile as one piece of ./view_pieces.ts. */
export function metatilePiece(grid: MetatileGrid, tileSize: number, gutter: number): ViewPiece {
  return tileRectPiece(tileRectOf(grid), tileSize, gutter);
}

/**
 * Camera and viewport for a metatile. No gutter beyond the north or south edge
 * of the world (MapLibre would move the camera to keep the world in view), and
 * none at all when one metatile is the whole world.
 */
export function metatileLayout(grid: MetatileGrid, tileSize: number, gutter: number): MetatileLayout {
  const p = metatilePiece(grid, tileSize, gutter);
  return { view: p.view, width: p.viewWidth, height: p.viewHeight, left: p.crop.left, top: p.crop.top };
}

export function tileKeyOf(x: number, y: number): string {
  return `${x}/${y}`;
}

/** Largest side, in device pixels, of a metatile canvas. */
export const MAX_CANVAS_PX = 4096;

export class MetatileRenderer {
  private readonly metaSize: number;
  private readonly gutter: number;

  constructor(private readonly opts: MetatileOptions) {
    this.metaSize = opts.metaSize ?? 4;
    this.gutter = opts.gutter ?? 128;
  }

  /**
   * The metatile holding a tile. Its side shrinks for big tiles (512 px @3x = 1,536 device px a tile) so that
   * the rendered canvas, gutter included, stays within MAX_CANVAS_PX: past that the renderer's WebGL canvas fails.
   */
  gridOf(z: number, x: number, y: number, metaSize = this.metaSize, tileSize = 256, scale = 1): MetatileGrid {
    let n = metaSize;
    while (n > 1 && (n * tileSize + 2 * this.gutter) * scale > MAX_CANVAS_PX) n--;
    return metatileOf(z, x, y, n);
  }

  /** What a render of the metatile draws, gutter included, in world units, and at which MapLibre zoom. */
  areaOf(grid: MetatileGrid, tileSize: number): { box: [number, number, number, number]; mapZoom: number } {
    const n = 2 ** grid.z;
    const g = this.gutter / tileSize;
    return { box: [(grid.x0 - g) / n, (grid.y0 - g) / n, (grid.x0 + grid.n + g) / n, (grid.y0 + grid.n + g) / n], mapZoom: mapZoomForTile(grid.z, tileSize) };
  }

  /**
   * Every tile of the metatile holding (z, x, y), encoded, by `x/y`. `signal`
   * stops the render (the chain aborts it when nobody waits for it any more).
   */
  render(req: MetatileRequest, signal?: AbortSignal): Promise<Map<string, Buffer>> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    return this.renderGrid(req, this.gridOf(req.z, req.x, req.y, req.metaSize, req.tileSize, req.scale), signal);
  }

  private async renderGrid(req: MetatileRequest, grid: MetatileGrid, signal?: AbortSignal): Promise<Map<string, Buffer>> {
    const s = req.scale;
    const rect = tileRectOf(grid, req.only);
    // the gutter is only there for label placement: the renderer crops it before readback
    const img = await renderPiece(tileRectPiece(rect, req.tileSize, this.gutter), { style: req.style, styleKey: req.styleKey, scale: s, render: this.opts.renderRaw, signal });
    const px = req.tileSize * s;
    const wanted = req.only && new Set(req.only.map(([x, y]) => tileKeyOf(x, y)));
    const out = new Map<string, Buffer>();
    const jobs: Promise<void>[] = [];
    for (let dy = 0; dy < rect.ny; dy++) {
      for (let dx = 0; dx < rect.nx; dx++) {
        const key = tileKeyOf(rect.x0 + dx, rect.y0 + dy);
        if (wanted && !wanted.has(key)) continue;
        const cut = { left: dx * px, top: dy * px, width: px, height: px };
        jobs.push(cutImage(img, cut, req.format, req.quality).then((b) => void out.set(key, b)));
      }
    }
    await Promise.all(jobs);
    return out;
  }
}
