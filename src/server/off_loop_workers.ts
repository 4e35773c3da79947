/**
 * The worker threads a server does its heavy work on, so the event loop only
 * routes (STYLE habit 12): pixels (readbacks, compositing), reprojection,
 * plan writing and tile → GeoJSON. Built once by the composition root
 * (./serving_services.ts) at `raster.niceness` below the event loop, handed to
 * the services and routes that post to them, and closed with the server. Each
 * pool starts its threads on first use; idle ones do not keep a process alive.
 */
import { PixelWorkers } from '../render/pixel_tasks.js';
import { ReprojectionWorkers } from '../ogc/reprojection_tasks.js';
import { PlanWorkers } from '../print/plan_document.js';
import { GeojsonWorkers } from '../tiling/mvt_geojson_tasks.js';

export class OffLoopWorkers {
  readonly pixels: PixelWorkers;
  readonly reprojection: ReprojectionWorkers;
  readonly plans: PlanWorkers;
  readonly geojson: GeojsonWorkers;

  /** `niceness`: nice steps below the event loop every worker runs at (0 to 19). */
  constructor(o: { niceness: number }) {
    this.pixels = new PixelWorkers(o);
    this.reprojection = new ReprojectionWorkers(o);
    this.plans = new PlanWorkers(o);
    this.geojson = new GeojsonWorkers(o);
  }

  /** Ends every worker; tasks still queued fail. */
  async close(): Promise<void> {
    await Promise.all([this.pixels.close(), this.reprojection.close(), this.plans.close(), this.geojson.close()]);
  }
}
