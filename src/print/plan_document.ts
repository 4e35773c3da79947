/**
 * The last stages of a plan: its pages laid out (title, grid labels, legend,
 * scale bar, the index set in columns, all measured with the embedded fonts)
 * and written as PDF, SVG or PNG. Laying out thousands of index entries and
 * writing an A0 take seconds of CPU, so a server runs them in a worker thread
 * (./plan_worker.ts); the input is plain data that crosses threads.
 */
import { startWorker } from '../core/start_worker.js';
import { asBuffer, ownMemory, WorkerPool, type WorkerPoolStats } from '../core/worker_pool.js';
import type { LegendItem } from '../styles/style_legend.js';
import { layoutIndex } from './index_layout.js';
import type { MapRaster } from './map_raster.js';
import type { PageOp, PlanDocument } from './page_model.js';
import { writePdf } from './pdf_writer.js';
import type { PlanGrid } from './plan_grid.js';
import type { IndexEntry, PoiCategory } from './plan_index.js';
import { mapPageOps, type PlanBoxes } from './plan_layout.js';
import type { PlanFormat, PlanLang } from './plan_options.js';
import type { TextMeasure } from './plan_fonts.js';
import type { PlanTasks } from './plan_worker.js';
import { writePng } from './png_writer.js';
import { writeSvg } from './svg_writer.js';

/** Everything a plan's pages are made of. */
export interface PlanContent {
  format: PlanFormat;
  dpi: number;
  lang: PlanLang;
  boxes: PlanBoxes;
  title: string;
  subtitle: string;
  /** Document metadata. */
  subject: string;
  keywords: string;
  scale: number;
  grid: PlanGrid;
  legend: LegendItem[];
  attribution: string;
  streets: IndexEntry[];
  pois: PoiCategory[];
  /** The map image, in JPEG strips. */
  raster: MapRaster;
}

export interface WrittenPlan {
  data: Buffer;
  pages: number;
  /** Milliseconds of the layout and of the writing. */
  timings: { layout: number; write: number };
}

/** The plan's pages: the map page (map strips, frame, grid, header, footer, side index) and the index pages. */
export function layoutPlan(c: PlanContent, measure: TextMeasure): PlanDocument {
  const { boxes } = c;
  const fb = boxes.frame;
  const index = layoutIndex({ streets: c.streets, pois: c.pois, lang: c.lang, f: boxes.f, side: boxes.side, page: boxes.page, title: c.title }, measure);
  const mapOps = mapPageOps(boxes, { title: c.title, subtitle: c.subtitle, scale: c.scale, grid: c.grid, legend: c.legend, lang: c.lang, attribution: c.attribution }, measure);
  const mmPerPx = fb.h / c.raster.height;
  const stripOps: PageOp[] = c.raster.strips.map((st) => ({ kind: 'image', x: fb.x, y: fb.y + st.top * mmPerPx, w: fb.w, h: (st.height + st.overlap) * mmPerPx, jpeg: st.jpeg, pxWidth: c.raster.width, pxHeight: st.height + st.overlap }));
  return {
    title: c.title,
    subject: c.subject,
    keywords: c.keywords,
    pages: [
      { widthMm: boxes.page.widthMm, heightMm: boxes.page.heightMm, ops: [...stripOps, ...mapOps, ...index.sideOps] },
      ...index.pages,
    ],
  };
}

/** Lays the plan out and writes it in its format, on this thread. */
export async function writePlan(c: PlanContent, measure: TextMeasure): Promise<WrittenPlan> {
  const t0 = Date.now();
  const doc = layoutPlan(c, measure);
  const t1 = Date.now();
  const data = c.format === 'pdf' ? await writePdf(doc, measure) : c.format === 'svg' ? writeSvg(doc) : await writePng(doc, { dpi: c.dpi });
  return { data, pages: doc.pages.length, timings: { layout: t1 - t0, write: Date.now() - t1 } };
}

/** Writes plans in a worker thread: one per server, built by the composition root and closed with it. */
export class PlanWorkers {
  private readonly pool: WorkerPool<PlanTasks>;

  /** `niceness`: nice steps below the event loop the worker runs at (`raster.niceness`). */
  constructor(o: { niceness: number }) {
    this.pool = new WorkerPool<PlanTasks>({ name: 'plan', size: 1, niceness: o.niceness, start: () => startWorker(import.meta.url, 'plan_worker') });
  }

  /** writePlan in a worker thread; the map strips are handed over (do not use them afterwards). */
  async write(c: PlanContent): Promise<WrittenPlan> {
    const r = await this.pool.run('write', c, c.raster.strips.flatMap((s) => ownMemory(s.jpeg)));
    return { ...r, data: asBuffer(r.data) };
  }

  /** Tasks done and the threads that ran them (tests). */
  stats(): WorkerPoolStats {
    return this.pool.stats();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
