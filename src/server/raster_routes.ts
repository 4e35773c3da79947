/**
 * Raster endpoints of a style:
 *   /styles/{id}/{z}/{x}/{y}[@2x|@3x].{png,jpg,jpeg,webp}         256 px tiles
 *   /styles/{id}/512/{z}/{x}/{y}[@2x|@3x].{fmt}                    512 px tiles
 *   /styles/{id}.json                                             raster TileJSON
 *   /styles/{id}/static/{lon},{lat},{zoom}[@{bearing}[,{pitch}]]/{w}x{h}[@2x].{fmt}
 *   /styles/{id}/static/{minx},{miny},{maxx},{maxy}/{w}x{h}[@2x].{fmt}
 *   /styles/{id}/static/auto/{w}x{h}[@2x].{fmt}?path=…&marker=…
 *   /styles/{id}/static/raw/…  (tileserver-gl: EPSG:3857 coordinates; also its latlng=1, stroke=, width=, fill=, padding=: ./static_params.ts)
 * Static zooms are MapLibre zooms (512 px world at zoom 0), as in GL JS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';
import { TuilerieError } from '../core/errors.js';
import { baseUrl, type BaseUrlSettings } from './base_url.js';
import { clientGoneSignal } from './client_gone.js';
import { cacheOutcomeOf } from './access_log.js';
import { labelledRoute } from './metrics.js';
import { sendBytes, sendJson, writeRepresentation } from './conditional_http.js';
import { corsApplier } from './cors.js';
import { CONTENT_TYPES, parseImageFormat } from '../render/image_codec.js';
import type { RasterStack } from '../render/raster_stack.js';
import type { FeatureRouter, ServerDeps } from './server_deps.js';
import type { StaticCamera } from '../render/static_map.js';
import type { RasterStyle } from '../render/raster_tile_service.js';
import { paddingPixels, rawViewToLonLat, tileserverLineStyle, tileserverMarker, tileserverPath } from './static_params.js';
import { parseLonLat, parseMarkerParam, parsePathParam, type StaticOverlays } from '../render/static_overlays.js';

export interface RasterRoutesDeps {
  /** The tile service and static renderer of the composition root. */
  stack: Pick<RasterStack, 'tiles' | 'statics'>;
  /** How the TileJSON's public base URL is found (default: from Host). */
  urls?: BaseUrlSettings;
  /** Cache-Control of images and TileJSON. */
  cacheControl?: string;
  /** The styles drawn as images (for /rendered.json). */
  renderedStyles?: () => RasterStyle[];
}

const TILE_PATH = labelledRoute(/^\/styles\/([^/]+)\/(?:(256|512)\/)?(\d+)\/(\d+)\/(\d+)(?:@([23])x)?\.(png|jpe?g|webp)$/, '/styles/:id/:z/:x/:y.:fmt');
const TILEJSON_PATH = labelledRoute(/^\/styles\/(?:(256|512)\/)?([^/]+)\.json$/, '/styles/:id.json');
const RENDERED_PATH = labelledRoute(/^\/(?:(256|512)\/)?rendered\.json$/, '/rendered.json');
const STATIC_PATH = labelledRoute(/^\/styles\/([^/]+)\/static\/(?:(raw)\/)?([^/]+)\/(\d+)x(\d+)(?:@([23])x)?\.(png|jpe?g|webp)$/, '/styles/:id/static/:view/:size.:fmt');

type Params = Record<string, unknown>;

function queryList(params: Params, name: string): string[] {
  const v = params[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (typeof x !== 'string') throw new TuilerieError('BAD_REQUEST', `${name}= must be a string`);
    return x;
  });
}

/**
 * The parameters of a static map: the query, and for a POST (tileserver-gl's) its JSON
 * body too, numbers and booleans taken as their text (`{"path": ["…", "…"], "padding": 0.1}`).
 */
function staticParams(req: Request): Params {
  const body: unknown = req.body;
  if (req.method !== 'POST') return req.query;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TuilerieError('BAD_REQUEST', 'POST a static map with a JSON object of its parameters (e.g. {"path": ["7.33,47.75|7.34,47.76"]})');
  const out: Params = { ...req.query };
  const text = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
  for (const [k, v] of Object.entries(body)) out[k] = Array.isArray(v) ? v.map(text) : text(v);
  return out;
}

