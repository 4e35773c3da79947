/**
 * The composition root of serving: everything a server answers with (raster
 * stack, reprojected tiles, plans, routing graphs, search), built
 * once at start-up, after it listens (the renderer fetches tiles, glyphs and
 * sprites from this very server, so it needs the address), and handed to the
 * route adapters. `tuilerie seed` and `tuilerie plan` build the same thing
 * around their private loopback server.
 */
import type { TuilerieConfig, RasterConfig } from '../config/config_types.js';
import type { Logger } from '../core/logger.js';
import { RedisTileCache } from '../cache/redis_tile_cache.js';
import type { SharedTileCache } from '../cache/shared_tile_cache.js';
import type { TileCacheKey } from '../cache/tile_cache.js';
import type { Renderer } from '../render/renderer.js';
import type { PixelWorkers } from '../render/pixel_tasks.js';
import { RasterStack, type RasterSettings } from '../render/raster_stack.js';
import type { RasterStyleSource } from '../render/raster_tile_service.js';
import { ReprojectedMap, type MercatorView } from '../ogc/reprojected_map.js';
import { ReprojectedTileService } from '../ogc/reprojected_tile_service.js';
import type { RasterStyle } from '../render/raster_tile_service.js';
import { SearchService, type SearchableSource } from '../search/search_service.js';
import type { Catalog } from './catalog.js';
import type { Metrics } from './metrics.js';
import { PlanService } from './plan_service.js';
import { RoutingGraphs } from './routing_graphs.js';
import { OffLoopWorkers } from './off_loop_workers.js';
import { DEFAULT_BACKGROUND_NICENESS } from '../core/thread_priority.js';

/** What differs from the configuration in tests, benchmarks and the CLI commands. */
export interface ServingOverrides {
  raster?: Partial<RasterSettings>;
  /** Plans waiting behind the running one (default 4). */
  planQueue?: number;
  /** Renderer factory instead of Chromium (tests, benchmarks), given the server's pixel workers. */
  createRenderer?: (with_: { pixels: PixelWorkers }) => Renderer;
  /** Use the shared (Redis) tier when configured (default true; the seed fills the local disk cache only). */
  sharedTier?: boolean;
  /** Open or build the search indexes of the served archives (default true; seed and plan search nothing). */
  search?: boolean;
}

export interface ServingServicesOptions extends ServingOverrides {
  config: Pick<TuilerieConfig, 'raster' | 'cache'>;
  catalog: Catalog;
  /** This server on loopback, e.g. http://127.0.0.1:41234. */
  internalBaseUrl: string;
  logger: Logger;
  /** Where the render pool reports its gauges and counters (servers; not the CLI). */
  metrics?: Metrics;
}

/** Mercator pixels rendered around a LAMB93 block and discarded, so labels near edges agree between blocks. */
const REPROJECTED_BLOCK_MARGIN = 128;

/** Renderer settings from the `raster.*` configuration keys. */
export function rasterSettingsOf(c: RasterConfig): Partial<RasterSettings> {
  return {
    poolSize: c.poolSize, maxQueue: c.maxQueue, timeoutMs: c.timeoutMs, metaSize: c.metaSize, chromiumPath: c.chromiumPath,
    cacheDir: c.cacheDir, memoryBytes: c.memoryBytes, maxPixels: c.maxPixels, quality: c.quality, idleCloseMs: c.idleCloseMs, queueWaitMs: c.queueWaitMs, niceness: c.niceness,
  };
}

/** The catalog's styles as the renderer reads them: every URL on this server's loopback address. */
export function catalogStyleSource(catalog: Catalog, internalBaseUrl: string): RasterStyleSource {
  const peek = (id: string) => {
    const entry = catalog.styles.get(id);
    return entry && entry.config.rendered !== false ? catalog.resolveEntry(entry, { baseUrl: internalBaseUrl }) : undefined;
  };
  return { ids: () => catalog.styles.rendered().map((e) => e.id), resolve: async (id) => peek(id), peek };
}

