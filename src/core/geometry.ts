/**
 * Geometry exchanged between the OSM reader, the schema and the tiler.
 * Coordinates are normalized Web Mercator world coordinates: x in [0,1] west→east,
 * y in [0,1] north→south (see tile_math.lonToX/latToY), stored flat as
 * [x0, y0, x1, y1, …] in Float64Arrays. Rings are closed (last point = first).
 * Winding is not guaranteed here: the MVT encoder normalizes it.
 */
export interface PointGeometry {
  type: 'point';
  /** One or more points, flat. */
  coords: Float64Array;
}
export interface LineGeometry {
  type: 'line';
  /** One or more parts (a multi-line), each flat. */
  lines: Float64Array[];
}
export interface PolygonGeometry {
  type: 'polygon';
  /** One or more polygons, each [outer, ...holes], each ring flat and closed. */
  polygons: Float64Array[][];
}
export type Geometry = PointGeometry | LineGeometry | PolygonGeometry;

/** [minX, minY, maxX, maxY] in world coordinates. */
export type WorldBBox = [number, number, number, number];

export function bboxOfCoords(coords: Float64Array, into?: WorldBBox): WorldBBox {
  const b: WorldBBox = into ?? [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < coords.length; i += 2) {
    const x = coords[i], y = coords[i + 1];
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return b;
}

export function geometryBBox(g: Geometry): WorldBBox {
  const b: WorldBBox = [Infinity, Infinity, -Infinity, -Infinity];
  if (g.type === 'point') bboxOfCoords(g.coords, b);
  else if (g.type === 'line') for (const l of g.lines) bboxOfCoords(l, b);
  else for (const p of g.polygons) bboxOfCoords(p[0], b);
  return b;
}

/** Signed shoelace area of a flat ring in its own units (positive = clockwise on screen, y down). */
export function ringArea(ring: Float64Array): number {
  if (ring.length < 2) return 0;
  // relative to the first vertex: products of absolute coordinates cancel catastrophically on small rings
  const x0 = ring[0], y0 = ring[1];
  let s = 0;
  for (let i = 0; i + 3 < ring.length; i += 2) s += (ring[i] - x0) * (ring[i + 3] - y0) - (ring[i + 2] - x0) * (ring[i + 1] - y0);
  return s / 2;
}
