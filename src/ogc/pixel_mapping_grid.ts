/**
 * Where each output pixel of a reprojected image samples its source, computed
 * exactly (proj4) only on a coarse grid of nodes and interpolated bilinearly in
 * between: proj4 per pixel costs seconds on a 2048² image, the grid costs a few
 * thousand calls. The grid is refined until the interpolation error, measured
 * against exact values at the middle of every cell, is under a tolerance.
 */

/** Output pixel centre (i + 0.5, j + 0.5 in pixel units) → source pixel coordinates (centre of pixel a at a + 0.5). */
export type PixelMapping = (x: number, y: number) => [number, number];

export interface PixelMappingGridOptions {
  width: number;
  height: number;
  map: PixelMapping;
  /** Starting node spacing in pixels (default 32). */
  step?: number;
  /** Largest interpolation error accepted, source pixels (default 0.1). */
  tolerance?: number;
}

export class PixelMappingGrid {
  /** Node spacing finally used, pixels. */
  readonly step: number;
  /** Largest error measured at cell middles, source pixels. */
  readonly maxError: number;
  /** Nodes across and down. */
  readonly cols: number;
  readonly rows: number;
  /** Source x and y of node (c, r) at r * cols + c; node c sits at output x = c * step. */
  readonly u: Float64Array;
  readonly v: Float64Array;

  constructor(opts: PixelMappingGridOptions) {
    const tolerance = opts.tolerance ?? 0.1;
    let step = Math.max(1, Math.floor(opts.step ?? 32));
    for (;;) {
      const cols = Math.ceil(opts.width / step) + 1, rows = Math.ceil(opts.height / step) + 1;
      const u = new Float64Array(cols * rows), v = new Float64Array(cols * rows);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const [su, sv] = opts.map(c * step, r * step);
          u[r * cols + c] = su;
          v[r * cols + c] = sv;
        }
      }
      const err = step === 1 ? 0 : midCellError({ cols, rows, step, u, v, map: opts.map });
      if (err <= tolerance || step === 1) {
        this.step = step;
        this.maxError = err;
        this.cols = cols;
        this.rows = rows;
        this.u = u;
        this.v = v;
        return;
      }
      step = Math.max(1, step >> 1);
    }
  }

  /** Source coordinates of output position (x, y) in pixel units (for tests and spot checks). */
  at(x: number, y: number): [number, number] {
    const gx = x / this.step, gy = y / this.step;
    const c = Math.min(this.cols - 2, Math.max(0, Math.floor(gx))), r = Math.min(this.rows - 2, Math.max(0, Math.floor(gy)));
    const fx = gx - c, fy = gy - r;
    const k = r * this.cols + c;
    const lerp = (a: Float64Array) =>
      (a[k] * (1 - fx) + a[k + 1] * fx) * (1 - fy) + (a[k + this.cols] * (1 - fx) + a[k + this.cols + 1] * fx) * fy;
    return [lerp(this.u), lerp(this.v)];
  }
}

function midCellError(g: { cols: number; rows: number; step: number; u: Float64Array; v: Float64Array; map: PixelMapping }): number {
  let worst = 0;
  for (let r = 0; r + 1 < g.rows; r++) {
    for (let c = 0; c + 1 < g.cols; c++) {
      const k = r * g.cols + c;
      const iu = (g.u[k] + g.u[k + 1] + g.u[k + g.cols] + g.u[k + g.cols + 1]) / 4;
      const iv = (g.v[k] + g.v[k + 1] + g.v[k + g.cols] + g.v[k + g.cols + 1]) / 4;
      const [eu, ev] = g.map((c + 0.5) * g.step, (r + 0.5) * g.step);
      const e = Math.hypot(eu - iu, ev - iv);
      // NaN (a node outside the projection's domain) must force refinement, never pass
      if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
    }
  }
  return worst;
}
