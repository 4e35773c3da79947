/**
 * THE way a Web Mercator area is rendered in pieces: a metatile (one piece,
 * cut into tiles afterwards), a plan map (many pieces joined into strips), a
 * WMS map or a Lambert-93 block (one piece, reprojected afterwards) all lay
 * out their renders here. Each piece is drawn with a gutter around it that the
 * renderer crops before readback: MapLibre places labels per view, so a label
 * near a seam is placed alike in both neighbours and never cut.
 */
import { TuilerieError } from '../core/errors.js';
import { xToLon, yToLat } from '../core/tile_math.js';
import type { RgbaImage } from './image_codec.js';
import type { CenterView, RenderRequest } from './renderer.js';

/** A north-up Mercator area at a MapLibre zoom. */
export interface MercatorArea {
  /** Top-left corner in world units: 0…1 eastwards and southwards (tile_math's lonToX, latToY). */
  x: number;
  y: number;
  /** CSS pixels. */
  width: number;
  height: number;
  /** MapLibre zoom: the world is 512·2^zoom CSS pixels wide. */
  zoom: number;
}

export interface PieceOptions {
  /** Largest side of one piece, CSS pixels, gutter excluded (default: the whole area in one piece). */
  maxPiece?: number;
  /**
   * CSS pixels drawn beyond each side of a piece and discarded. Clipped at the
   * world's north and south edges (MapLibre would move the camera to keep the
   * world in view) and left out across an area as wide as the world.
   */
  gutter: number;
  /** CSS pixels kept below each piece but those of the last row (plan strips overlap by one row). */
  overlap?: number;
}

export interface Crop {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ViewPiece {
  /** Row and column of the piece. */
  row: number;
  col: number;
  /** The piece's place in the area, CSS pixels (overlap not included). */
  left: number;
  top: number;
  width: number;
  height: number;
  /** Camera of its render. */
  view: CenterView;
  /** Viewport of its render, CSS pixels, gutter included. */
  viewWidth: number;
  viewHeight: number;
  /** What of that viewport is kept (read back), CSS pixels: the piece and its overlap. */
  crop: Crop;
}

/**
 * How a length splits into pieces: cut positions along one axis. Every piece
 * but the last has the same size, so that pieces join as a grid of equal cells.
 */
export function pieceCuts(total: number, maxPiece: number): number[] {
  const step = Math.ceil(total / Math.max(1, Math.ceil(total / maxPiece)));
  const cuts: number[] = [];
  for (let c = 0; c < total; c += step) cuts.push(c);
  cuts.push(total);
  return cuts;
}

/** The pieces of an area, row by row (one row, one piece when it fits in `maxPiece`). */
export function viewPieces(area: MercatorArea, opts: PieceOptions): ViewPiece[][] {
  if (!(area.width > 0 && area.height > 0)) throw new TuilerieError('INTERNAL', `area of ${area.width}x${area.height} CSS pixels has nothing to render`);
  const world = 512 * 2 ** area.zoom;
  const max = opts.maxPiece ?? Infinity;
  const xs = Number.isFinite(max) ? pieceCuts(area.width, max) : [0, area.width];
  const ys = Number.isFinite(max) ? pieceCuts(area.height, max) : [0, area.height];
  // an area as wide as the world shows it whole: there is nothing beside it to draw
  const gx = area.width >= world - 1e-6 ? 0 : opts.gutter;
  const ax = area.x * world, ay = area.y * world;
  const rows: ViewPiece[][] = [];
  for (let j = 0; j + 1 < ys.length; j++) {
    const row: ViewPiece[] = [];
    const top = ys[j], height = ys[j + 1] - ys[j];
    const gTop = Math.max(0, Math.min(opts.gutter, ay + top));
    const gBottom = Math.max(0, Math.min(opts.gutter, world - (ay + top + height)));
    const extra = j + 2 < ys.length ? Math.min(opts.overlap ?? 0, gBottom) : 0;
    for (let i = 0; i + 1 < xs.length; i++) {
      const left = xs[i], width = xs[i + 1] - xs[i];
      const viewWidth = width + 2 * gx, viewHeight = height + gTop + gBottom;
      const cx = ax + left - gx + viewWidth / 2, cy = ay + top - gTop + viewHeight / 2;
      row.push({
        row: j,
        col: i,
        left,
        top,
        width,
        height,
        view: { center: [xToLon(cx / world), yToLat(cy / world)], zoom: area.zoom, bearing: 0, pitch: 0 },
        viewWidth,
        viewHeight,
        crop: { left: gx, top: gTop, width, height: height + extra },
      });
    }
    rows.push(row);
  }
  return rows;
}

/** What draws one piece: a render request without format (always raw RGBA), cropped. */
export type PieceRenderFn = (req: Omit<RenderRequest, 'format' | 'quality' | 'crop'> & { crop: Crop }, signal?: AbortSignal) => Promise<Buffer>;

export interface PieceRenderOptions {
  style: Record<string, unknown>;
  styleKey: string;
  /** Device pixel ratio. */
  scale: number;
  render: PieceRenderFn;
  signal?: AbortSignal;
}

/** Renders one piece: straight RGBA of its crop, crop·scale pixels a side. */
export async function renderPiece(piece: ViewPiece, o: PieceRenderOptions): Promise<RgbaImage> {
  const s = o.scale;
  const data = await o.render({ style: o.style, styleKey: o.styleKey, view: piece.view, width: piece.viewWidth, height: piece.viewHeight, scale: s, crop: piece.crop }, o.signal);
  const img: RgbaImage = { data, width: piece.crop.width * s, height: piece.crop.height * s };
  if (data.length !== img.width * img.height * 4) throw new TuilerieError('INTERNAL', `render of a ${piece.crop.width}x${piece.crop.height}@${s}x piece returned ${data.length} bytes, expected ${img.width}x${img.height} RGBA`);
  return img;
}
