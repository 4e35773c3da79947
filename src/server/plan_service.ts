/**
 * City plans from a catalog: the plan's style resolved for the local server in
 * the plan's language, its indexes read from the first vector source, its map
 * drawn by the shared render pool. The server queues plans through `queue`;
 * `tuilerie plan` calls `maker()` once.
 */
import type { TileSource } from '../archive/tile_source.js';
import { TuilerieError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RenderRequest } from '../render/renderer.js';
import { PlaceFinder } from '../print/place_finder.js';
import { PlanJobQueue } from '../print/plan_jobs.js';
import { PlanMaker, type PlanMapService } from '../print/plan_maker.js';
import type { PlanWorkers } from '../print/plan_document.js';
import type { Catalog } from './catalog.js';
import type { SourceEntry } from './source_registry.js';

/** Styles tried, in order, when the asked one is `print` and no print style is configured. */
const PRINT_FALLBACKS = ['osm-bright', 'bright', 'maptiler-basic', 'positron'];

export interface PlanServiceOptions {
  catalog: Catalog;
  /** This server on loopback: where the renderer fetches the plan style's tiles. */
  internalBaseUrl: string;
  /** Draws a map piece; `signal` aborts it. */
  render: (req: RenderRequest, signal?: AbortSignal) => Promise<Buffer>;
  /** Where plans are written, off the event loop. */
  workers: PlanWorkers;
  logger: Logger;
  /** Plans waiting behind the running one. */
  maxQueue?: number;
  /** Finished plans kept, by total bytes. */
  maxResultBytes?: number;
}

/** The date of the OSM data (import metadata), else undefined. */
export function dataDateOf(entry: SourceEntry): Date | undefined {
  const extra = entry.metadata.extra ?? {};
  const v = extra['osm_timestamp'] ?? extra['planetiler:osm:osmosisreplicationtime'] ?? extra['date'];
  const d = v ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

export class PlanService {
  readonly queue: PlanJobQueue;
  /** One name scan per archive (a reload opens a new source object). */
  private readonly finders = new WeakMap<TileSource, PlaceFinder>();

  constructor(private readonly opts: PlanServiceOptions) {
    this.queue = new PlanJobQueue({ maxQueue: opts.maxQueue, maxResultBytes: opts.maxResultBytes, run: (o, onProgress, signal) => this.maker({ signal }).make(o, onProgress) });
  }

  /** The vector source plans read their indexes from: the first vector archive. */
  dataSource(): SourceEntry {
    const s = this.opts.catalog.sources.list().find((e) => e.metadata.format === 'pbf');
    if (!s) throw new TuilerieError('NOT_FOUND', 'no vector tile source is configured: plans need OpenMapTiles data (tuilerie import)');
    return s;
  }

  /**
   * A plan maker over the current data. `fallbackDate`: when the archive does not say
   * when its data is from; `signal`: stops the plan's renders (a synchronous plan whose client left).
   */
  maker(o: { fallbackDate?: Date; signal?: AbortSignal } = {}): PlanMaker {
    const data = this.dataSource();
    let places = this.finders.get(data.source);
    if (!places) this.finders.set(data.source, (places = new PlaceFinder(data.source)));
    return new PlanMaker({ source: data.source, places, workers: this.opts.workers, dataDate: dataDateOf(data) ?? o.fallbackDate, logger: this.opts.logger, map: this.mapService(o.signal) });
  }

  mapService(signal?: AbortSignal): PlanMapService {
    const { catalog, logger, internalBaseUrl, render } = this.opts;
    return {
      render: (r) => render(r, signal),
      async style(id, lang) {
        let entry = catalog.styles.get(id);
        if (!entry && id === 'print') {
          entry = PRINT_FALLBACKS.map((f) => catalog.styles.get(f)).find((e) => e !== undefined) ?? catalog.styles.list()[0];
          if (entry) logger.warn(`no "print" style configured: the plan uses "${entry.id}"`);
        }
        if (!entry) throw new TuilerieError('NOT_FOUND', `unknown style "${id}"; available: ${catalog.styles.list().map((e) => e.id).join(', ') || 'none'}`);
        return catalog.resolveEntry(entry, { baseUrl: internalBaseUrl, lang });
      },
    };
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
