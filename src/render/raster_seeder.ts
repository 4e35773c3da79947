/**
 * Pre-renders a style's raster tiles into the disk cache, metatile by metatile.
 * Resumable: a tile stored for the current data version (and newer than
 * `refreshBefore`) is skipped, so an interrupted seed picks up where it
 * stopped. Only the tiles still wanted of a metatile are drawn (the rectangle
 * around them, with its gutter): at an area's edges, along a clip outline and
 * on a resumed seed, a render covers less than the whole metatile.
 */
import { tileRange, type Bounds } from '../core/tile_math.js';
import { Progress } from '../core/progress.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { DiskTileCache } from '../cache/disk_tile_cache.js';
import type { ImageFormat } from './image_codec.js';
import { metatileOf } from './metatile.js';
import type { RasterStyle, RasterTileService } from './raster_tile_service.js';

export interface SeedOptions {
  service: RasterTileService;
  disk: DiskTileCache;
  style: RasterStyle;
  bounds: Bounds;
  /** Finer test than the bounds (a clip outline); tiles it refuses are not rendered. */
  filter?: (z: number, x: number, y: number) => boolean;
  zooms: [number, number];
  scales: number[];
  format: ImageFormat;
  tileSize: number;
  /**
   * Tiles per metatile side; default: as many as make 2048 image pixels (8 × 256 px at 1x).
   * Bigger than on demand: fewer gutter pixels and per-render costs per tile.
   */
  metaSize?: number;
  /** Metatiles in flight: one more than the renderers keeps them busy while sharp cuts. */
  concurrency: number;
  /** Tiles stored before this time (ms since the epoch) are rendered again. */
  refreshBefore?: number;
  logger?: Logger;
  tty?: NodeJS.WriteStream;
}

export interface SeedSummary {
  metatiles: number;
  rendered: number;
  skipped: number;
  failed: number;
  ms: number;
  tilesPerSecond: number;
  peakRssMb: number;
}

interface MetaJob { z: number; x0: number; y0: number; tiles: [number, number][] }

/** Metatiles covering the area at one zoom, each with the tiles of it that lie in the area. */
export function* metatilesIn(bounds: Bounds, z: number, metaSize: number, filter?: (z: number, x: number, y: number) => boolean): Generator<MetaJob> {
  const r = tileRange(bounds, z);
  const step = Math.min(metaSize, 2 ** z);
  for (let my = Math.floor(r.minY / step) * step; my <= r.maxY; my += step) {
    for (let mx = Math.floor(r.minX / step) * step; mx <= r.maxX; mx += step) {
      const tiles: [number, number][] = [];
      for (let y = Math.max(my, r.minY); y <= Math.min(my + step - 1, r.maxY); y++) {
        for (let x = Math.max(mx, r.minX); x <= Math.min(mx + step - 1, r.maxX); x++) {
          if (!filter || filter(z, x, y)) tiles.push([x, y]);
        }
      }
      if (tiles.length) yield { ...metatileOf(z, mx, my, metaSize), tiles };
    }
  }
}

export function countTiles(bounds: Bounds, zooms: [number, number], metaSize: number, filter?: SeedOptions['filter']): number {
  let n = 0;
  for (let z = zooms[0]; z <= zooms[1]; z++) for (const m of metatilesIn(bounds, z, metaSize, filter)) n += m.tiles.length;
  return n;
}

/** Metatile side that makes about `pixels` image pixels for a tile size and scale. */
export function seedMetaSize(tileSize: number, scale: number, pixels = 2048): number {
  return Math.max(1, 2 ** Math.floor(Math.log2(pixels / (tileSize * scale))));
}

export async function seedTiles(opts: SeedOptions): Promise<SeedSummary> {
  const logger = opts.logger ?? silentLogger;
  const metaSize = opts.metaSize ?? seedMetaSize(opts.tileSize, Math.max(...opts.scales));
  const total = countTiles(opts.bounds, opts.zooms, metaSize, opts.filter) * opts.scales.length;
  const progress = new Progress({ name: 'seed', unit: 'tiles', total, logger, tty: opts.tty });
  const summary: SeedSummary = { metatiles: 0, rendered: 0, skipped: 0, failed: 0, ms: 0, tilesPerSecond: 0, peakRssMb: 0 };
  const inflight = new Set<Promise<void>>();
  const sampleRss = () => (summary.peakRssMb = Math.max(summary.peakRssMb, process.memoryUsage().rss / 2 ** 20));
  const start = Date.now();
  const fresh = (z: number, x: number, y: number, scale: number): boolean => {
    const key = opts.service.keyOf(opts.style, { z, x, y, tileSize: opts.tileSize, scale, format: opts.format });
    const info = opts.disk.info(key);
    return !!info && info.version === key.version && (opts.refreshBefore === undefined || info.created >= opts.refreshBefore);
  };

  for (let z = opts.zooms[0]; z <= opts.zooms[1]; z++) {
    for (const meta of metatilesIn(opts.bounds, z, metaSize, opts.filter)) {
      for (const scale of opts.scales) {
        // only the tiles still missing are drawn: the render covers the rectangle around them
        const todo = meta.tiles.filter(([x, y]) => !fresh(z, x, y, scale));
        summary.skipped += meta.tiles.length - todo.length;
        if (!todo.length) {
          progress.tick(meta.tiles.length);
          continue;
        }
        while (inflight.size >= Math.max(1, opts.concurrency)) await Promise.race(inflight);
        const job = opts.service
          .renderMetatile(opts.style, { z, x: meta.x0, y: meta.y0, tileSize: opts.tileSize, scale, format: opts.format }, { metaSize, only: todo, mustStore: true })
          .then(
            (stored) => {
              summary.metatiles++;
              summary.rendered += stored.size;
              summary.failed += todo.length - stored.size;
            },
            (e: Error) => {
              summary.failed += todo.length;
              logger.warn(`metatile ${z}/${meta.x0}/${meta.y0}@${scale}x failed: ${e.message}`);
            },
          )
          .finally(() => {
            inflight.delete(job);
            progress.tick(meta.tiles.length);
            sampleRss();
          });
        inflight.add(job);
      }
    }
  }
  await Promise.all(inflight);
  progress.finish();
  summary.ms = Date.now() - start;
  summary.tilesPerSecond = summary.rendered / Math.max(0.001, summary.ms / 1000);
  sampleRss();
  return summary;
}
