/** Pixels ↔ encoded images with sharp: GL readback to straight RGBA, encoding, cutting and resizing. */
import sharp, { type Sharp } from 'sharp';
import { TuilerieError } from '../core/errors.js';
import type { RenderFormat } from './renderer.js';

export interface RgbaImage {
  /** Straight-alpha RGBA, rows top to bottom. */
  data: Buffer;
  width: number;
  height: number;
}

export type ImageFormat = Exclude<RenderFormat, 'raw'>;

export const CONTENT_TYPES: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** `jpg` and `jpeg` are the same format; anything else unknown is a client error. */
export function parseImageFormat(ext: string): ImageFormat {
  const e = ext.toLowerCase();
  if (e === 'png') return 'png';
  if (e === 'jpg' || e === 'jpeg') return 'jpeg';
  if (e === 'webp') return 'webp';
  throw new TuilerieError('BAD_REQUEST', `unsupported image format "${ext}": use png, jpg, jpeg or webp`);
}

export { fromGlReadback } from './gl_readback.js';

/** `background`: what JPEG (no alpha) is flattened on, white by default. */
function encoder(img: Sharp, o: { format: ImageFormat; quality?: number; background?: string }): Sharp {
  const quality = o.quality;
  switch (o.format) {
    case 'png':
      return img.png({ compressionLevel: 6, adaptiveFiltering: false });
    case 'jpeg':
      // JPEG has no alpha: flatten on white like every tile server does
      // sharp keeps one flatten per pipeline: the last background given wins
      return img.flatten({ background: o.background ?? '#ffffff' }).jpeg({ quality: quality ?? 85, mozjpeg: false });
    case 'webp':
      return img.webp({ quality: quality ?? 85, effort: 2 });
  }
}

function input(img: RgbaImage): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } });
}

export async function encodeImage(img: RgbaImage, format: ImageFormat, quality?: number): Promise<Buffer> {
  return encoder(input(img), { format, quality }).toBuffer();
}

/**
 * The image flattened on `background` (alpha kept, fully opaque) and encoded,
 * in one libvips pipeline: no flattened copy of the pixels is made here (a
 * 4096² one is 64 MB of this thread's memory, which sets off a full GC).
 */
export async function encodeOnBackground(img: RgbaImage, o: { format: ImageFormat; background: string; quality?: number }): Promise<Buffer> {
  return encoder(input(img).flatten({ background: o.background }).ensureAlpha(1), o).toBuffer();
}

export interface CutOptions {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One region of an image, encoded (or raw when `format` is `raw`). */
export async function cutImage(img: RgbaImage, cut: CutOptions, format: RenderFormat, quality?: number): Promise<Buffer> {
  const s = input(img).extract({ left: cut.left, top: cut.top, width: cut.width, height: cut.height });
  if (format === 'raw') return s.raw().toBuffer();
  return encoder(s, { format, quality }).toBuffer();
}