export function parseStaticCamera(s: string): StaticCamera {
  if (s === 'auto') return { kind: 'auto' };
  const [pos, angles] = s.split('@');
  const p = pos.split(',');
  if (p.length === 4 && angles === undefined) {
    const b = p.map(Number);
    if (b.some((n) => !Number.isFinite(n)) || b[0] >= b[2] || b[1] >= b[3] || b[0] < -180 || b[2] > 180 || b[1] < -85.06 || b[3] > 85.06) {
      throw new TuilerieError('BAD_REQUEST', `static bounds "${pos}": expected minlon,minlat,maxlon,maxlat with min < max`);
    }
    return { kind: 'bounds', bounds: [b[0], b[1], b[2], b[3]] };
  }
  if (p.length !== 3) throw new TuilerieError('BAD_REQUEST', `static view "${s}": use lon,lat,zoom[@bearing[,pitch]], minlon,minlat,maxlon,maxlat or auto`);
  const center = parseLonLat(`${p[0]},${p[1]}`, 'static centre');
  const zoom = Number(p[2]);
  if (!Number.isFinite(zoom) || zoom < 0 || zoom > 22) throw new TuilerieError('BAD_REQUEST', `static zoom must be from 0 to 22 (got "${p[2]}")`);
  let bearing = 0, pitch = 0;
  if (angles !== undefined) {
    const [b, pt] = angles.split(',').map(Number);
    if (!Number.isFinite(b) || (pt !== undefined && (!Number.isFinite(pt) || pt < 0 || pt > 60))) throw new TuilerieError('BAD_REQUEST', `static bearing/pitch "${angles}": bearing in degrees, pitch 0–60`);
    bearing = b;
    pitch = pt ?? 0;
  }
  return { kind: 'center', center, zoom, bearing, pitch };
}

/** The TileJSON of a style's raster tiles (256 px, or tileserver-gl's /512/ tiles). */
export function rasterTileJson(o: { style: RasterStyle; base: string; ext: string; tileSize: 256 | 512 }): Record<string, unknown> {
  const { style } = o;
  return {
    tilejson: '3.0.0',
    id: style.id,
    name: style.name ?? style.id,
    attribution: style.attribution,
    scheme: 'xyz',
    format: o.ext,
    type: 'baselayer',
    tileSize: o.tileSize,
    minzoom: 0,
    maxzoom: Math.min(22, style.maxzoom + (o.tileSize === 512 ? 1 : 2)),
    bounds: style.bounds ?? [-180, -85.0511, 180, 85.0511],
    center: style.center,
    tiles: [`${o.base}/styles/${encodeURIComponent(style.id)}${o.tileSize === 512 ? '/512' : ''}/{z}/{x}/{y}.${o.ext}`],
  };
}

export function createRasterRouter(deps: RasterRoutesDeps): express.Router {
  const router = express.Router();
  const cacheControl = deps.cacheControl ?? 'public, max-age=3600';

  router.get(TILE_PATH, async (req: Request, res: Response) => {
    const m = TILE_PATH.exec(req.path)!;
    const format = parseImageFormat(m[7]);
    const tile = await deps.stack.tiles.getTile({
      styleId: decodeURIComponent(m[1]),
      tileSize: m[2] === '512' ? 512 : 256,
      z: Number(m[3]),
      x: Number(m[4]),
      y: Number(m[5]),
      scale: m[6] ? Number(m[6]) : 1,
      format,
      signal: clientGoneSignal(res),
    }, cacheOutcomeOf(res));
    await sendBytes(req, res, tile.data, { etag: tile.etag, contentType: CONTENT_TYPES[format], cacheControl });
  });

  // tileserver-gl's /styles[/{tileSize}]/{id}.json
  router.get(TILEJSON_PATH, async (req: Request, res: Response) => {
    const m = TILEJSON_PATH.exec(req.path)!;
    const style = await deps.stack.tiles.requireStyle(decodeURIComponent(m[2]));
    const base = baseUrl(req, res, deps.urls ?? { publicUrl: '', trustProxy: false });
    const format = typeof req.query.format === 'string' ? parseImageFormat(req.query.format) : 'png';
    await sendJson(req, res, rasterTileJson({ style, base, ext: format === 'jpeg' ? 'jpg' : format, tileSize: m[1] === '512' ? 512 : 256 }), { cacheControl });
  });

  // tileserver-gl's list of rendered tilesets, [/{tileSize}]/rendered.json: the raster TileJSON of every style
  router.get(RENDERED_PATH, async (req: Request, res: Response) => {
    const base = baseUrl(req, res, deps.urls ?? { publicUrl: '', trustProxy: false });
    const tileSize = RENDERED_PATH.exec(req.path)![1] === '512' ? 512 : 256;
    await sendJson(req, res, (deps.renderedStyles?.() ?? []).map((style) => rasterTileJson({ style, base, ext: 'png', tileSize })), { cacheControl });
  });

  const staticMap = async (req: Request, res: Response) => {
    const m = STATIC_PATH.exec(req.path)!;
    const params = staticParams(req);
    const format = parseImageFormat(m[7]);
    const width = Number(m[4]), height = Number(m[5]), scale = m[6] ? Number(m[6]) : 1;
    const { tiles, statics } = deps.stack;
    statics.checkSize(width, height, scale);
    const coordinates = { raw: m[2] === 'raw', latlng: /^(1|true)$/.test(queryList(params, 'latlng')[0] ?? '') };
    const view = decodeURIComponent(m[3]);
    const camera = parseStaticCamera(coordinates.raw ? rawViewToLonLat(view) : view);
    const overlays: StaticOverlays = {
      paths: queryList(params, 'path').map((v) => parsePathParam(tileserverPath(v, params, coordinates))),
      markers: queryList(params, 'marker').map((v) => parseMarkerParam(tileserverMarker(v, coordinates))),
      ...tileserverLineStyle(params),
    };
    if (overlays.paths.length + overlays.markers.length > 100) throw new TuilerieError('BAD_REQUEST', 'at most 100 path= and marker= overlays');
    const padding = paddingPixels(queryList(params, 'padding')[0], width, height);
    if (padding !== undefined && padding > Math.min(width, height) / 2) throw new TuilerieError('BAD_REQUEST', 'padding= must be pixels from 0 to half the smaller side');
    const maxZoomParam = queryList(params, 'maxzoom')[0];
    const maxZoom = maxZoomParam === undefined ? undefined : Number(maxZoomParam);
    if (maxZoom !== undefined && !(maxZoom >= 0 && maxZoom <= 24)) throw new TuilerieError('BAD_REQUEST', 'maxzoom= must be a zoom from 0 to 24');
    const style = await tiles.requireStyle(decodeURIComponent(m[1]));
    const image = await statics.render({ style, camera, width, height, scale, format, overlays, padding, maxZoom, signal: clientGoneSignal(res) });
    await sendBytes(req, res, image, { contentType: CONTENT_TYPES[format], cacheControl });
  };
  router.get(STATIC_PATH, staticMap);
  // tileserver-gl takes the parameters of long paths as a JSON body
  router.post(STATIC_PATH, express.json({ limit: '1mb' }), staticMap);

  return router;
}

