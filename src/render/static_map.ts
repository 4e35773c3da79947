/**
 * Static map images: a camera (centre, bounds, or fitted to the overlays), a
 * size, a scale and overlays → one encoded image. Sizes are bounded so that a
 * request cannot make Chromium allocate an unbounded canvas.
 */
import crypto from 'node:crypto';
import { TuilerieError } from '../core/errors.js';
import type { Bounds } from '../core/tile_math.js';
import type { RenderFormat, RenderRequest } from './renderer.js';
import type { RasterStyle } from './raster_tile_service.js';
import { fitBounds } from './view_math.js';
import { hasOverlays, overlayBounds, withOverlays, type StaticOverlays } from './static_overlays.js';

export type StaticCamera =
  | { kind: 'center'; center: [number, number]; zoom: number; bearing?: number; pitch?: number }
  | { kind: 'bounds'; bounds: Bounds }
  | { kind: 'auto' };

export interface StaticMapRequest {
  style: RasterStyle;
  camera: StaticCamera;
  width: number;
  height: number;
  scale: number;
  /** `raw` gives straight RGBA for callers that post-process (WMS reprojection). */
  format: RenderFormat;
  overlays: StaticOverlays;
  /** CSS pixels kept free around bounds and overlays (default 10% of the smaller side for `auto`). */
  padding?: number;
  /** Deepest zoom `auto` may choose (default 16: a single marker has no extent). */
  maxZoom?: number;
  /** Aborted when the caller no longer wants the image: the render is dropped or abandoned. */
  signal?: AbortSignal;
}

export interface StaticMapRendererOptions {
  render: (req: RenderRequest, signal?: AbortSignal) => Promise<Buffer>;
  /** Largest width or height in image pixels, after scale (default 4096). */
  maxPixels?: number;
  quality?: number;
}

export class StaticMapRenderer {
  constructor(private readonly opts: StaticMapRendererOptions) {}

  get maxPixels(): number {
    return this.opts.maxPixels ?? 4096;
  }

  /** Throws BAD_REQUEST for a size outside 1 … maxPixels after scale. */
  checkSize(width: number, height: number, scale: number): void {
    const max = this.maxPixels;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new TuilerieError('BAD_REQUEST', `image size ${width}x${height} must be positive whole pixels`);
    if (width * scale > max || height * scale > max) throw new TuilerieError('BAD_REQUEST', `image size ${width}x${height}@${scale}x is ${width * scale}x${height * scale} pixels; the limit is ${max} on each side`);
  }

  async render(req: StaticMapRequest): Promise<Buffer> {
    this.checkSize(req.width, req.height, req.scale);
    const style = withOverlays(req.style.style, req.overlays);
    const styleKey = hasOverlays(req.overlays)
      ? `${req.style.styleKey}|overlay:${crypto.createHash('sha1').update(JSON.stringify(req.overlays)).digest('base64url')}`
      : req.style.styleKey;
    return this.opts.render({ style, styleKey, view: this.view(req), width: req.width, height: req.height, scale: req.scale, format: req.format, quality: this.opts.quality }, req.signal);
  }

  private view(req: StaticMapRequest): RenderRequest['view'] {
    const c = req.camera;
    const maxZoom = req.style.maxzoom + 4;
    if (c.kind === 'center') return { center: c.center, zoom: c.zoom, bearing: c.bearing ?? 0, pitch: c.pitch ?? 0 };
    if (c.kind === 'bounds') return fitBounds({ bounds: c.bounds, width: req.width, height: req.height, padding: req.padding ?? 0, maxZoom });
    const b = overlayBounds(req.overlays);
    if (!b) throw new TuilerieError('BAD_REQUEST', 'static/auto needs at least one path= or marker= to fit the view to');
    const padding = req.padding ?? Math.round(Math.min(req.width, req.height) * 0.1);
    // a single marker has no extent: show it at a street-level zoom
    return fitBounds({ bounds: b, width: req.width, height: req.height, padding, maxZoom: Math.min(maxZoom, req.maxZoom ?? 16) });
  }
}
