import assert from 'node:assert/strict';
import sharp from 'sharp';
import { composeOver } from '../../../src/render/compose_over.js';
import { encodeMap } from '../../../src/ogc/map_encoding.js';
import type { RgbaImage } from '../../../src/render/image_codec.js';

/** 2×1: a transparent pixel, then opaque blue. */
const image = (): RgbaImage => ({ data: Buffer.from([0, 0, 0, 0, 0, 0, 255, 255]), width: 2, height: 1 });

async function pixels(buf: Buffer): Promise<number[]> {
  const { data } = await sharp(buf).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return [...data];
}

describe('WMS map encoding', () => {
  it('TRANSPARENT=TRUE keeps the alpha channel in PNG', async () => {
    assert.deepEqual(await pixels(await encodeMap(image(), { format: 'png', transparent: true })), [0, 0, 0, 0, 0, 0, 255, 255]);
  });

  it('TRANSPARENT=FALSE fills transparent pixels with BGCOLOR', async () => {
    assert.deepEqual(await pixels(await encodeMap(image(), { format: 'png', transparent: false, background: '#ff8800' })), [255, 136, 0, 255, 0, 0, 255, 255]);
  });

  it('JPEG is flattened on BGCOLOR even when transparency is asked for', async () => {
    // wholly transparent and large enough that chroma subsampling mixes in nothing else
    const clear: RgbaImage = { data: Buffer.alloc(16 * 16 * 4), width: 16, height: 16 };
    const [r, g, b] = await pixels(await encodeMap(clear, { format: 'jpeg', transparent: true, background: '#00ff00', quality: 100 }));
    assert.ok(r < 60 && g > 200 && b < 60, `${r},${g},${b}`);
  });

  it('later WMS layers are drawn over earlier ones, transparent parts letting them through', () => {
    const bottom: RgbaImage = { data: Buffer.from([255, 0, 0, 255, 255, 0, 0, 255]), width: 2, height: 1 };
    const top: RgbaImage = { data: Buffer.from([0, 0, 0, 0, 0, 0, 255, 128]), width: 2, height: 1 };
    composeOver(bottom, top);
    assert.deepEqual([...bottom.data.subarray(0, 4)], [255, 0, 0, 255]);
    const [r, g, b, a] = bottom.data.subarray(4);
    assert.ok(Math.abs(r - 127) <= 1 && g === 0 && Math.abs(b - 128) <= 1 && a === 255, `${r},${g},${b},${a}`);
  });
});
