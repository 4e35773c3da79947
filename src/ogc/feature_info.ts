/**
 * What a click on a rendered map hits, read back from the vector tiles the
 * map was drawn from. The clicked pixel's centre goes through the CRS to Web
 * Mercator (as the renderer maps pixels); the map's scale there gives the
 * MapLibre zoom the renderer drew at, hence the style layers drawn and the
 * tile zoom (clamped to the source's range, as MapLibre overzooms). In the
 * tile holding the point, each feature of a drawn source-layer that a drawing
 * layer's filter keeps is hit when the click falls inside its polygon (fills,
 * symbols) or within a few pixels of its line, outline or point. Hits are
 * listed topmost first: points, then lines, then polygons; among those the
 * nearest first, then by the highest style layer drawing them. Geometry
 * comes back in lon/lat, clipped to the tile and its buffer. Only the tile
 * holding the point is read: the OpenMapTiles buffers (4 px of a 256 px tile
 * or more, 8 map pixels at the tile's zoom) cover the tolerances.
 */
import type { VectorTile, VectorTileFeature } from '@mapbox/vector-tile';
import type { Geometry, Position } from 'geojson';
import { EARTH_CIRCUMFERENCE, mercatorToLonLat } from '../core/tile_math.js';
import type { FeatureInfoPixel } from './feature_info_request.js';
import { ReprojectedMap } from './reprojected_map.js';
import { queryLayersAt, type FilterFeature, type QueryLayer } from './style_query_layers.js';
import { distanceToLines, distanceToPoints, insideRings, type XY } from './tile_hit_test.js';

/** Where a click lands and at what scale. */
export interface QueryPoint {
  lon: number;
  lat: number;
  /** Web Mercator world coordinates in [0, 1], y down. */
  x: number;
  y: number;
  /** Web Mercator metres per map pixel at the point. */
  resolution: number;
  /** MapLibre zoom (512 px world at 0) the renderer draws that resolution at. */
  zoom: number;
}

/** Vector tiles of a style's sources, by style source name. */
export interface VectorTileReader {
  /** Zoom range of the data behind a style source; undefined when we do not serve it. */
  zoomRange(source: string): { minzoom: number; maxzoom: number } | undefined;
  /** The decoded tile, or undefined when the archive has none there. */
  tile(source: string, z: number, x: number, y: number): Promise<VectorTile | undefined>;
}

export interface FeatureHit {
  /** Style source and source-layer (OpenMapTiles layer: poi, building, transportation_name, …). */
  source: string;
  sourceLayer: string;
  /** The style layers drawing it there, bottom to top. */
  styleLayers: string[];
  /** The tile feature id (OpenMapTiles: derived from the OSM id), when the tile has one. */
  id?: number;
  properties: Record<string, string | number | boolean>;
  /** In lon/lat, clipped to the tile. */
  geometry: Geometry;
}

export interface FeatureQueryOptions {
  /** Where the style's vector tiles come from. */
  reader: VectorTileReader;
  /** At most this many hits (after sorting). */
  featureCount: number;
  /** Map pixels around a point feature that still hit it (default 8: icons and labels are drawn larger than a pixel). */
  pointTolerance?: number;
  /** Map pixels around a line or outline that still hit it (default 5). */
  lineTolerance?: number;
}

const DEFAULT_POINT_TOLERANCE = 8;
const DEFAULT_LINE_TOLERANCE = 5;
const COORD_DIGITS = 1e7;

/** The centre of the clicked pixel in Web Mercator, with the map's resolution there; undefined off the Mercator world. */
export function queryPointOf(p: FeatureInfoPixel): QueryPoint | undefined {
  const toMerc = ReprojectedMap.outputToMercator(p);
  const cx = p.i + 0.5, cy = p.j + 0.5;
  const [mx, my] = toMerc(cx, cy);
  if (!Number.isFinite(mx) || !Number.isFinite(my)) return undefined;
  // as the renderer plans its Mercator view: the finer of the two pixel directions
  const [ex, ey] = toMerc(cx + 1, cy);
  const [sx, sy] = toMerc(cx, cy + 1);
  let resolution = Math.min(Math.hypot(ex - mx, ey - my), Math.hypot(sx - mx, sy - my));
  if (!Number.isFinite(resolution) || resolution <= 0) {
    const [bx, by] = toMerc(cx - 1, cy - 1);
    resolution = Math.hypot(bx - mx, by - my) / Math.SQRT2;
  }
  if (!Number.isFinite(resolution) || resolution <= 0) return undefined;
  const [lon, lat] = mercatorToLonLat(mx, my);
  return {
    lon,
    lat,
    x: mx / EARTH_CIRCUMFERENCE + 0.5,
    y: 0.5 - my / EARTH_CIRCUMFERENCE,
    resolution,
    zoom: Math.log2(EARTH_CIRCUMFERENCE / (512 * resolution)),
  };
}

interface Candidate {
  hit: FeatureHit;
  /** 0 point, 1 line, 2 polygon: what lies on top of what. */
  rank: number;
  /** Whole map pixels from the click (0 inside a polygon): the nearer of two points or lines first. */
  pixels: number;
  /** Index of the topmost style layer drawing it. */
  top: number;
  /** Reading order, to keep equal hits stable. */
  seq: number;
}

function roundPositions(c: unknown): unknown {
  if (typeof c === 'number') return Math.round(c * COORD_DIGITS) / COORD_DIGITS;
  return Array.isArray(c) ? c.map(roundPositions) : c;
}

