import assert from 'node:assert/strict';
import sharp from 'sharp';
import { cutImage, encodeImage, encodeOnBackground, fromGlReadback, parseImageFormat } from '../../../src/render/image_codec.js';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { fromGlReadbackInPlace } from '../../../src/render/gl_readback.js';
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

  it('turns a readback upright and straight in its own memory exactly as into a new image', () => {
    const rnd = seededRandom(3);
    for (const [w, h] of [[1, 1], [3, 2], [5, 7], [16, 9]]) {
      const gl = Buffer.from(Array.from({ length: w * h * 4 }, (_, i) => (i % 4 === 3 ? [0, 255, 128, 17][Math.floor(rnd() * 4)] : Math.floor(rnd() * 256))));
      const expected = fromGlReadback(Buffer.from(gl), w, h).data;
      const inPlace = fromGlReadbackInPlace(gl, w, h);
      assert.equal(inPlace.data, gl, 'not in place');
      assert.ok(inPlace.data.equals(expected), `${w}x${h}`);
    }
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

  it('flattens on a background and encodes in one pipeline to the same bytes as flattening first, in every format', async () => {
    const rnd = seededRandom(7);
    const width = 97, height = 53;
    const data = Buffer.alloc(width * height * 4);
    for (let i = 0; i < data.length; i += 4) {
      const kind = rnd();
      data[i] = rnd() * 256; data[i + 1] = rnd() * 256; data[i + 2] = rnd() * 256;
      data[i + 3] = kind < 0.5 ? 255 : kind < 0.7 ? 0 : rnd() * 256;
    }
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      for (const background of ['#ffffff', '#336699']) {
        const flat = await sharp(data, { raw: { width, height, channels: 4 } }).flatten({ background }).ensureAlpha(1).raw().toBuffer();
        const twoSteps = await encodeImage({ data: flat, width, height }, format, 80);
        const oneStep = await encodeOnBackground({ data, width, height }, { format, background, quality: 80 });
        assert.ok(oneStep.equals(twoSteps), `${format} on ${background}`);
      }
    }
  });
});
