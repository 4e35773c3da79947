/** Web Mercator tile arithmetic shared by every module. Pure functions only. */

export const EARTH_RADIUS = 6378137;
export const EARTH_CIRCUMFERENCE = 2 * Math.PI * EARTH_RADIUS;
export const MAX_LAT = 85.0511287798066;

export interface TileCoord { z: number; x: number; y: number }
/** [west, south, east, north] in degrees. */
export type Bounds = [number, number, number, number];

/** Longitude to world x in [0, 1]. */
export function lonToX(lon: number): number {
  return (lon + 180) / 360;
}
/** Latitude to world y in [0, 1] (0 at the north edge). */
export function latToY(lat: number): number {
  const l = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const s = Math.sin((l * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
}
export function xToLon(x: number): number {
  return x * 360 - 180;
}
export function yToLat(y: number): number {
  const n = Math.PI - 2 * Math.PI * y;
  return (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
}

/** EPSG:3857 metres from degrees. */
export function lonLatToMercator(lon: number, lat: number): [number, number] {
  return [(lonToX(lon) - 0.5) * EARTH_CIRCUMFERENCE, (0.5 - latToY(lat)) * EARTH_CIRCUMFERENCE];
}
export function mercatorToLonLat(mx: number, my: number): [number, number] {
  return [xToLon(mx / EARTH_CIRCUMFERENCE + 0.5), yToLat(0.5 - my / EARTH_CIRCUMFERENCE)];
}

/** XYZ row to TMS row (MBTiles stores TMS rows). The flip is its own inverse. */
export function flipY(z: number, y: number): number {
  return (1 << z) - 1 - y;
}

export function isValidTile(z: number, x: number, y: number): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false;
  if (z < 0 || z > 30) return false;
  const n = 2 ** z;
  return x >= 0 && y >= 0 && x < n && y < n;
}

/** Bounds of a tile in degrees. */
export function tileBounds(z: number, x: number, y: number): Bounds {
  const n = 2 ** z;
  return [xToLon(x / n), yToLat((y + 1) / n), xToLon((x + 1) / n), yToLat(y / n)];
}

/** Tile containing a point at zoom z (clamped to the grid). */
export function lonLatToTile(lon: number, lat: number, z: number): TileCoord {
  const n = 2 ** z;
  const x = Math.min(n - 1, Math.max(0, Math.floor(lonToX(lon) * n)));
  const y = Math.min(n - 1, Math.max(0, Math.floor(latToY(lat) * n)));
  return { z, x, y };
}

/** Inclusive tile range covering bounds at zoom z. */
export function tileRange(bounds: Bounds, z: number): { minX: number; minY: number; maxX: number; maxY: number } {
  const a = lonLatToTile(bounds[0], bounds[3], z);
  const b = lonLatToTile(bounds[2], bounds[1], z);
  return { minX: a.x, minY: a.y, maxX: b.x, maxY: b.y };
}

/** Metres per pixel at a latitude for a zoom and tile size. */
export function metresPerPixel(lat: number, z: number, tileSize = 256): number {
  return (EARTH_CIRCUMFERENCE * Math.cos((lat * Math.PI) / 180)) / (tileSize * 2 ** z);
}

/** A compact numeric key for a tile (count of all tiles of lower zooms + row-major index), unique and exact up to z 26. */
export function tileKey(z: number, x: number, y: number): number {
  return (4 ** z - 1) / 3 + y * 2 ** z + x;
}

/** Inverse of tileKey. */
export function tileFromKey(key: number): TileCoord {
  let z = 0;
  while ((4 ** (z + 1) - 1) / 3 <= key) z++;
  const i = key - (4 ** z - 1) / 3;
  const n = 2 ** z;
  return { z, x: i % n, y: Math.floor(i / n) };
}
