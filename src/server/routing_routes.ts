/**
 * OSRM v1 HTTP API (`/route/v1`, `/nearest/v1`, `/table/v1`, `/trip/v1`) and the route demo
 * page (`/routing`). The graph comes from ./routing_graphs.ts (the `.routing` file
 * beside the first served MBTiles that has one). Errors
 * are answered in OSRM's form, `{ code, message }` with status 400, because that
 * is what OSRM clients parse (503 + Retry-After while `tuilerie start` still builds
 * the graph); the demo is static HTML using the viewer's MapLibre.
 */
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { OsrmError } from '../routing/osrm_params.js';
import type { OsrmService } from '../routing/osrm_service.js';
import { recordFailure } from './error_mapping.js';
import type { Metrics } from './metrics.js';
import type { FeatureRouter } from './server_deps.js';
import { packageRoot } from './viewer/package_root.js';

export interface RoutingRouterOptions {
  /** Returns the service, loading the graph when first needed; undefined when there is none. */
  service: () => OsrmService | undefined;
  logger?: Logger;
  /** Where failures are counted by code (OSRM's, e.g. InvalidOptions). */
  metrics?: Metrics;
  /** True while a graph is being built for this server: requests get 503 + Retry-After instead of 404. */
  preparing?: () => boolean;
}

/** Seconds a client is told to wait while the graph is being prepared. */
export const ROUTING_RETRY_AFTER_S = 30;

// Read from the source tree (as the viewer's static files are): tsc does not copy HTML.
const DEMO_HTML = path.join(packageRoot(), 'src', 'server', 'routing_demo.html');

export { loadOsrmService } from './routing_graphs.js';

export function createRoutingRouter(opts: RoutingRouterOptions): express.Router {
  const router = express.Router();
  const logger = opts.logger ?? silentLogger;
  const handle = (fn: (s: OsrmService, req: express.Request) => unknown): express.RequestHandler => (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      const s = opts.service();
      if (!s && opts.preparing?.()) {
        res.setHeader('Retry-After', String(ROUTING_RETRY_AFTER_S));
        res.status(503).json({ code: 'ServiceUnavailable', message: 'routing graph is being prepared: retry in a moment' });
        return;
      }
      if (!s) {
        res.status(404).json({ code: 'InvalidService', message: 'No routing graph is loaded: build one with `tuilerie route-build` or `tuilerie import --routing` beside the MBTiles' });
        return;
      }
      res.json(fn(s, req));
    } catch (e) {
      const status = e instanceof OsrmError ? 400 : 500;
      recordFailure({ method: req.method, url: req.originalUrl, status, code: e instanceof OsrmError ? e.code : 'InternalError', error: e }, { logger, metrics: opts.metrics });
      if (e instanceof OsrmError) {
        res.status(400).json({ code: e.code, message: e.message });
        return;
      }
      res.status(500).json({ code: 'InternalError', message: 'internal error' });
    }
  };
  const q = (req: express.Request): Record<string, unknown> => req.query as Record<string, unknown>;
  const p = (req: express.Request, k: string): string => String((req.params as Record<string, string>)[k]);
  router.get('/route/v1/:profile/:coordinates', handle((s, req) => s.route(p(req, 'profile'), p(req, 'coordinates'), q(req))));
  router.get('/nearest/v1/:profile/:coordinates', handle((s, req) => s.nearest(p(req, 'profile'), p(req, 'coordinates'), q(req))));
  router.get('/table/v1/:profile/:coordinates', handle((s, req) => s.table(p(req, 'profile'), p(req, 'coordinates'), q(req))));
  router.get('/trip/v1/:profile/:coordinates', handle((s, req) => s.trip(p(req, 'profile'), p(req, 'coordinates'), q(req))));
  // OSRM's map matching and debug tiles are not implemented: answered in OSRM's error shape, as clients parse it
  router.get(['/match/v1/:profile/:coordinates', '/tile/v1/:profile/:tile'], (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const service = req.path.startsWith('/match/') ? 'match' : 'tile';
    res.status(400).json({ code: 'NotImplemented', message: `The ${service} service is not implemented by this server: route, nearest, table and trip are` });
  });
  const services = ['route', 'nearest', 'table', 'trip'];
  router.get([...services.map((x) => `/${x}/v1`), ...services.map((x) => `/${x}/v1/:profile`)], (_req, res) => {
    res.status(400).json({ code: 'InvalidUrl', message: 'URL string malformed: expected /{service}/v1/{profile}/{lon,lat;lon,lat…}' });
  });
  // Always 200, so pages can ask whether routing is here without a 404 in the browser's console.
  router.get('/routing/status.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    let status: 'ready' | 'preparing' | 'absent';
    try {
      status = opts.service() ? 'ready' : opts.preparing?.() ? 'preparing' : 'absent';
    } catch (e) {
      logger.warn(`routing graph unavailable: ${(e as Error).message}`);
      status = 'absent';
    }
    res.json({ status, retryAfter: status === 'preparing' ? ROUTING_RETRY_AFTER_S : undefined });
  });
  router.get('/routing/info.json', handle((s) => {
    const net = s.router.data.network;
    let w = Infinity, so = Infinity, e = -Infinity, n = -Infinity;
    for (let i = 0; i < net.coordLon.length; i++) {
      w = Math.min(w, net.coordLon[i]); e = Math.max(e, net.coordLon[i]);
      so = Math.min(so, net.coordLat[i]); n = Math.max(n, net.coordLat[i]);
    }
    return { profiles: [...s.router.data.profiles.keys()], bounds: [w, so, e, n], meta: s.router.data.meta };
  }));
  router.get('/routing', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(fs.readFileSync(DEMO_HTML, 'utf8'));
  });
  return router;
}

/** The router the server mounts, over the routing graphs of the composition root. */
export const routingRoutes: FeatureRouter = (deps) => createRoutingRouter({
  service: () => deps.services.routing.current(),
  preparing: () => deps.services.routing.preparing(),
  logger: deps.logger,
  metrics: deps.metrics,
});
