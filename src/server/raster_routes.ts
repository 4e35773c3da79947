/**
 * Raster endpoints of a style:
 *   /styles/{id}/{z}/{x}/{y}[@2x|@3x].{png,jpg,jpeg,webp}         256 px tiles
 *   /styles/{id}/512/{z}/{x}/{y}[@2x|@3x].{fmt}                    512 px tiles
 *   /styles/{id}.json                                             raster TileJSON
 *   /styles/{id}/static/{lon},{lat},{zoom}[@{bearing}[,{pitch}]]/{w}x{h}[@2x].{fmt}
 *   /styles/{id}/static/{minx},{miny},{maxx},{maxy}/{w}x{h}[@2x].{fmt}
 *   /styles/{id}/static/auto/{w}x{h}[@2x].{fmt}?path=…&marker=…
 * Static zooms are MapLibre zooms (512 px world at zoom 0), as in GL JS.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
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
import type { RasterStyle, RasterStyleSource, RasterTileService } from '../render/raster_tile_service.js';
import { RasterStack, type RasterSettings } from '../render/raster_stack.js';
import { RedisTileCache } from '../cache/redis_tile_cache.js';
import { rewriteStyle } from '../styles/style_rewriter.js';
import type { FeatureRouter, ServerDeps } from './server_deps.js';
import { styleSourceResolver } from './style_routes.js';
import type { StaticCamera, StaticMapRenderer } from '../render/static_map.js';
import { parseLonLat, parseMarkerParam, parsePathParam, type StaticOverlays } from '../render/static_overlays.js';

export interface RasterRoutesDeps {
  /** The tile service and static renderer, built on first use (the renderer needs this server's address). */
  stack: (req: Request) => { tiles: RasterTileService; statics: StaticMapRenderer };
  /** How the TileJSON's public base URL is found (default: from Host). */
  urls?: BaseUrlSettings;
  /** Cache-Control of images and TileJSON. */
  cacheControl?: string;
}

const TILE_PATH = labelledRoute(/^\/styles\/([^/]+)\/(?:(256|512)\/)?(\d+)\/(\d+)\/(\d+)(?:@([23])x)?\.(png|jpe?g|webp)$/, '/styles/:id/:z/:x/:y.:fmt');
const TILEJSON_PATH = labelledRoute(/^\/styles\/([^/]+)\.json$/, '/styles/:id.json');
const STATIC_PATH = labelledRoute(/^\/styles\/([^/]+)\/static\/([^/]+)\/(\d+)x(\d+)(?:@([23])x)?\.(png|jpe?g|webp)$/, '/styles/:id/static/:view/:size.:fmt');

function queryList(req: Request, name: string): string[] {
  const v = req.query[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (typeof x !== 'string') throw new TuilerieError('BAD_REQUEST', `${name}= must be a string`);
    return x;
  });
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

