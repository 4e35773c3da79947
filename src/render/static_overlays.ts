/**
 * Static-map overlays (paths and markers) as plain data, parsed from the
 * `path=` / `marker=` parameter syntax and drawn by adding a GeoJSON source and
 * layers to the style. Nothing here can name a URL: colours are checked, and
 * marker icons are names of images in the style's own sprite.
 *
 *   path=stroke:red|width:4|fill:rgba(0,0,255,0.2)|border:fff|borderwidth:2|7.33,47.75|7.34,47.751
 *   path=stroke:0a0|enc:_p~iF~ps|U_ulLnnqC     (Google polyline, precision 5; `enc:` must come last)
 *   marker=7.335,47.752|icon:marker_11|scale:1.5|color:e00|offset:0,-4
 */
import { TuilerieError } from '../core/errors.js';
import type { Bounds } from '../core/tile_math.js';

export interface PathOverlay {
  /** [lon, lat] pairs. */
  coords: [number, number][];
  stroke: string;
  width: number;
  fill?: string;
  /** A halo drawn under the stroke: its colour and its width on each side. */
  border?: { color: string; width: number };
}

export interface MarkerOverlay {
  coord: [number, number];
  /** An image of the style's sprite; without one a round dot is drawn. */
  icon?: string;
  color: string;
  scale: number;
  /** Icon offset in icon pixels, x right and y down (scaled with the icon). */
  offset?: [number, number];
}

export type LineCap = 'butt' | 'round' | 'square';
export type LineJoin = 'bevel' | 'round' | 'miter';

export interface StaticOverlays {
  paths: PathOverlay[];
  markers: MarkerOverlay[];
  /** How every path's ends and corners are drawn (default round). */
  lineCap?: LineCap;
  lineJoin?: LineJoin;
}

export const OVERLAY_SOURCE = 'tuilerie-overlay';
const MAX_POINTS = 5000;

/** A CSS colour we pass on to MapLibre: hex (with or without #), rgb/rgba/hsl/hsla, or a colour name. */
export function parseColor(s: string, what: string): string {
  const v = s.trim();
  if (/^#?(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(v)) return v.startsWith('#') ? v : `#${v}`;
  if (/^(?:rgba?|hsla?)\([0-9.,%\s]+\)$/i.test(v) || /^[a-z]{3,20}$/i.test(v)) return v;
  throw new TuilerieError('BAD_REQUEST', `${what}: "${s}" is not a colour (use e.g. red, f00, #ff0000 or rgba(255,0,0,0.5))`);
}

function parseNumber(s: string, what: string, min: number, max: number): number {
  const n = Number(s);
  if (!Number.isFinite(n) || n < min || n > max) throw new TuilerieError('BAD_REQUEST', `${what} must be a number from ${min} to ${max} (got "${s}")`);
  return n;
}

export function parseLonLat(s: string, what: string): [number, number] {
  const p = s.split(',');
  if (p.length !== 2) throw new TuilerieError('BAD_REQUEST', `${what}: expected "lon,lat" (got "${s}")`);
  return [parseNumber(p[0], `${what} longitude`, -180, 180), parseNumber(p[1], `${what} latitude`, -85.06, 85.06)];
}

/** Google's encoded polyline (lat, lon order, precision 5) to [lon, lat] pairs. */
export function decodePolyline(s: string, precision = 5): [number, number][] {
  const factor = 10 ** precision;
  const out: [number, number][] = [];
  let i = 0, lat = 0, lon = 0;
  const next = (): number => {
    let result = 0, shift = 0, b: number;
    do {
      if (i >= s.length) throw new TuilerieError('BAD_REQUEST', 'path: the encoded polyline is truncated');
      b = s.charCodeAt(i++) - 63;
      if (b < 0 || b > 63) throw new TuilerieError('BAD_REQUEST', 'path: the encoded polyline has a character outside ?…~');
      result |= (b & 0x1f) << shift;
      shift += 5;
    } while (b >= 0x20);
    return result & 1 ? ~(result >> 1) : result >> 1;
  };
  while (i < s.length) {
    lat += next();
    lon += next();
    out.push([lon / factor, lat / factor]);
    if (out.length > MAX_POINTS) throw new TuilerieError('BAD_REQUEST', `path: more than ${MAX_POINTS} points`);
  }
  return out;
}

export function parsePathParam(v: string): PathOverlay {
  const path: PathOverlay = { coords: [], stroke: 'rgba(0,64,255,0.8)', width: 3 };
  const enc = v.indexOf('enc:');
  const head = enc >= 0 ? v.slice(0, enc) : v;
  let border: string | undefined, borderWidth: number | undefined;
  for (const part of head.split('|').filter((p) => p.length)) {
    const m = /^(stroke|width|fill|border|borderwidth):(.*)$/.exec(part);
    if (m) {
      if (m[1] === 'stroke') path.stroke = parseColor(m[2], 'path stroke');
      else if (m[1] === 'fill') path.fill = parseColor(m[2], 'path fill');
      else if (m[1] === 'border') border = parseColor(m[2], 'path border');
      else if (m[1] === 'borderwidth') borderWidth = parseNumber(m[2], 'path borderwidth', 0, 50);
      else path.width = parseNumber(m[2], 'path width', 0, 50);
      continue;
    }
    path.coords.push(parseLonLat(part, 'path point'));
  }
  // tileserver-gl's default border: a tenth of the stroke on each side
  if (border !== undefined) path.border = { color: border, width: borderWidth ?? path.width * 0.1 };
  if (enc >= 0) path.coords.push(...decodePolyline(v.slice(enc + 4)));
  if (path.coords.length < 2) throw new TuilerieError('BAD_REQUEST', 'path: needs at least two points ("lon,lat|lon,lat" or "enc:…")');
  if (path.coords.length > MAX_POINTS) throw new TuilerieError('BAD_REQUEST', `path: more than ${MAX_POINTS} points`);
  return path;
}

export function parseMarkerParam(v: string): MarkerOverlay {
  const parts = v.split('|');
  const marker: MarkerOverlay = { coord: parseLonLat(parts[0], 'marker'), color: '#e03020', scale: 1 };
  for (const part of parts.slice(1)) {
    const m = /^(icon|color|scale|offset):(.*)$/.exec(part);
    if (!m) throw new TuilerieError('BAD_REQUEST', `marker: unknown option "${part}" (use icon:NAME, color:C, scale:N, offset:X,Y)`);
    if (m[1] === 'icon') {
      // a sprite image name, never a URL: the page may not fetch anything else
      if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(m[2])) throw new TuilerieError('BAD_REQUEST', `marker icon "${m[2]}" is not a sprite image name (letters, digits, _ . : -)`);
      marker.icon = m[2];
    } else if (m[1] === 'color') marker.color = parseColor(m[2], 'marker color');
    else if (m[1] === 'offset') {
      const xy = m[2].split(',');
      if (xy.length !== 2) throw new TuilerieError('BAD_REQUEST', `marker offset: expected "x,y" pixels (got "${m[2]}")`);
      marker.offset = [parseNumber(xy[0], 'marker offset x', -500, 500), parseNumber(xy[1], 'marker offset y', -500, 500)];
    }
    else marker.scale = parseNumber(m[2], 'marker scale', 0.1, 5);
  }
  return marker;
}

