import assert from 'node:assert/strict';
import { EARTH_CIRCUMFERENCE, lonLatToMercator } from '../../../src/core/tile_math.js';
import { crsByCode } from '../../../src/ogc/crs.js';
import { PixelMappingGrid } from '../../../src/ogc/pixel_mapping_grid.js';
import { ReprojectedMap, type MercatorView } from '../../../src/ogc/reprojected_map.js';
import { ReprojectionWorkers } from '../../../src/ogc/reprojection_tasks.js';
import { resampleBilinear } from '../../../src/render/resample_bilinear.js';
import type { RgbaImage } from '../../../src/render/image_codec.js';

/** The resampling threads of this file's maps, as a server's composition root would own them. */
let workers: ReprojectionWorkers;

/** A fake Mercator renderer: white, with a red Gaussian blob (sigma px) centred exactly, to sub-pixel, on each lon/lat given. */
function dotRenderer(points: [number, number][], sigma = 1.5) {
  const views: MercatorView[] = [];
  const render = async (v: MercatorView): Promise<Buffer> => {
    views.push(v);
    const res = EARTH_CIRCUMFERENCE / (512 * 2 ** v.zoom);
    const [cx, cy] = lonLatToMercator(v.center[0], v.center[1]);
    const img = Buffer.alloc(v.width * v.height * 4, 255);
    for (const [lon, lat] of points) {
      const [mx, my] = lonLatToMercator(lon, lat);
      // in pixel units where the centre of pixel a is at a + 0.5
      const px = (mx - cx) / res + v.width / 2, py = (cy - my) / res + v.height / 2;
      const r = Math.ceil(4 * sigma);
      for (let y = Math.floor(py) - r; y <= Math.floor(py) + r; y++) {
        for (let x = Math.floor(px) - r; x <= Math.floor(px) + r; x++) {
          if (x < 0 || y < 0 || x >= v.width || y >= v.height) continue;
          const d2 = (x + 0.5 - px) ** 2 + (y + 0.5 - py) ** 2;
          const o = (y * v.width + x) * 4;
          const g = Math.round(255 * (1 - Math.exp(-d2 / (2 * sigma * sigma))));
          img[o + 1] = img[o + 2] = g;
        }
      }
    }
    return img;
  };
  return { render, views };
}

/** Centroid of "redness" (255 - green) over an image, pixel-centre coordinates. */
function redCentroid(img: RgbaImage): [number, number] {
  let sx = 0, sy = 0, sw = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const w = 255 - img.data[(y * img.width + x) * 4 + 1];
      sx += w * (x + 0.5); sy += w * (y + 0.5); sw += w;
    }
  }
  return [sx / sw, sy / sw];
}

