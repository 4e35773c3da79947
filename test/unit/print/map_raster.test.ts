import assert from 'node:assert/strict';
import sharp from 'sharp';
import { MapRasterizer } from '../../../src/print/map_raster.js';
import { latToY, lonToX } from '../../../src/core/tile_math.js';
import type { CenterView, RenderRequest } from '../../../src/render/renderer.js';
import type { RasterStyle } from '../../../src/render/raster_tile_service.js';

const style: RasterStyle = { id: 'fake', style: {}, styleKey: 'fake', dataVersion: '1', minzoom: 0, maxzoom: 14 };
const merc = { x0: lonToX(7.3), y0: latToY(47.76), x1: lonToX(7.35), y1: latToY(47.74) };

/** A fake backend whose pixels encode where they are on the whole map: R = x, G = y (0–255 across it). */
function fakeRender(cssW: number, cssH: number, calls: RenderRequest[]) {
  return async (req: RenderRequest): Promise<Buffer> => {
    calls.push(req);
    const v = req.view as CenterView;
    const world = 512 * 2 ** v.zoom;
    const cx = lonToX(v.center[0]) * world, cy = latToY(v.center[1]) * world;
    // the crop of the viewport, as a renderer reads it back
    const c = req.crop ?? { left: 0, top: 0, width: req.width, height: req.height };
    const W = c.width * req.scale, H = c.height * req.scale;
    const buf = Buffer.alloc(W * H * 4);
    for (let j = 0; j < H; j++) {
      for (let i = 0; i < W; i++) {
        const gx = cx - req.width / 2 + c.left + (i + 0.5) / req.scale - merc.x0 * world;
        const gy = cy - req.height / 2 + c.top + (j + 0.5) / req.scale - merc.y0 * world;
        const o = (j * W + i) * 4;
        buf[o] = Math.max(0, Math.min(255, Math.round((gx / cssW) * 255)));
        buf[o + 1] = Math.max(0, Math.min(255, Math.round((gy / cssH) * 255)));
        buf[o + 2] = 128;
        buf[o + 3] = 255;
      }
    }
    return buf;
  };
}

describe('print/map_raster', () => {
  it('a map that fits in one piece is rendered once', async () => {
    const calls: RenderRequest[] = [];
    const out = await new MapRasterizer({ render: fakeRender(100, 80, calls), maxPiecePixels: 512, gutter: 16 }).render({ style, merc, cssWidth: 100, cssHeight: 80, pixelRatio: 2 });
    assert.equal(calls.length, 1);
    assert.deepEqual([out.width, out.height], [200, 160]);
  });
  it('renders in pieces no larger than the limit and joins them into strips that tile the map seamlessly', async () => {
    const cssW = 700, cssH = 500, calls: RenderRequest[] = [];
    const r = new MapRasterizer({ render: fakeRender(cssW, cssH, calls), maxPiecePixels: 512, gutter: 16 });
    const out = await r.render({ style, merc, cssWidth: cssW, cssHeight: cssH, pixelRatio: 2 });
    assert.ok(calls.length > 4, `${calls.length} pieces`);
    assert.ok(calls.every((c) => c.width * c.scale <= 512 && c.height * c.scale <= 512));
    assert.deepEqual([out.width, out.height], [1400, 1000]);
    assert.ok(out.strips.length > 1, 'one JPEG strip per row of pieces');
    const page = sharp({ create: { width: out.width, height: out.height, channels: 3, background: '#000000' } }).composite(out.strips.map((st) => ({ input: st.jpeg, left: 0, top: st.top })));
    const { data, info } = await sharp(await page.png().toBuffer()).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [1400, 1000]);
    let worst = 0;
    for (let y = 5; y < info.height; y += 37) {
      for (let x = 5; x < info.width; x += 41) {
        const o = (y * info.width + x) * info.channels;
        const wantR = ((x + 0.5) / 2 / cssW) * 255, wantG = ((y + 0.5) / 2 / cssH) * 255;
        worst = Math.max(worst, Math.abs(data[o] - wantR), Math.abs(data[o + 1] - wantG));
      }
    }
    assert.ok(worst <= 6, `largest colour error ${worst}: a piece is misplaced`);
  });
});