function roundGeometry(g: Geometry): Geometry {
  if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map(roundGeometry) };
  return { ...g, coordinates: roundPositions(g.coordinates) as Position[] } as Geometry;
}

/** How far (tile units) the click is from what one style layer draws of the feature, when within reach; else undefined. */
function layerHit(type: QueryLayer['type'], feature: { kind: 1 | 2 | 3; geometry: XY[][] }, ctx: HitContext): number | undefined {
  const { kind, geometry } = feature;
  const { px, py, tol } = ctx;
  const within = (d: number, t: number) => (d <= t ? d : undefined);
  if (kind === 1) return type === 'fill' || type === 'fill-extrusion' || type === 'line' ? undefined : within(distanceToPoints(geometry, px, py), tol.point);
  if (kind === 2) {
    if (type === 'fill' || type === 'fill-extrusion') return undefined;
    return within(distanceToLines(geometry, px, py, false), type === 'line' || type === 'symbol' ? tol.line : tol.point);
  }
  if (type === 'line') return within(distanceToLines(geometry, px, py, true), tol.line);
  if (type === 'circle' || type === 'heatmap') return within(distanceToPoints(geometry, px, py), tol.point);
  // fills, and the labels symbol layers place inside polygons
  return insideRings(geometry, px, py) ? 0 : undefined;
}

interface HitContext {
  zoom: number;
  /** The click, tile units. */
  px: number;
  py: number;
  tol: { point: number; line: number };
}

function featureCandidate(f: VectorTileFeature, layers: QueryLayer[], ctx: HitContext): { top: number; distance: number; styleLayers: string[] } | undefined {
  if (f.type !== 1 && f.type !== 2 && f.type !== 3) return undefined;
  // Most features of a tile are far from the click: their bounding box (a scan of the
  // geometry, no allocation) rules them out before filters run and geometry is built.
  const reach = Math.max(ctx.tol.point, ctx.tol.line);
  const [x1, y1, x2, y2] = f.bbox();
  if (ctx.px < x1 - reach || ctx.px > x2 + reach || ctx.py < y1 - reach || ctx.py > y2 + reach) return undefined;
  const filterFeature: FilterFeature = { type: f.type, id: f.id, properties: f.properties };
  let geometry: XY[][] | undefined;
  const styleLayers: string[] = [];
  let top = -1, distance = Infinity;
  for (const l of layers) {
    if (!l.accepts(ctx.zoom, filterFeature)) continue;
    geometry ??= f.loadGeometry();
    const d = layerHit(l.type, { kind: f.type, geometry }, ctx);
    if (d === undefined) continue;
    styleLayers.push(l.id);
    top = Math.max(top, l.index);
    distance = Math.min(distance, d);
  }
  return top < 0 ? undefined : { top, distance, styleLayers };
}

/** The features a click hits in the vector tiles a style draws, topmost first, at most `featureCount`. */
export async function queryFeatures(style: Readonly<Record<string, unknown>>, point: QueryPoint, opts: FeatureQueryOptions): Promise<FeatureHit[]> {
  const { reader } = opts;
  const bySource = new Map<string, QueryLayer[]>();
  for (const l of queryLayersAt(style, point.zoom)) {
    const list = bySource.get(l.source);
    if (list) list.push(l);
    else bySource.set(l.source, [l]);
  }
  const candidates: Candidate[] = [];
  let seq = 0;
  for (const [source, layers] of bySource) {
    const range = reader.zoomRange(source);
    if (!range || point.zoom < range.minzoom) continue;
    const z = Math.max(range.minzoom, Math.min(range.maxzoom, Math.floor(point.zoom)));
    const n = 2 ** z;
    const tx = Math.min(n - 1, Math.max(0, Math.floor(point.x * n)));
    const ty = Math.min(n - 1, Math.max(0, Math.floor(point.y * n)));
    const tile = await reader.tile(source, z, tx, ty);
    if (!tile) continue;
    const bySourceLayer = new Map<string, QueryLayer[]>();
    for (const l of layers) bySourceLayer.set(l.sourceLayer, [...(bySourceLayer.get(l.sourceLayer) ?? []), l]);
    for (const [sourceLayer, drawing] of bySourceLayer) {
      const layer = tile.layers[sourceLayer];
      if (!layer) continue;
      const extent = layer.extent;
      // tile units per map pixel
      const unitsPerPixel = (point.resolution * n * extent) / EARTH_CIRCUMFERENCE;
      const ctx: HitContext = {
        zoom: point.zoom,
        px: (point.x * n - tx) * extent,
        py: (point.y * n - ty) * extent,
        tol: { point: (opts.pointTolerance ?? DEFAULT_POINT_TOLERANCE) * unitsPerPixel, line: (opts.lineTolerance ?? DEFAULT_LINE_TOLERANCE) * unitsPerPixel },
      };
      for (let k = 0; k < layer.length; k++) {
        const f = layer.feature(k);
        const c = featureCandidate(f, drawing, ctx);
        if (!c) continue;
        const hit: FeatureHit = { source, sourceLayer, styleLayers: c.styleLayers, properties: { ...f.properties }, geometry: roundGeometry(f.toGeoJSON(tx, ty, z).geometry) };
        if (f.id !== undefined) hit.id = f.id;
        candidates.push({ hit, rank: f.type - 1, pixels: Math.floor(c.distance / unitsPerPixel), top: c.top, seq: seq++ });
      }
    }
  }
  candidates.sort((a, b) => a.rank - b.rank || a.pixels - b.pixels || b.top - a.top || a.seq - b.seq);
  return candidates.slice(0, Math.max(0, opts.featureCount)).map((c) => c.hit);
}
