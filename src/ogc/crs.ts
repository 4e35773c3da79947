/**
 * The coordinate reference systems WMS and WMTS clients may ask for, with what
 * OGC clients need to know of each: proj4 definition, axis order in WMS 1.3.0
 * and area of use (for capabilities). Everything is rendered in Web Mercator
 * and reprojected, so each CRS only needs a way to and from lon/lat.
 */
import proj4 from 'proj4';
import type { Bounds } from '../core/tile_math.js';
import { lonLatToMercator, mercatorToLonLat } from '../core/tile_math.js';

export interface CrsDef {
  /** Canonical code: `EPSG:2154`, `CRS:84`. */
  code: string;
  title: string;
  /** Degrees (lon/lat) rather than metres. */
  geographic: boolean;
  /**
   * WMS 1.3.0 takes BBOX in the CRS's own axis order: northing first for
   * EPSG:4326, EPSG:4258 and EPSG:3035 (1.1.1 and CRS:84 are always x,y).
   */
  northingFirst: boolean;
  /** Area of use, degrees [west, south, east, north]. */
  area: Bounds;
  /** Projected or geographic x,y (east, north order) from lon/lat in degrees. */
  fromLonLat(lon: number, lat: number): [number, number];
  toLonLat(x: number, y: number): [number, number];
}

const LAMBERT_93 = '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';
const ETRS89_LAEA = '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';

function projected(def: string): Pick<CrsDef, 'fromLonLat' | 'toLonLat'> {
  const p = proj4('EPSG:4326', def);
  return {
    fromLonLat: (lon, lat) => p.forward([lon, lat]) as [number, number],
    toLonLat: (x, y) => p.inverse([x, y]) as [number, number],
  };
}

// ETRS89 and WGS 84 differ by well under a metre in Europe: the same lon/lat.
const identity: Pick<CrsDef, 'fromLonLat' | 'toLonLat'> = { fromLonLat: (lon, lat) => [lon, lat], toLonLat: (x, y) => [x, y] };

export const SUPPORTED_CRS: readonly CrsDef[] = Object.freeze([
  { code: 'EPSG:3857', title: 'WGS 84 / Pseudo-Mercator', geographic: false, northingFirst: false, area: [-180, -85.06, 180, 85.06], fromLonLat: lonLatToMercator, toLonLat: mercatorToLonLat },
  { code: 'EPSG:2154', title: 'RGF93 v1 / Lambert-93', geographic: false, northingFirst: false, area: [-9.86, 41.15, 10.38, 51.56], ...projected(LAMBERT_93) },
  { code: 'EPSG:4326', title: 'WGS 84', geographic: true, northingFirst: true, area: [-180, -90, 180, 90], ...identity },
  { code: 'CRS:84', title: 'WGS 84 (longitude, latitude)', geographic: true, northingFirst: false, area: [-180, -90, 180, 90], ...identity },
  { code: 'EPSG:4258', title: 'ETRS89', geographic: true, northingFirst: true, area: [-16.1, 32.88, 40.18, 84.73], ...identity },
  { code: 'EPSG:3035', title: 'ETRS89-extended / LAEA Europe', geographic: false, northingFirst: true, area: [-35.58, 24.6, 44.83, 84.73], ...projected(ETRS89_LAEA) },
]);

/**
 * A CRS by the name a client uses: `EPSG:2154`, `epsg:2154`,
 * `urn:ogc:def:crs:EPSG::2154`, `http://www.opengis.net/def/crs/EPSG/0/2154`,
 * `CRS:84`; undefined when we do not support it.
 */
export function findCrs(name: string): CrsDef | undefined {
  const n = name.trim().toUpperCase();
  let code = n;
  const urn = /^URN:OGC:DEF:CRS:(EPSG|OGC):[^:]*:(.+)$/.exec(n);
  const uri = /^HTTPS?:\/\/WWW\.OPENGIS\.NET\/DEF\/CRS\/(EPSG|OGC)\/[^/]+\/(.+)$/.exec(n);
  const m = urn ?? uri;
  if (m) code = m[1] === 'OGC' ? (m[2] === 'CRS84' ? 'CRS:84' : `CRS:${m[2]}`) : `EPSG:${m[2]}`;
  if (code === 'EPSG:900913' || code === 'EPSG:3785') code = 'EPSG:3857';
  return SUPPORTED_CRS.find((c) => c.code === code);
}

/** The CRS whose code is given (programming error when it is not supported). */
export function crsByCode(code: string): CrsDef {
  const c = findCrs(code);
  if (!c) throw new Error(`CRS ${code} is not in SUPPORTED_CRS`);
  return c;
}

/** The OGC URN of a CRS, as WMTS capabilities spell SupportedCRS. */
export function crsUrn(c: CrsDef): string {
  if (c.code === 'CRS:84') return 'urn:ogc:def:crs:OGC:1.3:CRS84';
  return `urn:ogc:def:crs:EPSG::${c.code.slice('EPSG:'.length)}`;
}

/** A lon/lat box in a CRS, east/north order, from a lattice of points (edges of projected boxes bulge). */
export function boundsInCrs(c: CrsDef, b: Bounds): [number, number, number, number] {
  const [w, s, e, n] = c.code === 'EPSG:3857' ? [b[0], Math.max(b[1], -85.0511287798066), b[2], Math.min(b[3], 85.0511287798066)] : b;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const k = 8;
  for (let i = 0; i <= k; i++) {
    for (let j = 0; j <= k; j++) {
      const [x, y] = c.fromLonLat(w + ((e - w) * i) / k, s + ((n - s) * j) / k);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x);
      y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  return [x0, y0, x1, y1];
}
