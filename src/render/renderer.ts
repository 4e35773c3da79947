/**
 * What every raster backend does: one style, one view, one size → one image.
 * Backends never see HTTP; the pool, metatiles and routes build on this only.
 */
import type { Bounds } from '../core/tile_math.js';

/** `raw` is straight-alpha RGBA, rows top to bottom, (width·scale) × (height·scale) × 4 bytes. */
export type RenderFormat = 'png' | 'jpeg' | 'webp' | 'raw';

/** A camera in MapLibre terms: `zoom` is the 512 px-tile zoom. */
export interface CenterView {
  center: [number, number];
  zoom: number;
  bearing?: number;
  pitch?: number;
}

/** A view fitted to bounds, `padding` CSS pixels kept free on each side. */
export interface BoundsView {
  bounds: Bounds;
  padding?: number;
}

export type RenderView = CenterView | BoundsView;

export interface RenderRequest {
  /** A MapLibre style document whose resource URLs all point at the local server. */
  style: Record<string, unknown>;
  /**
   * Identifies the style document (e.g. id + generation + data version): a backend
   * may keep a map loaded between renders of the same key.
   */
  styleKey: string;
  view: RenderView;
  /** CSS pixels; the image is width·scale × height·scale pixels. */
  width: number;
  height: number;
  /** Device pixel ratio: 1, 2 or 3. */
  scale: number;
  format: RenderFormat;
  /** JPEG/WebP quality, 1–100. */
  quality?: number;
  /** Only this part of the viewport (CSS pixels) is returned: metatiles drop their gutter before readback. */
  crop?: { left: number; top: number; width: number; height: number };
}

/** What a caller may learn while a render runs. */
export interface RenderHooks {
  /**
   * The backend can take its next render: what is left of this one no longer
   * needs it (e.g. decoding the readback in a worker thread). The pool then
   * starts the next job, so the page draws while the last image is decoded.
   */
  onReady?: () => void;
}

export interface Renderer {
  render(req: RenderRequest, hooks?: RenderHooks): Promise<Buffer>;
  /** Whether the backend can still render (false after its browser died). */
  healthy(): boolean;
  /** Drops per-page state (cheaper than close + create); used after a timeout or N renders. */
  recycle(): Promise<void>;
  close(): Promise<void>;
}

export function isBoundsView(v: RenderView): v is BoundsView {
  return (v as BoundsView).bounds !== undefined;
}
