import assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import { crsByCode, type CrsDef } from '../../../src/ogc/crs.js';
import { ReprojectedMap, type MercatorView } from '../../../src/ogc/reprojected_map.js';
import { ReprojectionWorkers } from '../../../src/ogc/reprojection_tasks.js';
import { reprojectImage } from '../../../src/ogc/reprojection_grid.js';
import { encodeMap } from '../../../src/ogc/map_encoding.js';

/** The resampling threads of this file's maps, as a server's composition root would own them. */
let workers: ReprojectionWorkers;

/** A Mercator "render" whose every pixel differs from its neighbours (a gradient with transparent stripes). */
function gradient(v: MercatorView): Buffer {
  const b = Buffer.alloc(v.width * v.height * 4);
  for (let y = 0; y < v.height; y++) {
    for (let x = 0; x < v.width; x++) {
      const o = (y * v.width + x) * 4;
      b[o] = x & 255;
      b[o + 1] = y & 255;
      b[o + 2] = (x + y) & 255;
      b[o + 3] = x % 97 < 5 ? 0 : x % 97 < 9 ? 128 : 255;
    }
  }
  return b;
}

/** The CRS with its inverse counted: how often this thread projects. */
function counted(code: string): { crs: CrsDef; calls: () => number } {
  const base = crsByCode(code);
  let n = 0;
  const crs: CrsDef = { ...base, toLonLat: (x, y) => { n++; return base.toLonLat(x, y); } };
  return { crs, calls: () => n };
}

describe('ogc/reprojection in a worker thread', () => {
  before(() => { workers = new ReprojectionWorkers({ niceness: 0 }); });
  after(() => workers.close());

  for (const code of ['EPSG:2154', 'EPSG:4326', 'EPSG:3857']) {
    it(`gives the same pixels as reprojecting here (${code}), the grid and resampling done on another thread`, async () => {
      const { crs, calls } = counted(code);
      const bbox: [number, number, number, number] = code === 'EPSG:2154' ? [1_020_000, 6_744_000, 1_028_000, 6_750_000]
        : code === 'EPSG:4326' ? [7.30, 47.73, 7.37, 47.77] : [812_000, 6_060_000, 820_000, 6_066_000];
      const req = { crs, bbox, width: 1200, height: 900 };
      const m = new ReprojectedMap({ workers, render: async (v) => gradient(v) });
      const plan = m.plan(req)!;
      const before = workers.stats().done;
      const off = await m.renderRgba(req);
      const projectedHere = calls();
      const here = reprojectImage({ data: gradient(plan.view), width: plan.view.width, height: plan.view.height }, { ...req, crs: crsByCode(code) }, plan);
      assert.ok(off.data.equals(here.data), 'pixels differ from the in-thread reprojection');
      assert.equal(workers.stats().done, before + 1);
      assert.ok(!workers.stats().threadIds.includes(threadId));
      // planning the view projects a few hundred points here; the grid (thousands) is the worker's
      if (code !== 'EPSG:3857') assert.ok(projectedHere < 1000, `${projectedHere} projections on this thread`);
    });
  }

  for (const encoding of [{ format: 'png', transparent: false, background: '#336699' }, { format: 'png', transparent: true }, { format: 'jpeg', transparent: false }] as const) {
    it(`renders, reprojects and encodes (${encoding.format}${encoding.transparent ? ', transparent' : ''}) in the worker to the same bytes as encoding its pixels here`, async () => {
      const req = { crs: crsByCode('EPSG:2154'), bbox: [1_020_000, 6_744_000, 1_028_000, 6_750_000] as [number, number, number, number], width: 600, height: 450, ...encoding, quality: 80 };
      const m = new ReprojectedMap({ workers, render: async (v) => gradient(v) });
      const before = workers.stats().done;
      const encoded = await m.render(req);
      assert.equal(workers.stats().done, before + 1, 'one worker task, encoding included');
      assert.ok(encoded.equals(await encodeMap(await m.renderRgba(req), req)));
    });
  }
});
