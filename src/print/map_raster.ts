/**
 * The plan's map image: a Mercator box at a pixel size, rendered in pieces no
 * larger than ~2048 px (each with a gutter drawn and thrown away, so labels
 * at the seams are whole), joined row by row with sharp into JPEG strips: an
 * A0 at 300 dpi never sits in memory as one raw image (libvips' join holds its
 * whole output, so joining everything at once would).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { TuilerieError } from '../core/errors.js';
import { xToLon, yToLat } from '../core/tile_math.js';
import type { CenterView, RenderRequest } from '../render/renderer.js';
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

/**
 * How a map splits into pieces: cut positions in CSS pixels along one axis.
 * Every piece but the last has the same size, so that the pieces join as a
 * grid of equal cells (the last row and column are cropped after the join).
 */
export function pieceCuts(total: number, maxPiece: number): number[] {
  const step = Math.ceil(total / Math.max(1, Math.ceil(total / maxPiece)));
  const cuts: number[] = [];
  for (let c = 0; c < total; c += step) cuts.push(c);
  cuts.push(total);
  return cuts;
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
    const xs = pieceCuts(req.cssWidth, pieceCss), ys = pieceCuts(req.cssHeight, pieceCss);
    const total = (xs.length - 1) * (ys.length - 1);
    const dx = req.merc.x1 - req.merc.x0;
    // MapLibre's zoom: the world is 512·2^zoom CSS pixels wide
    const zoom = Math.log2(req.cssWidth / (512 * dx));
    const perCss = dx / req.cssWidth;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-plan-'));
    const width = req.cssWidth * r, height = req.cssHeight * r;
    try {
      const strips: MapStrip[] = [];
      let done = 0;
      for (let j = 0; j + 1 < ys.length; j++) {
        const files: string[] = [];
        const h = ys[j + 1] - ys[j];
        const last = j + 2 === ys.length;
        // one CSS pixel more from the gutter, covered by the next strip
        const extra = last ? 0 : 1;
        for (let i = 0; i + 1 < xs.length; i++) {
          const w = xs[i + 1] - xs[i];
          const g = this.gutter;
          const cx = req.merc.x0 + (xs[i] + w / 2) * perCss, cy = req.merc.y0 + (ys[j] + h / 2) * perCss;
          const view: CenterView = { center: [xToLon(cx), yToLat(cy)], zoom, bearing: 0, pitch: 0 };
          const vw = w + 2 * g, vh = h + 2 * g;
          const raw = await this.opts.render({ style: req.style.style, styleKey: req.style.styleKey, view, width: vw, height: vh, scale: r, format: 'raw' });
          if (raw.length !== vw * r * vh * r * 4) throw new TuilerieError('INTERNAL', `map piece render returned ${raw.length} bytes, expected ${vw * r}x${vh * r} RGBA`);
          const file = path.join(dir, `${i}_${j}.png`);
          await sharp(raw, { raw: { width: vw * r, height: vh * r, channels: 4 } })
            .extract({ left: g * r, top: g * r, width: w * r, height: (h + extra) * r })
            .png({ compressionLevel: 1 })
            .toFile(file);
          files.push(file);
          req.onPiece?.(++done, total);
        }
        const joined = files.length === 1 ? sharp(files[0]) : sharp(files, { join: { across: files.length, background: '#ffffff', halign: 'left', valign: 'top' }, limitInputPixels: false });
        const jpeg = await joined
          .extract({ left: 0, top: 0, width, height: (h + extra) * r })
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: 88, chromaSubsampling: '4:4:4' })
          .toBuffer();
        for (const f of files) fs.rmSync(f, { force: true });
        strips.push({ jpeg, top: ys[j] * r, height: h * r, overlap: extra * r });
      }
      return { strips, width, height };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
