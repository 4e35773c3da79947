/**
 * A map image in any supported CRS from a Web Mercator renderer: plan the
 * Mercator view that covers the requested extent (plus a margin for the
 * bilinear kernel) at about the requested pixel density, render it raw, then
 * resample every output pixel through the CRS transform. Web Mercator requests
 * on a square-pixel grid come out of the same path as an identity mapping.
 */
import { EARTH_CIRCUMFERENCE } from '../core/tile_math.js';
import type { RgbaImage } from '../render/image_codec.js';
import { encodeMap, type MapEncoding } from './map_encoding.js';
import { viewPieces } from '../render/view_pieces.js';
import type { CrsDef } from './crs.js';
import { outputToMercator, type CrsBox } from './reprojection_grid.js';
import type { ReprojectionWorkers } from './reprojection_tasks.js';

export type { CrsBox } from './reprojection_grid.js';

export interface MercatorView {
  /** lon, lat of the viewport centre. */
  center: [number, number];
  /** MapLibre zoom (512 px world at 0). */
  zoom: number;
  width: number;
  height: number;
}

/** Renders a Web Mercator view to straight RGBA of width × height pixels. */
export type MercatorRenderFn = (view: MercatorView) => Promise<Buffer>;

export interface ReprojectedMapOptions {
  render: MercatorRenderFn;
  /** Where the resampling runs: thousands of proj4 calls and millions of pixels, never on the event loop. */
  workers: ReprojectionWorkers;
  /** Largest Mercator render side, pixels; a larger need lowers its resolution. */
  maxSourcePixels?: number;
  /** Deepest MapLibre zoom the renderer honours (closer requests are upsampled). */
  maxZoom?: number;
  /**
   * Pixels rendered around the extent and thrown away (default 2), so that labels
   * near an edge are placed as in the neighbouring render (clients tile WMS
   * requests; WMTS metatiles abut). Shrunk when the size limit leaves no room.
   */
  margin?: number;
}

export interface ReprojectedMapRequest extends MapEncoding {
  crs: CrsDef;
  bbox: CrsBox;
  width: number;
  height: number;
}

/** The Mercator frame planned for a request: the view and how output pixels map into it. */
export interface MercatorPlan {
  view: MercatorView;
  /** Metres per source pixel. */
  resolution: number;
  /** Top-left corner of the source image, EPSG:3857 metres. */
  left: number;
  top: number;
}

const HALF_WORLD = EARTH_CIRCUMFERENCE / 2;
/** Least margin: what the bilinear kernel needs at the edges. */
const MIN_MARGIN_PX = 2;

export class ReprojectedMap {
  private readonly maxSource: number;
  private readonly maxZoom: number;

  constructor(private readonly opts: ReprojectedMapOptions) {
    this.maxSource = opts.maxSourcePixels ?? 4096;
    this.maxZoom = opts.maxZoom ?? 22;
  }

  /** Output pixel position (pixel units, centres at i + 0.5) → EPSG:3857 metres. */
  static readonly outputToMercator = outputToMercator;

