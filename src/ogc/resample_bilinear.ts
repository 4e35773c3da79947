/**
 * Bilinear resampling of a straight-alpha RGBA image through a PixelMappingGrid.
 * Colours are weighted by alpha (as if premultiplied) so that transparent
 * neighbours do not darken edges; pixels whose source falls outside the image
 * are transparent. One pass over typed arrays, no allocation per pixel.
 */
import type { RgbaImage } from '../render/image_codec.js';
import type { PixelMappingGrid } from './pixel_mapping_grid.js';

export function resampleBilinear(src: RgbaImage, grid: PixelMappingGrid, width: number, height: number): RgbaImage {
  const out = Buffer.alloc(width * height * 4);
  const s = src.data, sw = src.width, sh = src.height;
  const { step, cols, u, v } = grid;
  const inv = 1 / step;
  let o = 0;
  for (let j = 0; j < height; j++) {
    const gy = (j + 0.5) * inv;
    const r = Math.min(grid.rows - 2, Math.floor(gy));
    const fy = gy - r;
    const k0 = r * cols;
    for (let i = 0; i < width; i++, o += 4) {
      const gx = (i + 0.5) * inv;
      const c = Math.min(cols - 2, Math.floor(gx));
      const fx = gx - c;
      const k = k0 + c;
      const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
      // source pixel centres are at a + 0.5: shift to integer-centred coordinates
      const x = u[k] * w00 + u[k + 1] * w10 + u[k + cols] * w01 + u[k + cols + 1] * w11 - 0.5;
      const y = v[k] * w00 + v[k + 1] * w10 + v[k + cols] * w01 + v[k + cols + 1] * w11 - 0.5;
      if (!(x > -1 && y > -1 && x < sw && y < sh)) continue;
      const x0 = Math.floor(x), y0 = Math.floor(y);
      const ax = x - x0, ay = y - y0;
      let a = 0, rr = 0, gg = 0, bb = 0;
      for (let n = 0; n < 4; n++) {
        const px = x0 + (n & 1), py = y0 + (n >> 1);
        if (px < 0 || py < 0 || px >= sw || py >= sh) continue;
        const w = ((n & 1) ? ax : 1 - ax) * ((n >> 1) ? ay : 1 - ay);
        const p = (py * sw + px) * 4;
        const wa = w * s[p + 3];
        a += wa;
        rr += wa * s[p];
        gg += wa * s[p + 1];
        bb += wa * s[p + 2];
      }
      if (a <= 0) continue;
      out[o] = rr / a + 0.5;
      out[o + 1] = gg / a + 0.5;
      out[o + 2] = bb / a + 0.5;
      out[o + 3] = a + 0.5;
    }
  }
  return { data: out, width, height };
}
