/** Lays out and writes plans in a worker thread (./plan_document.ts), off the event loop. */
import { parentPort } from 'node:worker_threads';
import { asBuffer, serveTasks, sharedResult, type TaskAnswer } from '../core/worker_pool.js';
import { writePlan, type PlanContent } from './plan_document.js';
import { TextMeasure } from './plan_fonts.js';

/** Loaded once per thread: parsing the fonts takes a while. */
let measure: TextMeasure | undefined;

export const planTasks = {
  async write(c: PlanContent): Promise<TaskAnswer<{ data: Uint8Array; pages: number; timings: { layout: number; write: number } }>> {
    // buffers arrive as plain Uint8Arrays: the writers want Buffers
    for (const s of c.raster.strips) s.jpeg = asBuffer(s.jpeg);
    measure ??= new TextMeasure();
    const r = await writePlan(c, measure);
    return { result: { ...r, data: sharedResult(r.data) } };
  },
};

export type PlanTasks = typeof planTasks;

// imported for its types only by ./plan_document.ts; served when started as a worker
if (parentPort) serveTasks(parentPort, planTasks);
