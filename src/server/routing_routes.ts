/**
 * OSRM v1 HTTP API (`/route/v1`, `/nearest/v1`, `/table/v1`, `/trip/v1`) and the route demo
 * page (`/routing`). The graph is the `.routing` file beside the first served
 * MBTiles that has one (`X.mbtiles` → `X.routing`), loaded on first use. Errors
 * are answered in OSRM's form, `{ code, message }` with status 400, because that
 * is what OSRM clients parse; the demo is static HTML using the viewer's MapLibre.
 */
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { OsrmError } from '../routing/osrm_params.js';
import { OsrmService } from '../routing/osrm_service.js';
import { Router } from '../routing/router.js';
import { readRoutingData } from '../routing/routing_data.js';
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
}

// Read from the source tree (as the viewer's static files are): tsc does not copy HTML.
const DEMO_HTML = path.join(packageRoot(), 'src', 'server', 'routing_demo.html');

/** Loads a `.routing` file into a ready OSRM service. */
export function loadOsrmService(file: string): OsrmService {
  return new OsrmService(new Router(readRoutingData(file)));
}

export function createRoutingRouter(opts: RoutingRouterOptions): express.Router {
  const router = express.Router();
  const logger = opts.logger ?? silentLogger;
  const handle = (fn: (s: OsrmService, req: express.Request) => unknown): express.RequestHandler => (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    try {
      const s = opts.service();
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
  const services = ['route', 'nearest', 'table', 'trip'];
  router.get([...services.map((x) => `/${x}/v1`), ...services.map((x) => `/${x}/v1/:profile`)], (_req, res) => {
    res.status(400).json({ code: 'InvalidUrl', message: 'URL string malformed: expected /{service}/v1/{profile}/{lon,lat;lon,lat…}' });
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

/**
 * The router the server mounts. The graph is looked up beside the served archives
 * on first use and reloaded when its file changes (a new import replaces it by
 * rename), checked with one stat per request.
 */
export const routingRoutes: FeatureRouter = (deps) => {
  let service: OsrmService | undefined;
  let loaded: { file: string; mtimeMs: number; size: number } | undefined;
  const failed = new Map<string, number>();
  const candidates = (): string[] => deps.sources.list().map((e) => e.path.replace(/\.(mbtiles|pmtiles)$/i, '') + '.routing');
  const find = (): OsrmService | undefined => {
    if (service && loaded) {
      const st = statOrNull(loaded.file);
      if (st && st.mtimeMs === loaded.mtimeMs && st.size === loaded.size) return service;
      service = undefined;
      loaded = undefined;
    }
    for (const file of candidates()) {
      const st = statOrNull(file);
      if (!st || failed.get(file) === st.mtimeMs) continue;
      try {
        const t = Date.now();
        service = loadOsrmService(file);
        loaded = { file, mtimeMs: st.mtimeMs, size: st.size };
        deps.logger.info('routing graph loaded', { file, ms: Date.now() - t });
        return service;
      } catch (e) {
        failed.set(file, st.mtimeMs);
        deps.logger.warn(`routing graph ${file} skipped: ${(e as Error).message}`);
      }
    }
    return undefined;
  };
  return createRoutingRouter({ service: find, logger: deps.logger, metrics: deps.metrics });
};

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}
