/** Camera arithmetic for raster rendering: fitting bounds, tile ↔ MapLibre zoom. Pure functions. */
import { latToY, lonToX, xToLon, yToLat, type Bounds } from '../core/tile_math.js';
import type { CenterView, RenderView } from './renderer.js';
import { isBoundsView } from './renderer.js';

/** MapLibre draws 512 px tiles: a `tileSize` px XYZ tile at z is MapLibre zoom z + log2(tileSize / 512). */
export function mapZoomForTile(z: number, tileSize: number): number {
  return z + Math.log2(tileSize / 512);
}

export interface FitOptions {
  bounds: Bounds;
  width: number;
  height: number;
  padding?: number;
  maxZoom?: number;
}

/** The centre and zoom that show `bounds` in a width × height CSS-pixel viewport (north up). */
export function fitBounds(opts: FitOptions): CenterView {
  const [w, s, e, n] = opts.bounds;
  const pad = opts.padding ?? 0;
  const x0 = lonToX(w), x1 = lonToX(e);
  const y0 = latToY(n), y1 = latToY(s);
  const dx = Math.max(x1 - x0, 1e-12), dy = Math.max(y1 - y0, 1e-12);
  const availW = Math.max(1, opts.width - 2 * pad), availH = Math.max(1, opts.height - 2 * pad);
  let zoom = Math.log2(Math.min(availW / (dx * 512), availH / (dy * 512)));
  zoom = Math.min(zoom, opts.maxZoom ?? 20);
  return { center: [xToLon((x0 + x1) / 2), yToLat((y0 + y1) / 2)], zoom };
}

/** Any view as a centre view for a viewport of the given size. */
export function toCenterView(view: RenderView, width: number, height: number): CenterView {
  if (!isBoundsView(view)) return view;
  return fitBounds({ bounds: view.bounds, width, height, padding: view.padding });
}
