/**
 * The event loop's side of ./pixel_worker.ts: each call posts its buffers to a
 * worker thread (handed over, not copied, when they own their memory) and
 * resolves with the result, so a 4096² readback never delays a cached tile.
 * One small pool per server (like libuv's thread pool, which sharp uses), built
 * by the composition root and closed with it; its idle threads do not keep a
 * process alive.
 */
import os from 'node:os';
import { startWorker } from '../core/start_worker.js';
import { asBuffer, ownMemory, WorkerPool, type WorkerPoolStats } from '../core/worker_pool.js';
import type { ImageFormat, RgbaImage } from './image_codec.js';
import type { PixelTasks } from './pixel_work.js';

export class PixelWorkers {
  private readonly pool: WorkerPool<PixelTasks>;

  /** `niceness`: nice steps below the event loop the workers run at (`raster.niceness`). */
  constructor(o: { niceness: number }) {
    this.pool = new WorkerPool<PixelTasks>({ name: 'pixel', niceness: o.niceness, size: Math.max(1, Math.min(4, os.availableParallelism())), start: () => startWorker(import.meta.url, 'pixel_worker') });
  }

  /** Run-coded (./readback_runs.ts), base64 GL readback chunks → straight-alpha RGBA, top row first. */
  async unpackReadback(base64: string[], width: number, height: number): Promise<Buffer> {
    return asBuffer(await this.pool.run('readback', { base64, width, height }));
  }

  /** The same readback unpacked and encoded in the worker: the pixels never reach this thread. */
  async encodeReadback(base64: string[], o: { width: number; height: number; format: ImageFormat; quality?: number }): Promise<Buffer> {
    return asBuffer(await this.pool.run('readbackEncoded', { base64, ...o }));
  }

  /**
   * Premultiplied RGBA from a native renderer → straight RGBA, top row first. The
   * pixels are copied, not handed over: their memory may belong to the native module.
   */
  async unpremultiply(pixels: Uint8Array, width: number, height: number, o: { topDown: boolean }): Promise<Buffer> {
    return asBuffer(await this.pool.run('unpremultiply', { pixels, width, height, topDown: o.topDown }));
  }

  /** `top` drawn over `bottom`; both are handed to the worker (do not use them afterwards), the result is a new image. */
  async compose(bottom: RgbaImage, top: RgbaImage): Promise<RgbaImage> {
    const data = await this.pool.run('compose', { bottom, top }, [...ownMemory(bottom.data), ...ownMemory(top.data)]);
    return { data: asBuffer(data), width: bottom.width, height: bottom.height };
  }

  /** Tasks done and the threads that ran them (tests, metrics). */
  stats(): WorkerPoolStats {
    return this.pool.stats();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