  /**
   * The Mercator view covering the request at the density of its finest
   * direction (bounded by size and zoom); undefined when the extent lies wholly
   * outside what Web Mercator can show (near the poles).
   */
  plan(req: Pick<ReprojectedMapRequest, 'crs' | 'bbox' | 'width' | 'height'>): MercatorPlan | undefined {
    const toMerc = ReprojectedMap.outputToMercator(req);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const n = 16;
    for (let a = 0; a <= n; a++) {
      for (let b = 0; b <= n; b++) {
        // the outline decides the extent; an interior lattice guards against bulging projections
        const [mx, my] = toMerc((a / n) * req.width, (b / n) * req.height);
        if (!Number.isFinite(mx) || !Number.isFinite(my)) continue;
        x0 = Math.min(x0, mx); x1 = Math.max(x1, mx);
        y0 = Math.min(y0, my); y1 = Math.max(y1, my);
      }
    }
    if (!(x1 > x0 && y1 > y0)) return undefined;
    // finest Mercator step of one output pixel, measured at the centre
    const [cx, cy] = toMerc(req.width / 2, req.height / 2);
    const [ex, ey] = toMerc(req.width / 2 + 1, req.height / 2);
    const [sx, sy] = toMerc(req.width / 2, req.height / 2 + 1);
    let res = Math.min(Math.hypot(ex - cx, ey - cy), Math.hypot(sx - cx, sy - cy));
    // the centre may fall outside Mercator (a polar request): fall back to the mean density
    if (!Number.isFinite(res) || res <= 0) res = Math.sqrt(((x1 - x0) * (y1 - y0)) / (req.width * req.height));
    res = Math.max(res, EARTH_CIRCUMFERENCE / (512 * 2 ** this.maxZoom));
    y0 = Math.max(y0, -HALF_WORLD);
    y1 = Math.min(y1, HALF_WORLD);
    const need = (r: number) => Math.max((x1 - x0) / r, (y1 - y0) / r);
    if (need(res) + 2 * MIN_MARGIN_PX > this.maxSource) res = Math.max(x1 - x0, y1 - y0) / (this.maxSource - 2 * MIN_MARGIN_PX - 1);
    const margin = Math.max(MIN_MARGIN_PX, Math.min(this.opts.margin ?? MIN_MARGIN_PX, Math.floor((this.maxSource - Math.ceil(need(res))) / 2)));
    // the tolerance keeps an exact fit (Mercator requests) from gaining a column, which would shift it half a pixel
    const width = Math.ceil((x1 - x0) / res - 1e-6) + 2 * margin;
    const height = Math.min(Math.ceil((y1 - y0) / res - 1e-6) + 2 * margin, Math.floor((2 * HALF_WORLD) / res));
    const mx = (x0 + x1) / 2;
    // keep the view inside the world vertically: MapLibre would shift the camera otherwise
    const my = Math.min(HALF_WORLD - (height / 2) * res, Math.max(-HALF_WORLD + (height / 2) * res, (y0 + y1) / 2));
    const left = mx - (width / 2) * res, top = my + (height / 2) * res;
    // one piece of ../render/view_pieces.ts, margin included (the resampling reads it), nothing cropped
    const area = { x: (left + HALF_WORLD) / EARTH_CIRCUMFERENCE, y: (HALF_WORLD - top) / EARTH_CIRCUMFERENCE, width, height, zoom: Math.log2(EARTH_CIRCUMFERENCE / (512 * res)) };
    const { view } = viewPieces(area, { gutter: 0 })[0][0];
    return { view: { center: view.center, zoom: view.zoom, width, height }, resolution: res, left, top };
  }

  /** Renders and reprojects to straight RGBA (no encoding). */
  async renderRgba(req: Pick<ReprojectedMapRequest, 'crs' | 'bbox' | 'width' | 'height'>): Promise<RgbaImage> {
    const plan = this.plan(req);
    if (!plan) return { data: Buffer.alloc(req.width * req.height * 4), width: req.width, height: req.height };
    const raw = await this.opts.render(plan.view);
    const src: RgbaImage = { data: raw, width: plan.view.width, height: plan.view.height };
    return this.opts.workers.reproject(src, plan, req);
  }

  /** Renders, reprojects and encodes; the reprojected pixels stay in the worker, only the encoded image comes back. */
  async render(req: ReprojectedMapRequest): Promise<Buffer> {
    const plan = this.plan(req);
    if (!plan) return encodeMap({ data: Buffer.alloc(req.width * req.height * 4), width: req.width, height: req.height }, req);
    const raw = await this.opts.render(plan.view);
    return this.opts.workers.reprojectEncoded({ data: raw, width: plan.view.width, height: plan.view.height }, plan, req);
  }
}
