import assert from 'node:assert/strict';
import sharp from 'sharp';
import { cutImage, fromGlReadback, parseImageFormat } from '../../../src/render/image_codec.js';
import { isTuilerieError } from '../../../src/core/errors.js';

describe('image codec', () => {
  it('turns GL readback (bottom row first) into top-down rows', () => {
    // 1x2 image: bottom row red, top row blue, as readPixels returns them
    const gl = Buffer.from([255, 0, 0, 255, 0, 0, 255, 255]);
    const img = fromGlReadback(gl, 1, 2);
    assert.deepEqual([...img.data], [0, 0, 255, 255, 255, 0, 0, 255]);
  });

  it('divides premultiplied colours by alpha', () => {
    const img = fromGlReadback(Buffer.from([64, 32, 0, 128]), 1, 1);
    assert.deepEqual([...img.data], [128, 64, 0, 128]);
  });

  it('clears the colour of fully transparent pixels', () => {
    const img = fromGlReadback(Buffer.from([10, 20, 30, 0]), 1, 1);
    assert.deepEqual([...img.data], [0, 0, 0, 0]);
  });

  it('cuts a region and encodes it', async () => {
    const data = Buffer.alloc(4 * 4 * 4, 255);
    const png = await cutImage({ data, width: 4, height: 4 }, { left: 2, top: 1, width: 2, height: 3 }, 'png');
    const m = await sharp(png).metadata();
    assert.deepEqual([m.format, m.width, m.height], ['png', 2, 3]);
  });

  it('reads jpg and jpeg as one format and refuses others', () => {
    assert.equal(parseImageFormat('jpg'), 'jpeg');
    assert.equal(parseImageFormat('JPEG'), 'jpeg');
    assert.throws(() => parseImageFormat('gif'), (e) => isTuilerieError(e, 'BAD_REQUEST'));
  });
});
