/**
 * The event loop's side of ./reprojection_worker.ts: a Mercator render is
 * handed (not copied) to a worker thread, which computes the pixel mapping grid
 * and resamples; the reprojected pixels come back. One small pool per server,
 * built by the composition root and closed with it; its idle threads do not
 * keep a process alive.
 */
import os from 'node:os';
import { startWorker } from '../core/start_worker.js';
import { asBuffer, ownMemory, WorkerPool, type WorkerPoolStats } from '../core/worker_pool.js';
import type { RgbaImage } from '../render/image_codec.js';
import type { OutputFrame, SourceFrame } from './reprojection_grid.js';
import type { ReprojectionTasks } from './reprojection_work.js';
import type { MapEncoding } from './map_encoding.js';

const argsOf = (src: RgbaImage, frame: SourceFrame, req: OutputFrame) => ({ src, frame: { left: frame.left, top: frame.top, resolution: frame.resolution }, crs: req.crs.code, bbox: req.bbox, width: req.width, height: req.height });

export class ReprojectionWorkers {
  private readonly pool: WorkerPool<ReprojectionTasks>;

  /** `niceness`: nice steps below the event loop the workers run at (`raster.niceness`). */
  constructor(o: { niceness: number }) {
    this.pool = new WorkerPool<ReprojectionTasks>({ name: 'reprojection', niceness: o.niceness, size: Math.max(1, Math.min(2, os.availableParallelism())), start: () => startWorker(import.meta.url, 'reprojection_worker') });
  }

  /** `src` (placed by `frame`) reprojected to `req`, in a worker; `src` is handed over: do not use it afterwards. */
  async reproject(src: RgbaImage, frame: SourceFrame, req: OutputFrame): Promise<RgbaImage> {
    const data = await this.pool.run('reproject', argsOf(src, frame, req), ownMemory(src.data));
    return { data: asBuffer(data), width: req.width, height: req.height };
  }

  /** reproject and encoding in the same worker task: the reprojected pixels never reach this thread. */
  async reprojectEncoded(src: RgbaImage, frame: SourceFrame, req: OutputFrame & MapEncoding): Promise<Buffer> {
    const encoding = { format: req.format, transparent: req.transparent, background: req.background, quality: req.quality };
    return asBuffer(await this.pool.run('reprojectEncoded', { ...argsOf(src, frame, req), encoding }, ownMemory(src.data)));
  }

  /** Tasks done and the threads that ran them (tests, metrics). */
  stats(): WorkerPoolStats {
    return this.pool.stats();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
