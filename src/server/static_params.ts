/**
 * tileserver-gl's static map parameters on top of ours, so its URLs work here:
 * `/static/raw/…` (the view and every overlay coordinate in EPSG:3857 metres),
 * `latlng=1` (coordinates given lat,lon), `stroke=`, `width=` and `fill=` for
 * every path that does not set its own (and `border=`, `borderwidth=`, `linecap=`, `linejoin=`), `padding=` as tileserver-gl's ratio
 * of the image (values below 1; ours are pixels), and its marker form
 * `lon,lat|iconPath|scale:N|offset:X,Y` (the icon file's name is a sprite image).
 */
import { TuilerieError } from '../core/errors.js';
import { mercatorToLonLat } from '../core/tile_math.js';
import type { LineCap, LineJoin, StaticOverlays } from '../render/static_overlays.js';

export interface StaticQueryOptions {
  raw: boolean;
  latlng: boolean;
}

const OPTION = /^(stroke|width|fill|border|borderwidth|icon|color|scale|offset|enc):/;

/** Rewrites the "a,b" coordinate pairs of a path or marker value to lon,lat. */
function toLonLatPairs(value: string, o: StaticQueryOptions): string {
  if (!o.raw && !o.latlng) return value;
  const enc = value.indexOf('enc:');
  const head = enc >= 0 ? value.slice(0, enc) : value;
  const parts = head.split('|').map((part) => {
    if (part === '' || OPTION.test(part)) return part;
    const p = part.split(',');
    if (p.length !== 2) return part;
    let [a, b] = p.map(Number);
    if (o.latlng) [a, b] = [b, a];
    if (o.raw) [a, b] = mercatorToLonLat(a, b);
    return `${a},${b}`;
  });
  return parts.join('|') + (enc >= 0 ? value.slice(enc) : '');
}

/** A `path=` value with tileserver-gl's global stroke/width/fill/border/borderwidth added where it sets none. */
export function tileserverPath(value: string, query: Record<string, unknown>, o: StaticQueryOptions): string {
  let v = toLonLatPairs(value, o);
  for (const key of ['stroke', 'width', 'fill', 'border', 'borderwidth']) {
    const global = query[key];
    if (typeof global === 'string' && global !== '' && !v.split('|').some((p) => p.startsWith(`${key}:`))) v = `${key}:${global}|${v}`;
  }
  return v;
}

/**
 * A `marker=` value in our form. tileserver-gl's second part is an icon file (in its
 * `paths.icons`) or URL; ours are the style's sprite images, so a file names the sprite
 * image of the same name (`icons/pin.png` → `pin`). URLs and inline images are refused:
 * the renderer fetches nothing a request names.
 */
export function tileserverMarker(value: string, o: StaticQueryOptions): string {
  const parts = value.split('|');
  const iconPath = parts[1];
  if (iconPath !== undefined && iconPath !== '' && !iconPath.includes(':')) {
    const name = iconPath.replace(/^.*\//, '').replace(/\.(png|jpe?g|webp|svg|gif)$/i, '');
    parts[1] = `icon:${name}`;
  } else if (iconPath !== undefined && /^(https?|data|file):/i.test(iconPath)) {
    throw new TuilerieError('BAD_REQUEST', `marker icon "${iconPath.slice(0, 64)}": remote and inline icons are not fetched; name an image of the style's sprite (icon:NAME or NAME.png)`);
  }
  return toLonLatPairs(parts.join('|'), o);
}

const CAPS: readonly LineCap[] = ['butt', 'round', 'square'];
const JOINS: readonly LineJoin[] = ['bevel', 'round', 'miter'];

/** tileserver-gl's `linecap=` and `linejoin=`, for every path. */
export function tileserverLineStyle(query: Record<string, unknown>): Pick<StaticOverlays, 'lineCap' | 'lineJoin'> {
  const pick = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    const v = query[key];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string' || !allowed.includes(v as T)) throw new TuilerieError('BAD_REQUEST', `${key}= must be one of ${allowed.join(', ')}`);
    return v as T;
  };
  return { lineCap: pick('linecap', CAPS), lineJoin: pick('linejoin', JOINS) };
}

/** The view segment of a raw (EPSG:3857) URL as lon/lat: x,y,zoom[@…] or minx,miny,maxx,maxy. */
export function rawViewToLonLat(view: string): string {
  if (view === 'auto') return view;
  const [pos, angles] = view.split('@');
  const p = pos.split(',').map(Number);
  if (!p.every(Number.isFinite)) throw new TuilerieError('BAD_REQUEST', `static raw view "${view}": numbers in EPSG:3857 metres expected`);
  if (p.length === 3) {
    const [lon, lat] = mercatorToLonLat(p[0], p[1]);
    return `${lon},${lat},${p[2]}${angles !== undefined ? `@${angles}` : ''}`;
  }
  if (p.length === 4) {
    const [w, s] = mercatorToLonLat(p[0], p[1]);
    const [e, n] = mercatorToLonLat(p[2], p[3]);
    return `${w},${s},${e},${n}`;
  }
  throw new TuilerieError('BAD_REQUEST', `static raw view "${view}": use x,y,zoom or minx,miny,maxx,maxy in EPSG:3857`);
}

/**
 * Padding in pixels. tileserver-gl's is a ratio p below 1: the area is fitted into the image
 * shrunk by 1 + 2p, i.e. side·p/(1+2p) pixels each side (taken on the smaller side); ours are pixels.
 */
export function paddingPixels(raw: string | undefined, width: number, height: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new TuilerieError('BAD_REQUEST', 'padding= must be pixels, or a ratio of the image below 1 (tileserver-gl)');
  return n < 1 ? Math.round((Math.min(width, height) * n) / (1 + 2 * n)) : n;
}
