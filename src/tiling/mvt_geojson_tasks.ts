/**
 * The event loop's side of ./mvt_geojson_worker.ts: one small pool per process,
 * started on first use, so decoding a tile to GeoJSON never delays other requests.
 */
import { startWorker } from '../core/start_worker.js';
import { asBuffer, WorkerPool } from '../core/worker_pool.js';
import type { GeojsonTasks } from './mvt_geojson.js';

const pool = new WorkerPool<GeojsonTasks>({ name: 'geojson', lowPriority: true, size: 1, start: () => startWorker(import.meta.url, 'mvt_geojson_worker') });

/** The tile (MVT, gzipped or not) as GeoJSON text, decoded off the event loop. */
export async function mvtToGeojsonOffLoop(data: Uint8Array, z: number, x: number, y: number): Promise<Buffer> {
  return asBuffer(await pool.run('geojson', { data, z, x, y }));
}
