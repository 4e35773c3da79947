/** How a WMS map image is encoded: its format, and transparency kept or flattened on a background colour. */
import { encodeImage, encodeOnBackground, type ImageFormat, type RgbaImage } from '../render/image_codec.js';

export interface MapEncoding {
  format: ImageFormat;
  /** Keep transparency (PNG/WebP); otherwise flatten on `background`. */
  transparent: boolean;
  /** `#rrggbb`, default white. */
  background?: string;
  quality?: number;
}

/** Encodes a map image: transparency kept for PNG/WebP when asked, else flattened on the background colour. */
export async function encodeMap(img: RgbaImage, opts: MapEncoding): Promise<Buffer> {
  if (opts.transparent && opts.format !== 'jpeg') return encodeImage(img, opts.format, opts.quality);
  return encodeOnBackground(img, { format: opts.format, background: opts.background ?? '#ffffff', quality: opts.quality });
}
