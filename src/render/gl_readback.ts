/** GL readback to straight RGBA: plain loops, no native module, so worker threads can run it. */
import type { RgbaImage } from './image_codec.js';

/**
 * WebGL's drawing buffer as an image: rows are bottom-up and colours are
 * premultiplied by alpha. Opaque maps (any style with a background) skip the
 * division entirely.
 */
export function fromGlReadback(pixels: Buffer, width: number, height: number): RgbaImage {
  return fromGlReadbackInto(pixels, { data: Buffer.allocUnsafe(pixels.length), width, height });
}

/** fromGlReadback into the memory of `image` (its size must match), e.g. shared memory for another thread. */
export function fromGlReadbackInto(pixels: Buffer, image: RgbaImage): RgbaImage {
  const { width, height, data: out } = image;
  if (out.length !== pixels.length) throw new RangeError(`readback of ${pixels.length} bytes into an image of ${out.length}`);
  const row = width * 4;
  for (let y = 0; y < height; y++) pixels.copy(out, (height - 1 - y) * row, y * row, (y + 1) * row);
  unpremultiply(out);
  return image;
}

/** fromGlReadback in the readback's own memory (rows swapped in place): no second image of that size. */
export function fromGlReadbackInPlace(pixels: Buffer, width: number, height: number): RgbaImage {
  if (pixels.length !== width * height * 4) throw new RangeError(`readback of ${pixels.length} bytes for ${width}x${height}`);
  const row = width * 4, tmp = Buffer.allocUnsafe(row);
  for (let top = 0, bottom = height - 1; top < bottom; top++, bottom--) {
    pixels.copy(tmp, 0, top * row, (top + 1) * row);
    pixels.copy(pixels, top * row, bottom * row, (bottom + 1) * row);
    tmp.copy(pixels, bottom * row);
  }
  unpremultiply(pixels);
  return { data: pixels, width, height };
}

/** Premultiplied → straight alpha, in place (rows left in their order). */
export function unpremultiply(out: Buffer): void {
  // alpha is the high byte of each little-endian 32-bit pixel: scan words, divide only where needed
  const words = out.byteOffset % 4 === 0 ? new Uint32Array(out.buffer, out.byteOffset, out.length >>> 2) : undefined;
  for (let p = 0; p < out.length >>> 2; p++) {
    if (words && words[p] >>> 24 === 255) continue;
    const i = p * 4;
    const a = out[i + 3];
    if (a === 255) continue;
    if (a === 0) {
      out[i] = out[i + 1] = out[i + 2] = 0;
      continue;
    }
    out[i] = Math.min(255, Math.round((out[i] * 255) / a));
    out[i + 1] = Math.min(255, Math.round((out[i + 1] * 255) / a));
    out[i + 2] = Math.min(255, Math.round((out[i + 2] * 255) / a));
  }
}
