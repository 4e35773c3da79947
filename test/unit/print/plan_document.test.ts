import assert from 'node:assert/strict';
import sharp from 'sharp';
import { threadId } from 'node:worker_threads';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { paperSize } from '../../../src/print/paper.js';
import { PlanWorkers, writePlan, type PlanContent } from '../../../src/print/plan_document.js';
import { TextMeasure } from '../../../src/print/plan_fonts.js';
import { makeGrid } from '../../../src/print/plan_grid.js';
import type { IndexEntry } from '../../../src/print/plan_index.js';
import { GRID_CELL_MM, planBoxes } from '../../../src/print/plan_layout.js';
import type { PlanFormat } from '../../../src/print/plan_options.js';

const WORDS = ['Rue', 'de la', 'Paix', 'Avenue', 'du Général', 'Leclerc', 'Impasse', 'des', 'Tilleuls', 'Boulevard', 'Saint-Exupéry', 'Straße', 'Müller', 'Chemin', 'Mühlen'];

/** A plan with `streets` index entries of made-up names and squares, on `paper`, with a map of two JPEG strips. */
async function content(format: PlanFormat, o: { paper: string; streets: number; seed: number }): Promise<PlanContent> {
  const rnd = seededRandom(o.seed);
  const boxes = planBoxes(paperSize(o.paper, 'portrait'), 'side');
  const merc = { x0: 0.52, y0: 0.35, x1: 0.521, y1: 0.351 };
  const grid = makeGrid(merc, { widthMm: boxes.frame.w, heightMm: boxes.frame.h }, GRID_CELL_MM * boxes.f);
  const streets: IndexEntry[] = Array.from({ length: o.streets }, (_, i) => {
    const name = `${Array.from({ length: 2 + Math.floor(rnd() * 4) }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ')} ${i}`;
    const squares = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (): [number, number] => [Math.floor(rnd() * grid.cols), Math.floor(rnd() * grid.rows)]);
    return { name, label: name, squares };
  }).sort((a, b) => a.label.localeCompare(b.label, 'fr'));
  const width = 400, half = 150;
  const strip = (color: string, height: number) => sharp({ create: { width, height, channels: 3, background: color } }).jpeg().toBuffer();
  return {
    format, dpi: 100, lang: 'fr', boxes, title: 'Mulhouse', subtitle: 'Échelle 1:10 000', subject: 'Mulhouse 1:10 000', keywords: 'grid=test',
    scale: 10_000, grid, legend: [{ label: { fr: 'Route', de: 'Straße' }, kind: 'line', color: '#ff0000', found: true }], attribution: '© OpenStreetMap contributors',
    streets, pois: [{ id: 'museum', title: { fr: 'Musées', de: 'Museen' }, entries: streets.slice(0, 5).map((e) => ({ ...e, label: e.name })) }],
    raster: { width, height: 2 * half, strips: [{ jpeg: await strip('#88aa88', half + 1), top: 0, height: half, overlap: 1 }, { jpeg: await strip('#8888aa', half), top: half, height: half, overlap: 0 }] },
  };
}

/** pdfkit stamps the time of writing into the document (and its ID, a hash of it); everything else must match. */
const undated = (b: Buffer) => b.toString('latin1').replace(/\(D:\d{14}Z\)/g, '(D:)').replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/, '/ID');

describe('print/plan_document (plan layout and writing off the event loop)', function () {
  this.timeout(240_000);
  const measure = new TextMeasure();
  let workers: PlanWorkers;
  beforeEach(() => { workers = new PlanWorkers({ niceness: 0 }); });
  afterEach(() => workers.close());

  for (const format of ['pdf', 'svg', 'png'] as const) {
    it(`writes a ${format} in a worker thread identical to one written here`, async () => {
      const here = await writePlan(await content(format, { paper: 'A4', streets: 300, seed: 1 }), measure);
      const there = await workers.write(await content(format, { paper: 'A4', streets: 300, seed: 1 }));
      assert.equal(there.pages, here.pages);
      assert.ok(here.pages > 1, 'the index runs onto pages of its own');
      if (format === 'pdf') assert.ok(undated(there.data) === undated(here.data), 'pdf differs');
      else assert.ok(there.data.equals(here.data), `${format} differs`);
      assert.ok(!workers.stats().threadIds.includes(threadId), 'the plan was written on this thread');
    });
  }

  it('keeps the event loop turning while a big plan is laid out and written', async () => {
    const c = await content('pdf', { paper: 'A1', streets: 4000, seed: 2 });
    let last = performance.now(), longest = 0, ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      ticks++;
    }, 5);
    const t0 = performance.now();
    try {
      const r = await workers.write(c);
      assert.ok(r.pages >= 2);
    } finally {
      clearInterval(timer);
    }
    const total = performance.now() - t0;
    longest = Math.max(longest, performance.now() - last);
    // written here, the whole layout and writing would be one gap; no tight bound, the machine may be loaded
    assert.ok(longest < Math.max(250, total / 2), `the loop stood still ${longest.toFixed(0)} ms of ${total.toFixed(0)} ms (${ticks} ticks)`);
  });
});
