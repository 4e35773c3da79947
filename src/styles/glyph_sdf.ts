/**
 * Signed distance field of an antialiased alpha mask, as TinySDF computes it:
 * two exact Euclidean distance transforms (Felzenszwalb & Huttenlocher), one to
 * the outside and one to the inside, with partial-coverage pixels seeding
 * sub-pixel distances. Values follow the MapLibre glyph convention: the edge is
 * at 255·(1 − cutoff) and `radius` pixels map to the full 0…255 range.
 */
const INF = 1e20;

export interface SdfOptions {
  /** Alpha coverage 0…255, `width` × `height`, row-major. */
  alpha: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** Pixels of padding already included around the glyph in `alpha` (3 for glyph PBFs). */
  buffer: number;
  radius: number;
  cutoff: number;
}

/** One-dimensional squared distance transform of `length` samples, in place. */
function edt1d(grid: Float64Array, offset: number, stride: number, length: number, scratch: EdtScratch): void {
  const { f, v, z } = scratch;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  f[0] = grid[offset];
  let k = 0;
  for (let q = 1; q < length; q++) {
    f[q] = grid[offset + q * stride];
    const q2 = q * q;
    let s = 0;
    do {
      const r = v[k];
      s = (f[q] - f[r] + q2 - r * r) / (q - r) / 2;
    } while (s <= z[k] && --k > -1);
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < length; q++) {
    while (z[k + 1] < q) k++;
    const r = v[k];
    const d = q - r;
    grid[offset + q * stride] = f[r] + d * d;
  }
}

interface EdtScratch { f: Float64Array; v: Uint16Array; z: Float64Array }

/** Two-dimensional transform over a sub-rectangle of a `gridWidth`-wide grid. */
function edt2d(grid: Float64Array, rect: { x0: number; y0: number; w: number; h: number; gridWidth: number }, scratch: EdtScratch): void {
  const { x0, y0, w, h, gridWidth } = rect;
  for (let x = 0; x < w; x++) edt1d(grid, y0 * gridWidth + x0 + x, gridWidth, h, scratch);
  for (let y = 0; y < h; y++) edt1d(grid, (y0 + y) * gridWidth + x0, 1, w, scratch);
}

export function computeSdf(opts: SdfOptions): Uint8Array {
  const { alpha, width, height, buffer, radius, cutoff } = opts;
  const n = width * height;
  const outer = new Float64Array(n).fill(INF);
  const inner = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = alpha[i] / 255;
    if (a === 0) continue;
    if (a === 1) {
      outer[i] = 0;
      inner[i] = INF;
    } else {
      // A partly covered pixel: the edge passes about (0.5 − a) px from its centre.
      const d = 0.5 - a;
      outer[i] = d > 0 ? d * d : 0;
      inner[i] = d < 0 ? d * d : 0;
    }
  }
  const size = Math.max(width, height);
  const scratch: EdtScratch = { f: new Float64Array(size), v: new Uint16Array(size), z: new Float64Array(size + 1) };
  edt2d(outer, { x0: 0, y0: 0, w: width, h: height, gridWidth: width }, scratch);
  // The padding is never inside a glyph, so the inner transform can skip it.
  edt2d(inner, { x0: buffer, y0: buffer, w: width - 2 * buffer, h: height - 2 * buffer, gridWidth: width }, scratch);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = Math.sqrt(outer[i]) - Math.sqrt(inner[i]);
    const v = Math.round(255 - 255 * (d / radius + cutoff));
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}
