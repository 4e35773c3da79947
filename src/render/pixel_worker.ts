/**
 * Pixel work off the event loop (see ./pixel_tasks.ts): readback unpacking
 * (inflate, flip, unpremultiply), bilinear resampling, compositing.
 */
import { parentPort } from 'node:worker_threads';
import zlib from 'node:zlib';
import { serveTasks } from '../core/worker_pool.js';
import { composeOver } from './compose_over.js';
import { fromGlReadback } from './gl_readback.js';
import { resampleBilinear, type MappingGrid } from './resample_bilinear.js';
import type { RgbaImage } from './image_codec.js';

const image = (i: RgbaImage): RgbaImage => ({ data: Buffer.from(i.data.buffer, i.data.byteOffset, i.data.byteLength), width: i.width, height: i.height });
const own = (b: Buffer): ArrayBuffer[] => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? [b.buffer as ArrayBuffer] : []);

serveTasks(parentPort!, {
  readback(a: { base64: string[]; width: number; height: number }) {
    const packed = Buffer.concat(a.base64.map((c) => Buffer.from(c, 'base64')));
    const pixels = zlib.inflateRawSync(packed);
    if (pixels.length !== a.width * a.height * 4) throw new Error(`render readback incomplete (${pixels.length} bytes for ${a.width}x${a.height})`);
    const out = fromGlReadback(pixels, a.width, a.height).data;
    return { result: out, transfer: own(out) };
  },
  resample(a: { src: RgbaImage; grid: MappingGrid; width: number; height: number }) {
    const out = resampleBilinear(image(a.src), a.grid, a.width, a.height).data;
    return { result: out, transfer: own(out) };
  },
  compose(a: { bottom: RgbaImage; top: RgbaImage }) {
    const bottom = image(a.bottom);
    composeOver(bottom, image(a.top));
    return { result: bottom.data, transfer: own(bottom.data) };
  },
});
