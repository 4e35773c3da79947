/**
 * Scale arithmetic on Web Mercator: a frame of W mm at 1:S covers W·S/1000 m
 * of ground, and one ground metre at latitude φ is 1/cos φ Mercator metres,
 * so 1 cm on paper is S cm on the ground at the centre of the map.
 */
import { EARTH_CIRCUMFERENCE, latToY, lonToX, xToLon, yToLat, type Bounds } from '../core/tile_math.js';
import { TuilerieError } from '../core/errors.js';

/** Standard city-plan scales, most detailed first. */
export const STANDARD_SCALES = [5000, 10_000, 15_000, 20_000, 25_000, 50_000, 75_000, 100_000];

/** A rectangle in normalized Web Mercator (x east 0…1, y south 0…1). */
export interface MercBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function mercBoxOf(b: Bounds): MercBox {
  return { x0: lonToX(b[0]), y0: latToY(b[3]), x1: lonToX(b[2]), y1: latToY(b[1]) };
}

export function boundsOfMerc(m: MercBox): Bounds {
  return [xToLon(m.x0), yToLat(m.y1), xToLon(m.x1), yToLat(m.y0)];
}

/** Normalized Mercator units per paper millimetre at 1:scale, latitude `lat`. */
export function mercPerMm(scale: number, lat: number): number {
  return scale / 1000 / (EARTH_CIRCUMFERENCE * Math.cos((lat * Math.PI) / 180));
}

/** Ground metres of a length in normalized Mercator units at latitude `lat`. */
export function groundMetres(mercLength: number, lat: number): number {
  return mercLength * EARTH_CIRCUMFERENCE * Math.cos((lat * Math.PI) / 180);
}

export interface MapFrameGeometry {
  scale: number;
  /** Latitude of the centre, where the scale is exact. */
  lat: number;
  widthMm: number;
  heightMm: number;
  merc: MercBox;
  bounds: Bounds;
}

/** The Mercator box a frame of the given size covers at 1:scale, centred on the extent. */
export function frameAt(extent: MercBox, scale: number, frame: { widthMm: number; heightMm: number }): MapFrameGeometry {
  const cx = (extent.x0 + extent.x1) / 2, cy = (extent.y0 + extent.y1) / 2;
  const lat = yToLat(cy);
  const k = mercPerMm(scale, lat);
  const hw = (frame.widthMm * k) / 2, hh = (frame.heightMm * k) / 2;
  const merc = { x0: cx - hw, y0: cy - hh, x1: cx + hw, y1: cy + hh };
  return { scale, lat, widthMm: frame.widthMm, heightMm: frame.heightMm, merc, bounds: boundsOfMerc(merc) };
}

export function fitsAt(extent: MercBox, scale: number, frame: { widthMm: number; heightMm: number }): boolean {
  const lat = yToLat((extent.y0 + extent.y1) / 2);
  const k = mercPerMm(scale, lat);
  return (extent.x1 - extent.x0) <= frame.widthMm * k * 1.0000001 && (extent.y1 - extent.y0) <= frame.heightMm * k * 1.0000001;
}

/** The most detailed standard scale at which the extent fits the frame. */
export function chooseScale(extent: MercBox, frame: { widthMm: number; heightMm: number }): number {
  const s = STANDARD_SCALES.find((sc) => fitsAt(extent, sc, frame));
  if (s === undefined) {
    throw new TuilerieError('TOO_BIG', `the area does not fit on this paper even at 1:${STANDARD_SCALES[STANDARD_SCALES.length - 1].toLocaleString('en')}: choose a larger paper or a smaller area`);
  }
  return s;
}

/** Size of the extent on paper at 1:scale, for error messages. */
export function extentMm(extent: MercBox, scale: number): { widthMm: number; heightMm: number } {
  const k = mercPerMm(scale, yToLat((extent.y0 + extent.y1) / 2));
  return { widthMm: (extent.x1 - extent.x0) / k, heightMm: (extent.y1 - extent.y0) / k };
}
