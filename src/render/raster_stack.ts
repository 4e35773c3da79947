/**
 * Everything raster, assembled once from settings: renderer pool → metatiles →
 * memory + disk caches → tile service, and the static map renderer. The server
 * and the seed command build one of these; tests build one with a fake renderer.
 */
import { silentLogger, type Logger } from '../core/logger.js';
import { DEFAULT_BACKGROUND_NICENESS } from '../core/thread_priority.js';
import type { PixelWorkers } from './pixel_tasks.js';
import { MemoryTileCache } from '../cache/memory_tile_cache.js';
import { DiskTileCache } from '../cache/disk_tile_cache.js';
import type { SharedTileCache } from '../cache/shared_tile_cache.js';
import { RenderedTileChain } from '../cache/rendered_tile_chain.js';
import type { Renderer } from './renderer.js';
import { ChromiumRenderer, DEFAULT_CHROMIUM_PATH } from './chromium_renderer.js';
import { RenderPool } from './render_pool.js';
import { MetatileRenderer } from './metatile.js';
import { RasterTileService, type RasterStyleSource } from './raster_tile_service.js';
import { StaticMapRenderer } from './static_map.js';

export interface RasterSettings {
  chromiumPath: string;
  /** Renderers (browser pages) at once. */
  poolSize: number;
  maxQueue: number;
  /** Longest wait for a renderer before a request is answered 503 (ms); 0: no limit (seeding). */
  queueWaitMs: number;
  timeoutMs: number;
  recycleAfter: number;
  /** Close the browser after this many ms without renders (0: never). */
  idleCloseMs: number;
  /** Tiles per metatile side. */
  metaSize: number;
  /** CSS pixels rendered around a metatile and discarded. */
  gutter: number;
  /** Static map side limit in image pixels (after scale). */
  maxPixels: number;
  /** Directory of the per-style SQLite caches; empty disables the disk cache. */
  cacheDir: string;
  memoryBytes: number;
  fastPath: boolean;
  quality: number;
  /** Nice steps below the event loop Chromium starts at (./low_priority_launch.ts); the worker pools take the same (their owner's). */
  niceness: number;
}

export const DEFAULT_RASTER_SETTINGS: Readonly<RasterSettings> = Object.freeze({
  chromiumPath: DEFAULT_CHROMIUM_PATH,
  poolSize: 1,
  maxQueue: 32,
  queueWaitMs: 15_000,
  timeoutMs: 60_000,
  recycleAfter: 500,
  idleCloseMs: 10 * 60_000,
  metaSize: 4,
  gutter: 128,
  maxPixels: 4096,
  // callers pass the configured directory (resolved against dataDir); none by default, so nothing lands in the cwd
  cacheDir: '',
  memoryBytes: 64 * 1024 * 1024,
  fastPath: true,
  quality: 85,
  niceness: DEFAULT_BACKGROUND_NICENESS,
});

export interface RasterStackOptions {
  styles: RasterStyleSource;
  /** Origins the renderer may fetch from: the local tile server. */
  allowedOrigins: string[];
  settings?: Partial<RasterSettings>;
  logger?: Logger;
  /** Cache tier shared with other instances (Redis); the stack closes it. */
  shared?: SharedTileCache;
  /** Renderer factory, given the stack's pixel workers; default a ChromiumRenderer per pool slot. */
  createRenderer?: (with_: { pixels: PixelWorkers }) => Renderer;
  /** The pixel worker threads the Chromium renderers unpack and encode on (the owner closes them). */
  pixels: PixelWorkers;
}

export class RasterStack {
  readonly settings: RasterSettings;
  readonly pool: RenderPool;
  readonly metatiles: MetatileRenderer;
  readonly tiles: RasterTileService;
  readonly statics: StaticMapRenderer;
  readonly disk?: DiskTileCache;
  readonly memory: MemoryTileCache;
  readonly shared?: SharedTileCache;
  /** memory → disk → shared tier: every rendered image service stores through it. */
  readonly chain: RenderedTileChain;

  constructor(opts: RasterStackOptions) {
    const s = (this.settings = { ...DEFAULT_RASTER_SETTINGS, ...opts.settings });
    const logger = opts.logger ?? silentLogger;
    const custom = opts.createRenderer;
    const create = custom ? () => custom({ pixels: opts.pixels }) : () => new ChromiumRenderer({ allowedOrigins: opts.allowedOrigins, pixels: opts.pixels, executablePath: s.chromiumPath, fastPath: s.fastPath, niceness: s.niceness, logger: logger.child('chromium') });
    this.pool = new RenderPool({ create, size: s.poolSize, maxQueue: s.maxQueue, maxWaitMs: s.queueWaitMs, timeoutMs: s.timeoutMs, recycleAfter: s.recycleAfter, idleCloseMs: s.idleCloseMs, logger });
    this.metatiles = new MetatileRenderer({
      metaSize: s.metaSize,
      gutter: s.gutter,
      renderRaw: (r, signal) => this.pool.render({ ...r, format: 'raw' }, { signal }),
    });
    this.memory = new MemoryTileCache({ maxBytes: s.memoryBytes });
    this.disk = s.cacheDir ? new DiskTileCache({ dir: s.cacheDir }) : undefined;
    this.shared = opts.shared;
    this.chain = new RenderedTileChain({ memory: this.memory, disk: this.disk, shared: opts.shared, logger });
    this.tiles = new RasterTileService({ styles: opts.styles, metatiles: this.metatiles, chain: this.chain, quality: s.quality });
    this.statics = new StaticMapRenderer({ render: (r, signal) => this.pool.render(r, { signal }), maxPixels: s.maxPixels, quality: s.quality });
  }

  async close(): Promise<void> {
    await this.pool.close();
    this.disk?.close();
    await this.shared?.close();
  }
}
