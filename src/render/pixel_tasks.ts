/**
 * The event loop's side of ./pixel_worker.ts: each call posts its buffers to a
 * worker thread (handed over, not copied, when they own their memory) and
 * resolves with the result, so a 4096² resample or readback never delays a
 * cached tile. One small pool per process, started on first use; its idle
 * threads do not keep a process alive.
 */
import os from 'node:os';
import { startWorker } from '../core/start_worker.js';
import { WorkerPool } from '../core/worker_pool.js';
import type { RgbaImage } from './image_codec.js';
import type { MappingGrid } from './resample_bilinear.js';

const pool = new WorkerPool({ name: 'pixel', size: Math.max(1, Math.min(4, os.availableParallelism())), start: () => startWorker(import.meta.url, 'pixel_worker') });

/** The buffer's memory when it owns all of it (transferable), else nothing (it is copied). */
function own(b: Uint8Array | Float64Array): ArrayBuffer[] {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.byteLength > 0 ? [b.buffer as ArrayBuffer] : [];
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** Deflated, base64 GL readback chunks → straight-alpha RGBA, top row first. */
export async function unpackReadback(base64: string[], width: number, height: number): Promise<Buffer> {
  return asBuffer(await pool.run<Uint8Array>('readback', { base64, width, height }));
}

/** `src` resampled through `grid` to width × height (`src` is handed to the worker: do not use it afterwards). */
export async function resampleOffLoop(src: RgbaImage, grid: MappingGrid, width: number, height: number): Promise<RgbaImage> {
  const g = { step: grid.step, cols: grid.cols, rows: grid.rows, u: grid.u, v: grid.v };
  const data = await pool.run<Uint8Array>('resample', { src, grid: g, width, height }, [...own(src.data), ...own(g.u), ...own(g.v)]);
  return { data: asBuffer(data), width, height };
}

/** `top` drawn over `bottom`; both are handed to the worker, the result is a new image. */
export async function composeOffLoop(bottom: RgbaImage, top: RgbaImage): Promise<RgbaImage> {
  const data = await pool.run<Uint8Array>('compose', { bottom, top }, [...own(bottom.data), ...own(top.data)]);
  return { data: asBuffer(data), width: bottom.width, height: bottom.height };
}
