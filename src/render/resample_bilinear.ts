/**
 * Bilinear resampling of a straight-alpha RGBA image through a grid of source positions.
 * Colours are weighted by alpha (as if premultiplied) so that transparent
 * neighbours do not darken edges; pixels whose source falls outside the image
 * are transparent. One pass over typed arrays, no allocation per pixel: the grid
 * is interpolated down each row once, and opaque interior pixels (nearly all of
 * a basemap) take a branch without the alpha weighting.
 */
import type { RgbaImage } from './image_codec.js';

/** Source positions of a grid of output nodes (src/ogc/pixel_mapping_grid.ts builds one). */
export interface MappingGrid {
  /** Node spacing, output pixels. */
  step: number;
  cols: number;
  rows: number;
  /** Source x and y of node (c, r) at r * cols + c. */
  u: Float64Array;
  v: Float64Array;
}

export function resampleBilinear(src: RgbaImage, grid: MappingGrid, width: number, height: number): RgbaImage {
  const out = Buffer.alloc(width * height * 4);
  const s = src.data, sw = src.width, sh = src.height, stride = sw * 4;
  const { step, cols, u, v } = grid;
  const inv = 1 / step;
  // the grid interpolated to this row, at each node column
  const rowU = new Float64Array(cols), rowV = new Float64Array(cols);
  let o = 0;
  for (let j = 0; j < height; j++) {
    const gy = (j + 0.5) * inv;
    const r = Math.min(grid.rows - 2, Math.floor(gy));
    const fy = gy - r;
    const k0 = r * cols;
    for (let c = 0; c < cols; c++) {
      rowU[c] = u[k0 + c] + (u[k0 + cols + c] - u[k0 + c]) * fy;
      rowV[c] = v[k0 + c] + (v[k0 + cols + c] - v[k0 + c]) * fy;
    }
    for (let i = 0; i < width; i++, o += 4) {
      const gx = (i + 0.5) * inv;
      const c = Math.min(cols - 2, Math.floor(gx));
      const fx = gx - c;
      // source pixel centres are at a + 0.5: shift to integer-centred coordinates
      const x = rowU[c] + (rowU[c + 1] - rowU[c]) * fx - 0.5;
      const y = rowV[c] + (rowV[c + 1] - rowV[c]) * fx - 0.5;
      if (!(x > -1 && y > -1 && x < sw && y < sh)) continue;
      const x0 = Math.floor(x), y0 = Math.floor(y);
      const ax = x - x0, ay = y - y0;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
        const p00 = y0 * stride + x0 * 4, p10 = p00 + 4, p01 = p00 + stride, p11 = p01 + 4;
        const w00 = (1 - ax) * (1 - ay), w10 = ax * (1 - ay), w01 = (1 - ax) * ay, w11 = ax * ay;
        if ((s[p00 + 3] & s[p10 + 3] & s[p01 + 3] & s[p11 + 3]) === 255) {
          out[o] = s[p00] * w00 + s[p10] * w10 + s[p01] * w01 + s[p11] * w11 + 0.5;
          out[o + 1] = s[p00 + 1] * w00 + s[p10 + 1] * w10 + s[p01 + 1] * w01 + s[p11 + 1] * w11 + 0.5;
          out[o + 2] = s[p00 + 2] * w00 + s[p10 + 2] * w10 + s[p01 + 2] * w01 + s[p11 + 2] * w11 + 0.5;
          out[o + 3] = 255;
          continue;
        }
      }
      let a = 0, rr = 0, gg = 0, bb = 0;
      for (let n = 0; n < 4; n++) {
        const px = x0 + (n & 1), py = y0 + (n >> 1);
        if (px < 0 || py < 0 || px >= sw || py >= sh) continue;
        const w = ((n & 1) ? ax : 1 - ax) * ((n >> 1) ? ay : 1 - ay);
        const p = py * stride + px * 4;
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
