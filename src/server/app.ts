/**
 * The Express application: shared middleware, then one router per feature, then
 * the 404 and error mapping. No route logic lives here.
 *
 * ## Adding a router (fonts, sprites, viewer, raster, ogc, routing, print, …)
 * 1. Create `src/server/<feature>_routes.ts` exporting
 *    `export const <feature>Routes: FeatureRouter = (deps) => { const router = express.Router(); …; return router; }`
 *    (`FeatureRouter` and `ServerDeps` are in ./server_deps.ts). A router only adapts HTTP:
 *    services it needs (renderers, queues, graphs) are built once in ./serving_services.ts
 *    and reach it as `deps.services`; never build them lazily or keep them in module maps. Declare full paths
 *    (`router.get('/fonts/:fontstack/:range.pbf', …)`) and mount at '/'.
 * 2. Add ONE line to FEATURE_ROUTERS in ./feature_routers.ts:
 *    `{ name: 'fonts', mount: '/', create: fontRoutes },` (the viewer stays last: it owns '/').
 * 3. Answer through ./conditional_http.ts only (`sendRepresentation`, `sendBytes`,
 *    `sendJson`, `sendEmptyTile`): it does ETag/304, Cache-Control, Vary, gzip and
 *    HEAD. Take Cache-Control from `deps.config.cache.control.<kind>`.
 * 4. Fail by throwing (or `next(err)`) a `TuilerieError` with a code; ./error_mapping.ts
 *    maps codes to statuses. Express 5 forwards rejected promises from async handlers.
 *    Validate names with `assertSafeName` and tile coords with `parseTileCoords`
 *    (./params.ts); build absolute URLs with `baseUrl(req, res, deps.config)` (it adds the `Vary` they need).
 * 5. Long work (rendering, routing, PDFs) must not run on the request thread
 *    unbounded: queue it and throw OVERLOADED (→ 503) when the queue is full.
 * Tests can pass `routers` to createApp to mount only what they exercise.
 */
import express from 'express';
import { TuilerieError } from '../core/errors.js';
import type { TuilerieConfig } from '../config/config_types.js';
import type { TileCache } from '../cache/tile_cache.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { errorHandler, notFoundHandler } from './error_mapping.js';
import { FEATURE_ROUTERS } from './feature_routers.js';
import { Metrics } from './metrics.js';
import type { FeatureRouterEntry, ServerDeps, ServerState } from './server_deps.js';
import type { Catalog } from './catalog.js';
import type { ServingServices } from './serving_services.js';
import { TileService } from './tile_service.js';
import { corsMiddleware } from './cors.js';

export interface CreateAppOptions {
  config: TuilerieConfig;
  catalog: Catalog;
  /** Built by TuilerieServer after it listens; tests that mount only routers needing none may leave it out. */
  services?: ServingServices;
  cache: TileCache;
  logger?: Logger;
  /** Readiness; default ready (tests). The CLI passes `{ ready: false }` and flips it. */
  state?: ServerState;
  metrics?: Metrics;
  /** Routers to mount; default FEATURE_ROUTERS. */
  routers?: FeatureRouterEntry[];
}

export interface TuilerieApp {
  app: express.Express;
  deps: ServerDeps;
}

export function createApp(opts: CreateAppOptions): TuilerieApp {
  const metrics = opts.metrics ?? new Metrics();
  const deps: ServerDeps = {
    config: opts.config,
    catalog: opts.catalog,
    sources: opts.catalog.sources,
    styles: opts.catalog.styles,
    get services(): ServingServices {
      if (!opts.services) throw new TuilerieError('INTERNAL', 'this app was built without services: build it with TuilerieServer');
      return opts.services;
    },
    cache: opts.cache,
    tiles: new TileService(opts.cache),
    metrics,
    logger: opts.logger ?? silentLogger,
    state: opts.state ?? { ready: true },
    indexEntries: [],
  };
  metrics.addCollector(() => {
    const s = opts.cache.stats();
    return [
      { name: 'tuilerie_tile_cache_hits_total', help: 'Tile cache lookups that found an entry.', type: 'counter', value: s.hits },
      { name: 'tuilerie_tile_cache_misses_total', help: 'Tile cache lookups that did not.', type: 'counter', value: s.misses },
      { name: 'tuilerie_tile_cache_entries', help: 'Entries in the tile cache.', type: 'gauge', value: s.entries },
      { name: 'tuilerie_tile_cache_bytes', help: 'Bytes held by the tile cache.', type: 'gauge', value: s.bytes },
      { name: 'tuilerie_sources', help: 'Tile sources being served.', type: 'gauge', value: opts.catalog.sources.list().length },
      { name: 'tuilerie_styles', help: 'Styles being served.', type: 'gauge', value: opts.catalog.styles.list().length },
      { name: 'process_resident_memory_bytes', help: 'Resident memory of the server process.', type: 'gauge', value: process.memoryUsage.rss() },
    ];
  });

  const app = express();
  app.disable('x-powered-by');
  // Our ETags are strong content hashes set by conditional_http; Express's own weak ones would shadow them.
  app.set('etag', false);
  app.use(metrics.middleware());
  app.use(corsMiddleware(opts.config.cors));
  for (const r of opts.routers ?? FEATURE_ROUTERS) {
    app.use(r.mount, r.create(deps));
  }
  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger, metrics));
  return { app, deps };
}