describe('reprojection', () => {
  before(() => { workers = new ReprojectionWorkers({ niceness: 0 }); });
  after(() => workers.close());

  it('the coarse grid interpolates a Lambert-93 → Mercator mapping within its tolerance everywhere', () => {
    const l93 = crsByCode('EPSG:2154');
    const map = (x: number, y: number): [number, number] => {
      const [lon, lat] = l93.toLonLat(1_000_000 + x * 50, 6_800_000 - y * 50);
      const [mx, my] = lonLatToMercator(lon, lat);
      return [mx / 75, -my / 75];
    };
    const grid = new PixelMappingGrid({ width: 1000, height: 800, map, tolerance: 0.05 });
    let worst = 0;
    for (let y = 0.5; y < 800; y += 37.3) {
      for (let x = 0.5; x < 1000; x += 41.7) {
        const [u, v] = grid.at(x, y);
        const [eu, ev] = map(x, y);
        worst = Math.max(worst, Math.hypot(u - eu, v - ev));
      }
    }
    assert.ok(worst < 0.1, `worst error ${worst} px (grid step ${grid.step})`);
    assert.ok(grid.step >= 4, `a smooth mapping needs no per-pixel grid (step ${grid.step})`);
  });

  it('the grid refines its step when the mapping bends faster than the tolerance allows', () => {
    const bend = (x: number, y: number): [number, number] => [x + 20 * Math.sin(x / 10), y];
    const coarse = new PixelMappingGrid({ width: 200, height: 10, map: (x, y) => [x, y] });
    const fine = new PixelMappingGrid({ width: 200, height: 10, map: bend, tolerance: 0.1 });
    assert.ok(fine.step < coarse.step, `${fine.step} < ${coarse.step}`);
    assert.ok(fine.maxError <= 0.1);
  });

  it('bilinear resampling through an identity grid returns the source pixels unchanged', () => {
    const src: RgbaImage = { data: Buffer.alloc(37 * 23 * 4), width: 37, height: 23 };
    for (let i = 0; i < src.data.length; i++) src.data[i] = (i * 7919) % 251;
    for (let i = 3; i < src.data.length; i += 4) src.data[i] = 255;
    const grid = new PixelMappingGrid({ width: 37, height: 23, map: (x, y) => [x, y] });
    assert.deepEqual(resampleBilinear(src, grid, 37, 23).data, src.data);
  });

  it('bilinear resampling halfway between two pixels averages them', () => {
    const src: RgbaImage = { data: Buffer.from([0, 0, 0, 255, 200, 100, 50, 255]), width: 2, height: 1 };
    const grid = new PixelMappingGrid({ width: 1, height: 1, map: (x, y) => [x + 0.5, y] });
    assert.deepEqual([...resampleBilinear(src, grid, 1, 1).data], [100, 50, 25, 255]);
  });

  it('transparent neighbours do not darken colours (alpha-weighted interpolation)', () => {
    const src: RgbaImage = { data: Buffer.from([0, 0, 0, 0, 200, 100, 50, 255]), width: 2, height: 1 };
    const grid = new PixelMappingGrid({ width: 1, height: 1, map: (x, y) => [x + 0.5, y] });
    assert.deepEqual([...resampleBilinear(src, grid, 1, 1).data], [200, 100, 50, 128]);
  });

  for (const code of ['EPSG:2154', 'EPSG:3035', 'EPSG:4326', 'EPSG:3857']) {
    it(`a point drawn in Web Mercator lands within 0.25 px of its ${code} position`, async () => {
      const crs = crsByCode(code);
      const point: [number, number] = [7.3389, 47.7508];
      const [x, y] = crs.fromLonLat(point[0], point[1]);
      const geographic = crs.geographic;
      const half = geographic ? 0.002 : 150, w = 300, h = 200;
      // an off-centre box so that the point is nowhere special
      const bbox: [number, number, number, number] = [x - half * 0.7, y - half * 0.45, x + half * 1.3, y + half * 0.88];
      const fake = dotRenderer([point]);
      const img = await new ReprojectedMap({ workers, render: fake.render }).renderRgba({ crs, bbox, width: w, height: h });
      const [cx, cy] = redCentroid(img);
      const ex = ((x - bbox[0]) / (bbox[2] - bbox[0])) * w, ey = ((bbox[3] - y) / (bbox[3] - bbox[1])) * h;
      assert.ok(Math.hypot(cx - ex, cy - ey) < 0.25, `${code}: dot at ${cx.toFixed(2)},${cy.toFixed(2)}, expected ${ex.toFixed(2)},${ey.toFixed(2)}`);
    });
  }

  it('a Mercator request on a square-pixel grid is rendered at exactly its own resolution', async () => {
    const [x, y] = lonLatToMercator(7.3389, 47.7508);
    const fake = dotRenderer([]);
    const plan = new ReprojectedMap({ workers, render: fake.render }).plan({ crs: crsByCode('EPSG:3857'), bbox: [x, y, x + 512, y + 256], width: 256, height: 128 })!;
    assert.ok(Math.abs(plan.resolution - 2) < 1e-9);
    assert.equal(plan.view.width, 256 + 4);
    assert.ok(Math.abs((x - plan.left) / plan.resolution - 2) < 1e-6, 'an integer pixel offset: no resampling blur');
  });

  it('keeps the Mercator render within the size limit by lowering its resolution', () => {
    const fake = dotRenderer([]);
    const plan = new ReprojectedMap({ workers, render: fake.render, maxSourcePixels: 1024 }).plan({ crs: crsByCode('EPSG:2154'), bbox: [1_000_000, 6_700_000, 1_040_000, 6_740_000], width: 2048, height: 2048 });
    assert.ok(plan && plan.view.width <= 1024 && plan.view.height <= 1024, `${plan.view.width}×${plan.view.height}`);
  });

  it('a world map in EPSG:4326 is transparent beyond Web Mercator\'s latitude limit and drawn below it', async () => {
    const fake = dotRenderer([]);
    const img = await new ReprojectedMap({ workers, render: fake.render }).renderRgba({ crs: crsByCode('EPSG:4326'), bbox: [-180, -90, 180, 90], width: 360, height: 180 });
    const alphaAt = (x: number, y: number) => img.data[(y * 360 + x) * 4 + 3];
    assert.equal(alphaAt(180, 1), 0, 'at 89° N');
    assert.equal(alphaAt(180, 90), 255, 'at the equator');
    assert.equal(fake.views.length, 1);
  });

  it('an extent wholly beyond Web Mercator renders nothing and returns a transparent image', async () => {
    const fake = dotRenderer([]);
    const img = await new ReprojectedMap({ workers, render: fake.render }).renderRgba({ crs: crsByCode('EPSG:4326'), bbox: [0, 86, 10, 90], width: 16, height: 16 });
    assert.equal(fake.views.length, 0);
    assert.ok(img.data.every((b) => b === 0));
  });

  it('reprojects 2048×2048 from Lambert-93 in well under a second of CPU @slow', async () => {
    const crs = crsByCode('EPSG:2154');
    const fake = dotRenderer([]);
    const m = new ReprojectedMap({ workers, render: fake.render });
    const req = { crs, bbox: [1_020_000, 6_744_000, 1_028_192, 6_752_192] as [number, number, number, number], width: 2048, height: 2048 };
    const plan = m.plan(req)!;
    const src: RgbaImage = { data: await fake.render(plan.view), width: plan.view.width, height: plan.view.height };
    const cpu0 = process.cpuUsage();
    const toMerc = ReprojectedMap.outputToMercator(req);
    const grid = new PixelMappingGrid({ width: 2048, height: 2048, map: (x, y) => { const [mx, my] = toMerc(x, y); return [(mx - plan.left) / plan.resolution, (plan.top - my) / plan.resolution]; } });
    resampleBilinear(src, grid, 2048, 2048);
    const cpu = process.cpuUsage(cpu0);
    const ms = (cpu.user + cpu.system) / 1000;
    assert.ok(ms < 600, `${ms.toFixed(0)} ms of CPU`);
  });
});
