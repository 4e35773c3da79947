/** Draws a plan page as PNG in a worker thread (./png_writer.ts), off the event loop. */
import { parentPort } from 'node:worker_threads';
import { asBuffer, serveTasks, type TaskAnswer } from '../core/worker_pool.js';
import type { PageOp, PlanDocument } from './page_model.js';
import { writePng } from './png_writer.js';

export const pngTasks = {
  async png(a: { plan: PlanDocument; dpi: number; maxPixels?: number }): Promise<TaskAnswer<Uint8Array>> {
    // buffers arrive as plain Uint8Arrays: give the canvas Buffers again
    for (const page of a.plan.pages) {
      for (const op of page.ops as PageOp[]) if (op.kind === 'image') op.jpeg = asBuffer(op.jpeg);
    }
    const png = await writePng(a.plan, { dpi: a.dpi, maxPixels: a.maxPixels });
    return { result: png };
  },
};

export type PngTasks = typeof pngTasks;

// imported for its types only by ./png_writer.ts; served when started as a worker
if (parentPort) serveTasks(parentPort, pngTasks);