/** The served archives a search index can be built from: local vector tiles. */
function searchableSources(catalog: Catalog): SearchableSource[] {
  return catalog.sources.list()
    .filter((s) => s.metadata.format === 'pbf' && !/^https?:\/\//i.test(s.path))
    .map((s) => ({ id: s.id, path: s.path, version: s.version }));
}

function sharedTierOf(config: Pick<TuilerieConfig, 'cache'>, logger: Logger): SharedTileCache | undefined {
  const c = config.cache.shared;
  if (!c.redisUrl) return undefined;
  return new RedisTileCache({ url: c.redisUrl, prefix: c.prefix, ttlSeconds: c.ttlSeconds, lockMs: c.lockMs, timeoutMs: c.timeoutMs, logger: logger.child('redis') });
}

export class ServingServices {
  /** Render pool, metatiles, rendered-image caches, tile service, static maps. */
  readonly raster: RasterStack;
  /** WMTS tiles of non-Mercator matrix sets, over the same pool and caches. */
  readonly reprojected: ReprojectedTileService;
  readonly plans: PlanService;
  readonly routing: RoutingGraphs;
  /** Place, street and POI search over the served archives' indexes. */
  readonly search: SearchService;
  /** Worker threads for pixels, reprojection, plans and GeoJSON, at `raster.niceness`. */
  readonly workers: OffLoopWorkers;
  readonly internalBaseUrl: string;
  private readonly syncSearch: () => void;
  /** Rendered tiles dropped from memory because an update or import changed the data under them. */
  private invalidatedInMemory = 0;

  constructor(opts: ServingServicesOptions) {
    const { catalog, logger } = opts;
    this.internalBaseUrl = opts.internalBaseUrl;
    const settings = { ...rasterSettingsOf(opts.config.raster), ...opts.raster };
    this.workers = new OffLoopWorkers({ niceness: settings.niceness ?? DEFAULT_BACKGROUND_NICENESS });
    this.raster = new RasterStack({
      styles: catalogStyleSource(catalog, opts.internalBaseUrl),
      allowedOrigins: [opts.internalBaseUrl],
      settings,
      logger: logger.child('raster'),
      shared: opts.sharedTier === false ? undefined : sharedTierOf(opts.config, logger),
      createRenderer: opts.createRenderer,
      pixels: this.workers.pixels,
    });
    const stack = this.raster;
    this.reprojected = new ReprojectedTileService({
      mapOf: (style) => this.reprojector(style, { margin: REPROJECTED_BLOCK_MARGIN }),
      chain: stack.chain,
      quality: stack.settings.quality,
      metaSize: stack.settings.metaSize,
    });
    this.plans = new PlanService({ catalog, internalBaseUrl: opts.internalBaseUrl, workers: this.workers.plans, render: (r, signal) => stack.pool.render(r, { maxWaitMs: 0, signal }), logger: logger.child('plans'), maxQueue: opts.planQueue });
    this.routing = new RoutingGraphs({ sources: catalog.sources, logger });
    this.search = new SearchService({ logger: logger.child('search') });
    this.syncSearch = opts.search === false ? () => {} : () => this.search.ensure(searchableSources(catalog));
    // a replaced archive gets its index reopened or rebuilt
    catalog.sources.onChange(() => this.syncSearch());
    // only the rendered tiles over changed data have a new version: drop those, keep the others
    catalog.sources.onChange((id) => this.dropStaleRendered(catalog, id, logger));
    if (opts.metrics) this.reportTo(opts.metrics);
  }

  /** The catalog has opened its sources: open or build their search indexes (in a worker thread). */
  catalogOpened(): void {
    this.syncSearch();
  }

  /**
   * A style's map in any supported CRS, rendered in Web Mercator by the pool and reprojected.
   * `margin`: Mercator pixels drawn and discarded around it; `signal`: the client's, for a map
   * drawn for one request (WMS GetMap), none for tiles others may share.
   */
  reprojector(style: RasterStyle, o: { margin: number; signal?: AbortSignal }): ReprojectedMap {
    const statics = this.raster.statics;
    const render = (v: MercatorView) => statics.render({ style, camera: { kind: 'center', center: v.center, zoom: v.zoom }, width: v.width, height: v.height, scale: 1, format: 'raw', overlays: { paths: [], markers: [] }, signal: o.signal });
    return new ReprojectedMap({ render, workers: this.workers.reprojection, maxSourcePixels: statics.maxPixels, margin: o.margin });
  }

  /**
   * After source `id` changed: drops from memory the rendered tiles (raster and WMTS) of every style reading
   * it whose key has another version now, i.e. the metatiles over tiles the update changed (all of them after
   * a new import). The disk and shared tiers need no pass: their keys carry the version, so those entries are
   * never read again (the disk's are overwritten when rendered again, the shared tier's expire).
   */
  private dropStaleRendered(catalog: Catalog, id: string, logger: Logger): void {
    for (const entry of catalog.styles.rendered()) {
      if (!catalog.sourcesOf(entry).some((s) => s.id === id)) continue;
      const style = catalog.resolveEntry(entry, { baseUrl: this.internalBaseUrl });
      const current = (key: TileCacheKey) => this.raster.tiles.currentKey(style, key) ?? this.reprojected.currentKey(style, key);
      const n = this.raster.memory.dropWhere(style.id, (key) => current(key)?.version !== key.version);
      this.invalidatedInMemory += n;
      logger.info('rendered tiles over changed data dropped from memory', { source: id, style: style.id, tiles: n });
    }
  }

  async close(): Promise<void> {
    // the running plan fails as the pool closes, so the queue's close does not wait for it
    const plans = this.plans.close();
    await this.raster.close();
    await plans;
    this.search.close();
    // last: the renders and plans closed above were their users
    await this.workers.close();
  }

  private reportTo(metrics: Metrics): void {
    metrics.addCollector(() => {
      const p = this.raster.pool.stats();
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
        {
          name: 'tuilerie_rendered_cache_invalidated_total', help: 'Rendered tiles invalidated because an update or import changed the data under them: dropped from memory on reload, or found stale on disk.',
          type: 'counter' as const, value: this.invalidatedInMemory, labels: { tier: 'memory' },
        },
        {
          name: 'tuilerie_rendered_cache_invalidated_total', help: 'Rendered tiles invalidated because an update or import changed the data under them: dropped from memory on reload, or found stale on disk.',
          type: 'counter' as const, value: this.raster.disk?.staleLookups ?? 0, labels: { tier: 'disk' },
        },
      ];
    });
  }
}
