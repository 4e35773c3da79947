/**
 * The event loop's side of ./mvt_geojson_worker.ts: a small pool, built once by
 * the composition root and closed with it, so decoding a tile to GeoJSON never
 * delays other requests.
 */
import { startWorker } from '../core/start_worker.js';
import { asBuffer, WorkerPool, type WorkerPoolStats } from '../core/worker_pool.js';
import type { GeojsonTasks } from './mvt_geojson.js';

export class GeojsonWorkers {
  private readonly pool: WorkerPool<GeojsonTasks>;

  /** `niceness`: nice steps below the event loop the worker runs at (`raster.niceness`). */
  constructor(o: { niceness: number }) {
    this.pool = new WorkerPool<GeojsonTasks>({ name: 'geojson', niceness: o.niceness, size: 1, start: () => startWorker(import.meta.url, 'mvt_geojson_worker') });
  }

  /** The tile (MVT, gzipped or not) as GeoJSON text, decoded off the event loop. */
  async toGeojson(data: Uint8Array, tile: { z: number; x: number; y: number }): Promise<Buffer> {
    return asBuffer(await this.pool.run('geojson', { data, ...tile }));
  }

  /** Tasks done and the threads that ran them (tests, metrics). */
  stats(): WorkerPoolStats {
    return this.pool.stats();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
