import assert from 'node:assert/strict';
import sharp from 'sharp';
import { MAX_CANVAS_PX, MetatileRenderer, metatileLayout, metatileOf } from '../../../src/render/metatile.js';
import { latToY, lonToX } from '../../../src/core/tile_math.js';
import { isTuilerieError } from '../../../src/core/errors.js';

type Crop = { left: number; top: number; width: number; height: number };

/** A fake renderRaw: the requested crop of a viewport whose red and green channels are its x and y (mod 256). */
function fakeRaw() {
  const calls: { width: number; height: number; scale: number; crop: Crop; view: { center: [number, number] } }[] = [];
  const renderRaw = async (r: { width: number; height: number; scale: number; crop: Crop; view: { center: [number, number] } }) => {
    calls.push(r);
    await new Promise((res) => setTimeout(res, 20));
    const w = r.crop.width * r.scale, h = r.crop.height * r.scale;
    const buf = Buffer.alloc(w * h * 4);
    for (let i = 0; i < buf.length; i += 4) {
      const x = (i / 4) % w + r.crop.left * r.scale, y = Math.floor(i / 4 / w) + r.crop.top * r.scale;
      buf[i] = x % 256; buf[i + 1] = y % 256; buf[i + 2] = calls.length; buf[i + 3] = 255;
    }
    return buf;
  };
  return { calls, renderRaw };
}

describe('metatiles', () => {
  it('groups tiles into 4x4 metatiles aligned on multiples of 4', () => {
    assert.deepEqual(metatileOf(14, 8514, 5762, 4), { z: 14, x0: 8512, y0: 5760, n: 4 });
  });

  it('uses the whole world as one smaller metatile at low zooms', () => {
    assert.deepEqual(metatileOf(1, 1, 0, 4), { z: 1, x0: 0, y0: 0, n: 2 });
  });

  it('adds the gutter on every side of an inner metatile and centres the camera on it', () => {
    const l = metatileLayout({ z: 14, x0: 8512, y0: 5760, n: 4 }, 256, 128);
    assert.equal(l.width, 4 * 256 + 256);
    assert.equal(l.height, 4 * 256 + 256);
    assert.equal(l.left, 128);
    assert.equal(l.top, 128);
    const n = 2 ** 14;
    assert.ok(Math.abs(lonToX(l.view.center[0]) * n - (8512 + 2)) < 1e-6);
    assert.ok(Math.abs(latToY(l.view.center[1]) * n - (5760 + 2)) < 1e-6);
    assert.equal(l.view.zoom, 13);
  });

  it('has no gutter beyond the north edge of the world', () => {
    const l = metatileLayout({ z: 5, x0: 4, y0: 0, n: 4 }, 512, 128);
    assert.equal(l.top, 0);
    assert.equal(l.height, 4 * 512 + 128);
  });

  it('has no gutter at all when one metatile is the whole world', () => {
    const l = metatileLayout({ z: 0, x0: 0, y0: 0, n: 1 }, 256, 128);
    assert.deepEqual([l.width, l.height, l.left, l.top], [256, 256, 0, 0]);
    assert.equal(l.view.zoom, -1);
  });

  it('cuts a metatile into n*n tiles of tileSize*scale pixels', async () => {
    const { renderRaw } = fakeRaw();
    const m = new MetatileRenderer({ renderRaw, metaSize: 4, gutter: 16 });
    const tiles = await m.render({ style: {}, styleKey: 's', z: 10, x: 530, y: 360, tileSize: 256, scale: 2, format: 'png' });
    assert.equal(tiles.size, 16);
    const meta = await sharp(tiles.get('530/360')!).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [512, 512, 'png']);
  });

  it('shrinks the metatile of big tiles so the canvas stays within the renderer limit', async () => {
    const seen: number[] = [];
    const m = new MetatileRenderer({ renderRaw: async (r) => { seen.push(r.width * r.scale, r.height * r.scale); return Buffer.alloc(r.crop!.width * r.crop!.height * r.scale * r.scale * 4); }, metaSize: 4, gutter: 128 });
    assert.equal(m.gridOf(10, 5, 5, undefined, 512, 3).n, 2);
    assert.equal(m.gridOf(10, 5, 5, undefined, 256, 1).n, 4);
    await m.render({ style: {}, styleKey: 'k', z: 10, x: 5, y: 5, tileSize: 512, scale: 3, format: 'png' });
    assert.ok(seen.length > 0 && Math.max(...seen) <= MAX_CANVAS_PX, String(seen));
  });

  it('cuts each tile at its own offset past the gutter', async () => {
    const { renderRaw } = fakeRaw();
    const m = new MetatileRenderer({ renderRaw, metaSize: 2, gutter: 16 });
    const tiles = await m.render({ style: {}, styleKey: 's', z: 10, x: 3, y: 3, tileSize: 256, scale: 1, format: 'png' });
    // tile (3,3) is the second column and row: its first pixel is at x = y = 16 + 256 in the render
    const { data } = await sharp(tiles.get('3/3')!).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([data[0], data[1]], [(16 + 256) % 256, (16 + 256) % 256]);
  });

  it('renders only the rectangle around the wanted tiles and cuts only those', async () => {
    const { calls, renderRaw } = fakeRaw();
    const m = new MetatileRenderer({ renderRaw, metaSize: 8, gutter: 16 });
    // tiles (10..11, 21) and (11, 22) of the 8x8 metatile at (8, 16): a 2x2 rectangle, three tiles wanted
    const only: [number, number][] = [[10, 21], [11, 21], [11, 22], [40, 40]];
    const tiles = await m.render({ style: {}, styleKey: 's', z: 10, x: 8, y: 16, tileSize: 256, scale: 1, format: 'png', only });
    assert.deepEqual([...tiles.keys()].sort(), ['10/21', '11/21', '11/22']);
    assert.deepEqual([calls[0].crop.width, calls[0].crop.height, calls[0].width, calls[0].height], [512, 512, 512 + 32, 512 + 32]);
    // each tile is cut at its place in the smaller render: (11, 22) is its second column and row
    const { data } = await sharp(tiles.get('11/22')!).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([data[0], data[1]], [(16 + 256) % 256, (16 + 256) % 256]);
    // and that render is centred where the full metatile has those tiles
    const world = 512 * 2 ** (10 - 1);
    const cx = lonToX(calls[0].view.center[0]) * world, cy = latToY(calls[0].view.center[1]) * world;
    assert.ok(Math.abs(cx - 11 * 256) < 1e-6 && Math.abs(cy - 22 * 256) < 1e-6, `${cx}, ${cy}`);
  });

  it('hands the caller\'s signal to the renderer, and refuses at once when it has already aborted', async () => {
    const seen: (AbortSignal | undefined)[] = [];
    const m = new MetatileRenderer({ renderRaw: async (r, signal) => { seen.push(signal); return Buffer.alloc(r.crop.width * r.crop.height * r.scale * r.scale * 4); }, metaSize: 2, gutter: 0 });
    const req = { style: {}, styleKey: 's', z: 12, x: 2128, y: 1440, tileSize: 256, scale: 1, format: 'png' as const };
    const ac = new AbortController();
    assert.equal((await m.render(req, ac.signal)).size, 4);
    assert.equal(seen[0], ac.signal);
    ac.abort();
    await assert.rejects(m.render(req, ac.signal), (e) => isTuilerieError(e, 'CANCELLED'));
    assert.equal(seen.length, 1);
  });
});
