/**
 * What every route module receives. Feature routers take this object (or a
 * subset of it) and return an express.Router; they never reach for globals.
 */
import type express from 'express';
import type { TuilerieConfig } from '../config/config_types.js';
import type { TileCache } from '../cache/tile_cache.js';
import type { Logger } from '../core/logger.js';
import type { SourceRegistry } from './source_registry.js';
import type { StyleRegistry } from './style_registry.js';
import type { TileService } from './tile_service.js';
import type { Metrics } from './metrics.js';
import type { Catalog } from './catalog.js';
import type { ServingServices } from './serving_services.js';

/** Readiness, flipped by the CLI once sources are open; /health answers 503 until then. */
export interface ServerState {
  ready: boolean;
}

export interface ServerDeps {
  config: TuilerieConfig;
  /** Sources, styles and resolved styles (`sources` and `styles` below are its registries). */
  catalog: Catalog;
  sources: SourceRegistry;
  styles: StyleRegistry;
  /** Rendering, plans and routing, built once at start-up (./serving_services.ts). */
  services: ServingServices;
  /** Cached, encoding-aware tile reads (use this rather than sources directly for HTTP). */
  tiles: TileService;
  cache: TileCache;
  metrics: Metrics;
  logger: Logger;
  state: ServerState;
  /**
   * Extra entries for /index.json, by base URL: a router that serves more
   * tilesets (e.g. rendered raster) pushes a contributor here when created.
   */
  indexEntries: Array<(base: string) => unknown[]>;
}

/** A feature module's entry point: `export const fontRoutes: FeatureRouter = (deps) => { const r = express.Router(); …; return r; }`. */
export type FeatureRouter = (deps: ServerDeps) => express.Router;

export interface FeatureRouterEntry {
  /** Short name, used in logs. */
  name: string;
  /** Mount path ('/' for routers that declare full paths). */
  mount: string;
  create: FeatureRouter;
}
