/** Draws a plan page as PNG in a worker thread (./png_writer.ts), off the event loop. */
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../core/worker_pool.js';
import type { PageOp, PlanDocument } from './page_model.js';
import { writePng } from './png_writer.js';

serveTasks(parentPort!, {
  async png(a: { plan: PlanDocument; dpi: number; maxPixels?: number }) {
    // buffers arrive as plain Uint8Arrays: give the canvas Buffers again
    for (const page of a.plan.pages) {
      for (const op of page.ops as PageOp[]) if (op.kind === 'image') op.jpeg = Buffer.from(op.jpeg.buffer, op.jpeg.byteOffset, op.jpeg.byteLength);
    }
    const png = await writePng(a.plan, { dpi: a.dpi, maxPixels: a.maxPixels });
    return { result: png };
  },
});