export function overlayBounds(o: StaticOverlays): Bounds | undefined {
  const pts = [...o.paths.flatMap((p) => p.coords), ...o.markers.map((m) => m.coord)];
  if (!pts.length) return undefined;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of pts) {
    w = Math.min(w, x); e = Math.max(e, x);
    s = Math.min(s, y); n = Math.max(n, y);
  }
  return [w, s, e, n];
}

export function hasOverlays(o: StaticOverlays): boolean {
  return o.paths.length > 0 || o.markers.length > 0;
}

/** A copy of the style with the overlays drawn above every other layer. */
export function withOverlays(style: Record<string, unknown>, o: StaticOverlays): Record<string, unknown> {
  if (!hasOverlays(o)) return style;
  const features: unknown[] = [];
  for (const p of o.paths) {
    if (p.border) features.push({ type: 'Feature', properties: { kind: 'border', stroke: p.border.color, width: p.width + 2 * p.border.width }, geometry: { type: 'LineString', coordinates: p.coords } });
  }
  for (const p of o.paths) {
    if (p.fill) features.push({ type: 'Feature', properties: { kind: 'fill', fill: p.fill }, geometry: { type: 'Polygon', coordinates: [[...p.coords, p.coords[0]]] } });
    features.push({ type: 'Feature', properties: { kind: 'line', stroke: p.stroke, width: p.width }, geometry: { type: 'LineString', coordinates: p.coords } });
  }
  for (const m of o.markers) {
    features.push({ type: 'Feature', properties: { kind: m.icon ? 'icon' : 'dot', icon: m.icon ?? '', color: m.color, scale: m.scale, offset: m.offset ?? [0, 0] }, geometry: { type: 'Point', coordinates: m.coord } });
  }
  const layers = [
    { id: 'tuilerie-overlay-fill', type: 'fill', source: OVERLAY_SOURCE, filter: ['==', ['get', 'kind'], 'fill'], paint: { 'fill-color': ['get', 'fill'] } },
    ...['border', 'line'].map((kind) => ({ id: `tuilerie-overlay-${kind}`, type: 'line', source: OVERLAY_SOURCE, filter: ['==', ['get', 'kind'], kind], layout: { 'line-join': o.lineJoin ?? 'round', 'line-cap': o.lineCap ?? 'round' }, paint: { 'line-color': ['get', 'stroke'], 'line-width': ['get', 'width'] } })),
    { id: 'tuilerie-overlay-dot', type: 'circle', source: OVERLAY_SOURCE, filter: ['==', ['get', 'kind'], 'dot'], paint: { 'circle-color': ['get', 'color'], 'circle-radius': ['*', 6, ['get', 'scale']], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
    { id: 'tuilerie-overlay-icon', type: 'symbol', source: OVERLAY_SOURCE, filter: ['==', ['get', 'kind'], 'icon'], layout: { 'icon-image': ['get', 'icon'], 'icon-size': ['get', 'scale'], 'icon-allow-overlap': true, 'icon-ignore-placement': true, 'icon-anchor': 'bottom', 'icon-offset': ['get', 'offset'] } },
  ];
  return {
    ...style,
    sources: { ...(style.sources as Record<string, unknown>), [OVERLAY_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features } } },
    layers: [...(style.layers as unknown[]), ...layers],
  };
}
