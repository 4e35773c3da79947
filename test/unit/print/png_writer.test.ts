import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { PlanDocument } from '../../../src/print/page_model.js';
import { writePng } from '../../../src/print/png_writer.js';

/** A 40 × 30 mm page: a red rectangle, a blue line, some text and a green JPEG strip. */
async function plan(): Promise<PlanDocument> {
  const jpeg = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#00ff00' } }).jpeg().toBuffer();
  return {
    title: 't',
    subject: 's',
    pages: [{
      widthMm: 40,
      heightMm: 30,
      ops: [
        { kind: 'rect', x: 2, y: 2, w: 10, h: 8, fill: '#ff0000' },
        { kind: 'line', points: [[0, 20], [40, 20]], width: 1, color: '#0000ff' },
        { kind: 'image', x: 20, y: 2, w: 18, h: 9, jpeg, pxWidth: 20, pxHeight: 10 },
        { kind: 'text', x: 2, y: 28, text: 'Mulhouse', size: 8, font: 'bold', align: 'left', color: '#000000' },
      ],
    }],
  };
}

async function rgb(png: Buffer, xMm: number, yMm: number, dpi: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const px = Math.round((xMm * dpi) / 25.4), py = Math.round((yMm * dpi) / 25.4);
  const i = (py * info.width + px) * info.channels;
  return [data[i], data[i + 1], data[i + 2]];
}

describe('print/png_writer', () => {
  it('puts the ops where the page says, at the asked dpi', async () => {
    const png = await writePng(await plan(), { dpi: 150 });
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.width, meta.height], [Math.round((40 * 150) / 25.4), Math.round((30 * 150) / 25.4)]);
    assert.deepEqual(await rgb(png, 6, 5, 150), [255, 0, 0]);
    const green = await rgb(png, 29, 6, 150);
    assert.ok(green[1] > 200 && green[0] < 60 && green[2] < 60, `green strip, got ${green}`);
    assert.deepEqual(await rgb(png, 30, 25, 150), [255, 255, 255]);
  });
});