export function createRasterRouter(deps: RasterRoutesDeps): express.Router {
  const router = express.Router();
  const cacheControl = deps.cacheControl ?? 'public, max-age=3600';

  router.get(TILE_PATH, async (req: Request, res: Response) => {
    const m = TILE_PATH.exec(req.path)!;
    const format = parseImageFormat(m[7]);
    const tile = await deps.stack(req).tiles.getTile({
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

  router.get(TILEJSON_PATH, async (req: Request, res: Response) => {
    const id = decodeURIComponent(TILEJSON_PATH.exec(req.path)![1]);
    const style = await deps.stack(req).tiles.requireStyle(id);
    const base = baseUrl(req, res, deps.urls ?? { publicUrl: '', trustProxy: false });
    const format = typeof req.query.format === 'string' ? parseImageFormat(req.query.format) : 'png';
    const ext = format === 'jpeg' ? 'jpg' : format;
    await sendJson(req, res, {
      tilejson: '3.0.0',
      name: style.name ?? style.id,
      attribution: style.attribution,
      scheme: 'xyz',
      format: ext,
      type: 'baselayer',
      tileSize: 256,
      minzoom: 0,
      maxzoom: Math.min(22, style.maxzoom + 2),
      bounds: style.bounds ?? [-180, -85.0511, 180, 85.0511],
      center: style.center,
      tiles: [`${base}/styles/${encodeURIComponent(style.id)}/{z}/{x}/{y}.${ext}`],
    }, { cacheControl });
  });

  router.get(STATIC_PATH, async (req: Request, res: Response) => {
    const m = STATIC_PATH.exec(req.path)!;
    const format = parseImageFormat(m[6]);
    const width = Number(m[3]), height = Number(m[4]), scale = m[5] ? Number(m[5]) : 1;
    const { tiles, statics } = deps.stack(req);
    statics.checkSize(width, height, scale);
    const camera = parseStaticCamera(decodeURIComponent(m[2]));
    const overlays: StaticOverlays = { paths: queryList(req, 'path').map(parsePathParam), markers: queryList(req, 'marker').map(parseMarkerParam) };
    if (overlays.paths.length + overlays.markers.length > 100) throw new TuilerieError('BAD_REQUEST', 'at most 100 path= and marker= overlays');
    const paddingParam = queryList(req, 'padding')[0];
    const padding = paddingParam === undefined ? undefined : Number(paddingParam);
    if (padding !== undefined && (!Number.isFinite(padding) || padding < 0 || padding > Math.min(width, height) / 2)) throw new TuilerieError('BAD_REQUEST', 'padding= must be pixels from 0 to half the smaller side');
    const style = await tiles.requireStyle(decodeURIComponent(m[1]));
    const image = await statics.render({ style, camera, width, height, scale, format, overlays, padding, signal: clientGoneSignal(res) });
    await sendBytes(req, res, image, { contentType: CONTENT_TYPES[format], cacheControl });
  });

  return router;
}

// ---- wiring into the server ---------------------------------------------------------------

/**
 * Styles of the registry as the renderer needs them: rewritten to fetch from
 * `internalBase` (this server on loopback), keyed by content, and versioned by
 * the data sources they read, so a new import makes rendered tiles stale.
 */
export function registryStyleSource(deps: ServerDeps, internalBase: string): RasterStyleSource {
  const memo = new Map<string, RasterStyle>();
  const get = (id: string): RasterStyle | undefined => {
    const entry = deps.styles.get(id);
    if (!entry) return undefined;
    const versions = deps.sources.list().map((s) => `${s.id}:${s.version}`).join(',');
    const memoKey = `${entry.id}\u0000${entry.generation}\u0000${versions}`;
    const hit = memo.get(memoKey);
    if (hit) return hit;
    const style = rewriteStyle(entry.style, { baseUrl: internalBase, styleId: entry.id, resolveSource: styleSourceResolver(deps, entry) });
    const read = Object.values((style.sources ?? {}) as Record<string, { url?: unknown }>)
      .map((src) => (typeof src.url === 'string' ? /\/data\/([^/]+)\.json$/.exec(src.url)?.[1] : undefined))
      .filter((x): x is string => x !== undefined)
      .map((x) => deps.sources.get(decodeURIComponent(x)))
      .filter((x) => x !== undefined);
    // hash the stored document, not the rewrite: the rewrite holds this process's port
    const hash = crypto.createHash('sha1').update(JSON.stringify(entry.style)).digest('base64url').slice(0, 16);
    const meta = read[0]?.metadata;
    const dataVersions = read.map((r) => `${r.id}:${r.version}`).join(',');
    const rs: RasterStyle = {
      id: entry.id,
      name: typeof entry.style.name === 'string' ? entry.style.name : entry.id,
      style,
      // the page reloads its map (and drops tiles of old data) when this changes
      styleKey: `${entry.id}:${hash}|${dataVersions}`,
      dataVersion: `${hash}|${dataVersions}`,
      minzoom: meta?.minzoom ?? 0,
      maxzoom: meta?.maxzoom ?? 14,
      bounds: meta?.bounds,
      center: meta?.center,
      attribution: meta?.attribution,
    };
    if (memo.size > 64) memo.clear();
    memo.set(memoKey, rs);
    return rs;
  };
  return { ids: () => deps.styles.list().map((e) => e.id), resolve: async (id) => get(id), peek: get };
}

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
    const stack = stacks.get(deps)?.stack;
    if (!stack) return false;
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

/** Where this server answers on the loopback side: the renderer fetches tiles, glyphs and sprites there. */
export function internalBaseUrl(req: Request): string {
  const server = (req.socket as unknown as { server?: { address(): AddressInfo | string | null } }).server;
  const addr = server?.address();
  const port = typeof addr === 'object' && addr ? addr.port : req.socket.localPort;
  let host = typeof addr === 'object' && addr ? addr.address : req.socket.localAddress ?? '127.0.0.1';
  if (host === '0.0.0.0' || host === '::' || host.startsWith('::ffff:127.') || host === '::1') host = '127.0.0.1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

interface StackHolder {
  stack?: RasterStack;
  /** Builds the stack on first use (it needs this server's loopback address from a request). */
  get: (req: Request) => RasterStack;
}

const stacks = new WeakMap<ServerDeps, StackHolder>();

/** The Redis tier shared by instances, when configured (cache.shared.redisUrl). */
function sharedTier(deps: ServerDeps): RedisTileCache | undefined {
  const c = deps.config.cache.shared;
  if (!c.redisUrl) return undefined;
  return new RedisTileCache({ url: c.redisUrl, prefix: c.prefix, ttlSeconds: c.ttlSeconds, lockMs: c.lockMs, timeoutMs: c.timeoutMs, logger: deps.logger.child('redis') });
}

/** Raster routes with settings other than the defaults (tests, the seed command). */
export function rasterRoutesWith(settings: Partial<RasterSettings> = {}): FeatureRouter {
  return (deps) => {
    const stack = (req: Request): RasterStack => {
      if (!holder.stack) {
        const base = internalBaseUrl(req);
        holder.stack = new RasterStack({
          styles: registryStyleSource(deps, base),
          allowedOrigins: [base],
          settings: { cacheDir: path.join(deps.config.dataDir, 'raster-cache'), queueWaitMs: deps.config.raster.queueWaitMs, ...settings },
          logger: deps.logger.child('raster'),
          shared: sharedTier(deps),
        });
      }
      return holder.stack;
    };
    const holder: StackHolder = { get: stack };
    stacks.set(deps, holder);
    deps.metrics.addCollector(() => {
      const p = holder.stack?.pool.stats();
      if (!p) return [];
      const m = (name: string, help: string, type: 'counter' | 'gauge', value: number) => ({ name: `tuilerie_render_${name}`, help, type, value });
      return [
        m('queued', 'Renders waiting for a browser page.', 'gauge', p.queued),
        m('active', 'Renders in progress.', 'gauge', p.active),
        m('renders_total', 'Renders done (metatiles and static maps).', 'counter', p.renders),
        m('rejected_total', 'Renders refused because the queue was full (503).', 'counter', p.rejected),
        m('timeouts_total', 'Renders past their time limit.', 'counter', p.timeouts),
        m('queue_timeouts_total', 'Renders given up after waiting raster.queueWaitMs for a renderer (503).', 'counter', p.queueTimeouts),
        m('cancelled_total', 'Renders dropped from the queue because their client went away.', 'counter', p.cancelled),
        m('abandoned_total', 'Renders stopped while drawing because nobody waited for them any more.', 'counter', p.abandoned),
        m('restarts_total', 'Browsers replaced after dying.', 'counter', p.restarts),
      ];
    });
    return createRasterRouter({ stack, urls: deps.config, cacheControl: deps.config.cache.control.tiles });
  };
}

export const rasterRoutes: FeatureRouter = rasterRoutesWith();

/** The raster stack of an app once a raster request built it (tests, metrics). */
export function rasterStackOf(deps: ServerDeps): RasterStack | undefined {
  return stacks.get(deps)?.stack;
}

/**
 * The raster stack of an app for other routers that render (WMTS/WMS): built on
 * first use like the raster routes' own, shared with them (one browser per
 * server). Undefined when no raster router is mounted.
 */
export function rasterStackFor(deps: ServerDeps, req: Request): RasterStack | undefined {
  return stacks.get(deps)?.get(req);
}

/** Closes the browser and caches of the raster routes of an app, if they were ever used. */
export async function closeRasterRoutes(deps: ServerDeps): Promise<void> {
  const h = stacks.get(deps);
  const s = h?.stack;
  if (h) h.stack = undefined;
  await s?.close();
}
