import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskTileCache } from '../../../src/cache/disk_tile_cache.js';
import { silentLogger } from '../../../src/core/logger.js';
import { EARTH_CIRCUMFERENCE, lonLatToMercator } from '../../../src/core/tile_math.js';
import { MemoryTileCache } from '../../../src/cache/memory_tile_cache.js';
import { crsByCode } from '../../../src/ogc/crs.js';
import { ReprojectedMap, type MercatorView } from '../../../src/ogc/reprojected_map.js';
import { ReprojectionWorkers } from '../../../src/ogc/reprojection_tasks.js';
import { RenderedTileChain, type RenderedTileChainOptions } from '../../../src/cache/rendered_tile_chain.js';
import { ReprojectedTileService, tileBlock } from '../../../src/ogc/reprojected_tile_service.js';
import { findTileMatrixSet, tileAt } from '../../../src/ogc/tile_matrix_sets.js';
import type { RasterStyle } from '../../../src/render/raster_tile_service.js';
import sharp from 'sharp';

/** The resampling threads of this file's maps, as a server's composition root would own them. */
let workers: ReprojectionWorkers;

const STYLE: RasterStyle = { id: 'fake', style: {}, styleKey: 'fake:1', dataVersion: 'v1', minzoom: 0, maxzoom: 14 };
const POINT: [number, number] = [7.3389, 47.7508];

/** Renders white with one black pixel at POINT; counts renders. */
function fakeMap(margin = 2) {
  const views: MercatorView[] = [];
  const map = new ReprojectedMap({ workers,
    margin,
    render: async (v) => {
      views.push(v);
      const res = EARTH_CIRCUMFERENCE / (512 * 2 ** v.zoom);
      const [cx, cy] = lonLatToMercator(v.center[0], v.center[1]);
      const [mx, my] = lonLatToMercator(POINT[0], POINT[1]);
      const img = Buffer.alloc(v.width * v.height * 4, 255);
      const px = Math.floor((mx - cx) / res + v.width / 2), py = Math.floor((cy - my) / res + v.height / 2);
      if (px >= 0 && py >= 0 && px < v.width && py < v.height) img.fill(0, (py * v.width + px) * 4, (py * v.width + px) * 4 + 3);
      return img;
    },
  });
  return { map, views };
}

/** A service over a cache chain of the given tiers. */
function serviceOf(map: ReprojectedMap, tiers: RenderedTileChainOptions = {}): ReprojectedTileService {
  return new ReprojectedTileService({ mapOf: () => map, chain: new RenderedTileChain(tiers) });
}

describe('LAMB93 tiles by blocks', () => {
  before(() => { workers = new ReprojectionWorkers({ niceness: 0 }); });
  after(() => workers.close());

  const set = findTileMatrixSet('LAMB93')!;
  const level = 17;
  const matrix = set.matrices[level];
  const [x, y] = crsByCode('EPSG:2154').fromLonLat(POINT[0], POINT[1]);
  const at = tileAt(matrix, x, y);

  it('blocks are aligned to multiples of n and clipped to the matrix', () => {
    assert.deepEqual(tileBlock(matrix, 13, 6, 4), { row0: 12, col0: 4, rows: 4, cols: 4 });
    const m0 = set.matrices[0];
    assert.deepEqual(tileBlock(m0, 1, 1, 4), { row0: 0, col0: 0, rows: 2, cols: 2 });
  });

  it('the tiles of one block cost one render, at once or one after the other', async () => {
    const fake = fakeMap();
    const service = serviceOf(fake.map, { memory: new MemoryTileCache({ maxBytes: 1 << 24 }) });
    const b = tileBlock(matrix, at.row, at.col, 4);
    await Promise.all([0, 1, 2].map((d) => service.getTile({ style: STYLE, set, matrix, level, row: b.row0 + d, col: b.col0, format: 'png' })));
    await service.getTile({ style: STYLE, set, matrix, level, row: b.row0 + 3, col: b.col0 + 3, format: 'png' });
    assert.equal(fake.views.length, 1);
  });

  it('tiles stored on disk survive a restart: a new service with an empty memory serves them without rendering', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-lamb93-disk-'));
    try {
      const first = fakeMap();
      const disk = new DiskTileCache({ dir });
      const req = { style: STYLE, set, matrix, level, row: at.row, col: at.col, format: 'png' as const };
      const before = await serviceOf(first.map, { memory: new MemoryTileCache({ maxBytes: 1 << 24 }), disk }).getTile(req);
      assert.equal(first.views.length, 1);
      disk.close();
      const again = fakeMap();
      const reopened = new DiskTileCache({ dir });
      const after = await serviceOf(again.map, { memory: new MemoryTileCache({ maxBytes: 1 << 24 }), disk: reopened }).getTile(req);
      assert.equal(again.views.length, 0, 'no render after the restart');
      assert.equal(after.etag, before.etag);
      assert.ok(after.data.equals(before.data));
      // a new data version is another key: rendered again
      await serviceOf(again.map, { disk: reopened }).getTile({ ...req, style: { ...STYLE, dataVersion: 'v2' } });
      assert.equal(again.views.length, 1);
      reopened.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a disk that refuses writes does not fail the request', async () => {
    const fake = fakeMap();
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => { warnings.push(m); } };
    const disk = { get: () => undefined, setMany: () => { throw new Error('database or disk is full'); } };
    const tile = await serviceOf(fake.map, { disk, logger }).getTile({ style: STYLE, set, matrix, level, row: at.row, col: at.col, format: 'png' });
    assert.equal(tile.data.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual(warnings, ['cannot store rendered tiles on disk']);
  });

  it('each tile of a block holds its own part of the map: the point is in its tile, at its pixel', async () => {
    const fake = fakeMap();
    const service = serviceOf(fake.map);
    const tile = await service.getTile({ style: STYLE, set, matrix, level, row: at.row, col: at.col, format: 'png' });
    const { data, info } = await sharp(tile.data).raw().toBuffer({ resolveWithObject: true });
    let darkest = 255, where = [-1, -1];
    for (let j = 0; j < info.height; j++) for (let i = 0; i < info.width; i++) {
      const v = data[(j * info.width + i) * info.channels];
      if (v < darkest) { darkest = v; where = [i, j]; }
    }
    const ex = (x - (matrix.topLeft[0] + at.col * 256 * matrix.cellSize)) / matrix.cellSize;
    const ey = (matrix.topLeft[1] - at.row * 256 * matrix.cellSize - y) / matrix.cellSize;
    assert.ok(darkest < 200, 'the point is drawn in its tile');
    assert.ok(Math.hypot(where[0] + 0.5 - ex, where[1] + 0.5 - ey) < 1.5, `point at ${where}, expected ${ex.toFixed(1)},${ey.toFixed(1)}`);
  });

  it('renders a margin around the block, shrunk when the size limit leaves no room', () => {
    const big = new ReprojectedMap({ workers, render: async () => Buffer.alloc(0), margin: 128, maxSourcePixels: 4096 });
    const req = { crs: crsByCode('EPSG:3857'), bbox: [0, 0, 1024, 1024] as [number, number, number, number], width: 1024, height: 1024 };
    assert.equal(big.plan(req)!.view.width, 1024 + 256);
    const tight = new ReprojectedMap({ workers, render: async () => Buffer.alloc(0), margin: 128, maxSourcePixels: 1100 });
    assert.equal(tight.plan(req)!.view.width, 1100);
  });
});