// ---- wiring into the server ---------------------------------------------------------------

const FAST_TILE_URL = /^\/styles\/([A-Za-z0-9_][A-Za-z0-9_.-]*)\/(?:(256|512)\/)?(\d{1,2})\/(\d{1,10})\/(\d{1,10})(?:@([23])x)?\.(png|jpg|jpeg|webp)$/;

/**
 * Rendered tiles already in the memory cache, answered before Express (as
 * tile_fast_path.ts does for vector tiles): routing through every feature router
 * costs more than the hit itself. Anything else falls through to the routes.
 */
export function rasterFastPath(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const cors = corsApplier(deps.config.cors);
  const cacheControl = deps.config.cache.control.tiles;
  return (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url) return false;
    const stack = deps.services.raster;
    const m = FAST_TILE_URL.exec(req.url);
    if (!m) return false;
    const style = stack.tiles.styles.peek?.(m[1]);
    if (!style) return false;
    const format = parseImageFormat(m[7]);
    const key = stack.tiles.keyOf(style, { z: Number(m[3]), x: Number(m[4]), y: Number(m[5]), tileSize: m[2] === '512' ? 512 : 256, scale: m[6] ? Number(m[6]) : 1, format });
    const hit = stack.memory.get(key);
    if (!hit) return false;
    const start = process.hrtime.bigint();
    cacheOutcomeOf(res).hit = true;
    cors(req, res);
    writeRepresentation(req, res, hit, { contentType: CONTENT_TYPES[format], cacheControl });
    deps.metrics.observe(RASTER_TILE_ROUTE, res.statusCode, Number(process.hrtime.bigint() - start) / 1e9, res.statusCode === 200 && req.method === 'GET' ? hit.data.length : 0);
    return true;
  };
}

/** Metrics label of raster tiles, on both paths. */
export const RASTER_TILE_ROUTE = '/styles/:id/:z/:x/:y.:fmt';

export const rasterRoutes: FeatureRouter = (deps) => {
  const renderedStyles = () => deps.styles.rendered().map((e) => deps.catalog.resolveEntry(e, { baseUrl: deps.services.internalBaseUrl }));
  // /index.json lists them beside the data, as tileserver-gl's does
  deps.indexEntries.push((base) => renderedStyles().map((style) => rasterTileJson({ style, base, ext: 'png', tileSize: 256 })));
  return createRasterRouter({ stack: deps.services.raster, urls: deps.config, cacheControl: deps.config.cache.control.tiles, renderedStyles });
};
