/**
 * The plan's map image: a Mercator box at a pixel size, rendered in pieces no
 * larger than ~2048 px (../render/view_pieces.ts: each with a gutter drawn and
 * cropped away, so labels at the seams are whole), joined row by row with sharp into JPEG strips: an
 * A0 at 300 dpi never sits in memory as one raw image (libvips' join holds its
 * whole output, so joining everything at once would).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { TuilerieError } from '../core/errors.js';
import type { RenderRequest } from '../render/renderer.js';
import { renderPiece, viewPieces, type PieceRenderFn } from '../render/view_pieces.js';
import type { RasterStyle } from '../render/raster_tile_service.js';
import type { MercBox } from './plan_scale.js';

export interface MapRasterOptions {
  /** A raster backend (usually the render pool); `format` is always `raw`. */
  render: (req: RenderRequest) => Promise<Buffer>;
  /** Largest side of one render, image pixels, gutter included (default 2048). */
  maxPiecePixels?: number;
  /** CSS pixels drawn beyond each piece side and discarded (default 48). */
  gutter?: number;
}

export interface MapRasterRequest {
  style: RasterStyle;
  merc: MercBox;
  /** CSS pixels of the whole map; the image is cssWidth·pixelRatio wide. */
  cssWidth: number;
  cssHeight: number;
  pixelRatio: number;
  onPiece?: (done: number, total: number) => void;
}

/** One row of pieces, full map width, as JPEG. */
export interface MapStrip {
  jpeg: Buffer;
  /** Device pixels from the top of the map. */
  top: number;
  /** Device pixels of the strip's own row: the JPEG is `overlap` pixels taller except for the last strip. */
  height: number;
  /** Extra rows at the bottom, drawn under the next strip so that viewers show no hairline between them. */
  overlap: number;
}

export interface MapRaster {
  strips: MapStrip[];
  width: number;
  height: number;
}

export class MapRasterizer {
  private readonly maxPiece: number;
  private readonly gutter: number;

  constructor(private readonly opts: MapRasterOptions) {
    this.maxPiece = opts.maxPiecePixels ?? 2048;
    this.gutter = opts.gutter ?? 48;
  }

  async render(req: MapRasterRequest): Promise<MapRaster> {
    const r = req.pixelRatio;
    if (!Number.isInteger(r) || r < 1 || r > 4) throw new TuilerieError('INTERNAL', `pixel ratio ${r} must be a whole number from 1 to 4`);
    const pieceCss = Math.floor(this.maxPiece / r) - 2 * this.gutter;
    if (pieceCss < 64) throw new TuilerieError('INTERNAL', `pieces of ${this.maxPiece} px leave no room inside a ${this.gutter} px gutter`);
    const dx = req.merc.x1 - req.merc.x0;
    // MapLibre's zoom: the world is 512·2^zoom CSS pixels wide
    const area = { x: req.merc.x0, y: req.merc.y0, width: req.cssWidth, height: req.cssHeight, zoom: Math.log2(req.cssWidth / (512 * dx)) };
    // one CSS pixel more below each row but the last, covered by the next strip
    const rows = viewPieces(area, { maxPiece: pieceCss, gutter: this.gutter, overlap: 1 });
    const total = rows.length * rows[0].length;
    const render: PieceRenderFn = (p) => this.opts.render({ ...p, format: 'raw' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-plan-'));
    const width = req.cssWidth * r, height = req.cssHeight * r;
    try {
      const strips: MapStrip[] = [];
      let done = 0;
      for (const row of rows) {
        const files: string[] = [];
        const h = row[0].height, extra = row[0].crop.height - h;
        for (const piece of row) {
          const img = await renderPiece(piece, { style: req.style.style, styleKey: req.style.styleKey, scale: r, render });
          const file = path.join(dir, `${piece.col}_${piece.row}.png`);
          await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).png({ compressionLevel: 1 }).toFile(file);
          files.push(file);
          req.onPiece?.(++done, total);
        }
        const joined = files.length === 1 ? sharp(files[0]) : sharp(files, { join: { across: files.length, background: '#ffffff', halign: 'left', valign: 'top' }, limitInputPixels: false });
        const jpeg = await joined
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: 88, chromaSubsampling: '4:4:4' })
          .toBuffer();
        for (const f of files) fs.rmSync(f, { force: true });
        strips.push({ jpeg, top: row[0].top * r, height: h * r, overlap: extra * r });
      }
      return { strips, width, height };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
