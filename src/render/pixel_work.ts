/**
 * The pixel tasks a worker thread runs (./pixel_worker.ts serves them,
 * ./pixel_tasks.ts posts them): readback unpacking (run decoding, flip,
 * unpremultiply) and compositing. Plain functions over typed arrays, so tests
 * can also call them in-thread and compare.
 */
import os from 'node:os';
import { lowerOwnThreadsNamed } from '../core/thread_priority.js';
import { asBuffer, ownMemory, sharedBuffer, sharedResult, type TaskAnswer } from '../core/worker_pool.js';
import { composeOver } from './compose_over.js';
import { fromGlReadbackInPlace, fromGlReadbackInto, unpremultiply } from './gl_readback.js';
import { encodeImage, type ImageFormat } from './image_codec.js';
import { decodeRuns, decodeRunsInto } from './readback_runs.js';
import type { RgbaImage } from './image_codec.js';

/** An image as it crosses threads: its pixels arrive as a plain Uint8Array. */
export interface PostedImage {
  data: Uint8Array;
  width: number;
  height: number;
}

const image = (i: PostedImage): RgbaImage => ({ data: asBuffer(i.data), width: i.width, height: i.height });
const answer = (b: Buffer): TaskAnswer<Uint8Array> => ({ result: sharedResult(b) });
/** Straight RGBA drawn straight into shared memory: the answer needs no copy. */
const unpack = (pixels: Buffer, width: number, height: number) => answer(fromGlReadbackInto(pixels, { data: sharedBuffer(pixels.length), width, height }).data);

/**
 * libvips runs the encoding on threads of its own, started at the priority of
 * the thread that first needed them (often the event loop's): set them to this
 * worker's, which is lowered. A few dozen small reads, on this thread.
 */
export function lowerEncoderThreads(): void {
  lowerOwnThreadsNamed(/^(libvips|vips)/, os.getPriority());
}

export const pixelTasks = {
  /** Run-coded (./readback_runs.ts), base64 GL readback chunks → straight-alpha RGBA, top row first. */
  readback(a: { base64: string[]; width: number; height: number }): TaskAnswer<Uint8Array> {
    const coded = Buffer.concat(a.base64.map((c) => Buffer.from(c, 'base64')));
    // decoded straight into shared memory and turned upright there: one image of that size, no copy
    const pixels = decodeRunsInto(coded, sharedBuffer(a.width * a.height * 4));
    return answer(fromGlReadbackInPlace(pixels, a.width, a.height).data);
  },
  /**
   * The readback unpacked and encoded (sharp, from this thread): only the
   * encoded image reaches the event loop, never its megapixels.
   */
  async readbackEncoded(a: { base64: string[]; width: number; height: number; format: ImageFormat; quality?: number }): Promise<TaskAnswer<Uint8Array>> {
    const coded = Buffer.concat(a.base64.map((c) => Buffer.from(c, 'base64')));
    const img = fromGlReadbackInPlace(decodeRuns(coded, a.width * a.height), a.width, a.height);
    const encoded = await encodeImage(img, a.format, a.quality);
    lowerEncoderThreads();
    return { result: encoded, transfer: ownMemory(encoded) };
  },
  /** Premultiplied RGBA (bottom row first unless `topDown`) → straight-alpha RGBA, top row first. */
  unpremultiply(a: { pixels: Uint8Array; width: number; height: number; topDown: boolean }): TaskAnswer<Uint8Array> {
    const rows = asBuffer(a.pixels);
    if (!a.topDown) return unpack(rows, a.width, a.height);
    // already top row first: copied once into shared memory, never flipped there and back
    const out = sharedBuffer(rows.length);
    rows.copy(out);
    unpremultiply(out);
    return answer(out);
  },
  /** `top` drawn over `bottom`, into bottom's memory, which comes back. */
  compose(a: { bottom: PostedImage; top: PostedImage }): TaskAnswer<Uint8Array> {
    const bottom = image(a.bottom);
    composeOver(bottom, image(a.top));
    return answer(bottom.data);
  },
};

export type PixelTasks = typeof pixelTasks;
