/**
 * How rendered pixels leave the render page: run-length coded 32-bit pixels.
 *
 * Why not deflate (what the page did before): every network path out of the
 * page (POST, WebSocket) is mirrored into the DevTools protocol by Playwright's
 * interception and network events, so pixels leave as base64 text of a
 * `page.evaluate` answer and must be small. Deflate made them small but cost
 * the page's main thread ~100 ms per 2048² metatile (zlib level 6 through
 * CompressionStream); runs of equal pixels cost ~10 ms and map images, flat
 * areas between thin features, shrink about as much (measured on z14
 * metatiles: 16 MB → 0.02–0.5 MB, deflate 0.02–0.25 MB).
 *
 * `encodeRuns` is also the page's encoder: ./render_page.ts embeds its source,
 * so it must stay one self-contained function over typed arrays (no helpers,
 * no nested functions, no imports).
 *
 * Format: little-endian int32 words. A negative word -n is followed by one
 * pixel repeated n times; a positive word n by n literal pixels.
 */

/** Pixels (one uint32 each, any byte order: they are copied as they are) → coded words as bytes. */
export function encodeRuns(px: Uint32Array): Uint8Array {
  const n = px.length;
  // worst case, a run of 3 and a literal alternately: 4 words per 4 pixels, plus one header
  const out = new Int32Array(n + 2);
  const word = new Uint32Array(out.buffer);
  let o = 0;
  let i = 0;
  while (i < n) {
    const v = px[i];
    let j = i + 1;
    while (j < n && px[j] === v) j++;
    if (j - i >= 3) {
      out[o++] = i - j;
      word[o++] = v;
      i = j;
      continue;
    }
    // literals up to the next run of three equal pixels
    const head = o++;
    let k = i;
    while (k < n && !(k + 2 < n && px[k] === px[k + 1] && px[k] === px[k + 2])) word[o++] = px[k++];
    out[head] = k - i;
    i = k;
  }
  return new Uint8Array(out.buffer, 0, o * 4);
}

/** Coded words → `pixels` × 4 bytes, in the order they were coded; malformed input throws. */
export function decodeRuns(coded: Uint8Array, pixels: number): Buffer {
  return decodeRunsInto(coded, Buffer.allocUnsafeSlow(pixels * 4));
}

/** decodeRuns into `out` (4 bytes a pixel, starting on a word), e.g. shared memory for another thread. */
export function decodeRunsInto(coded: Uint8Array, out: Buffer): Buffer {
  const pixels = out.length >>> 2;
  if (out.byteOffset % 4 !== 0 || out.length % 4 !== 0) throw new RangeError('run decoding needs whole, aligned pixels');
  if (coded.length % 4 !== 0) throw new Error(`run-coded readback of ${coded.length} bytes is not whole words`);
  // words are read from an aligned copy: a Buffer's bytes may start anywhere in its memory
  const aligned = coded.byteOffset % 4 === 0 ? coded : Uint8Array.from(coded);
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
  const px = new Int32Array(out.buffer, out.byteOffset, pixels);
  let o = 0;
  for (let i = 0; i < words.length; ) {
    const h = words[i++];
    const n = h < 0 ? -h : h;
    if (n === 0 || o + n > pixels || i + (h < 0 ? 1 : n) > words.length) throw new Error(`run-coded readback is malformed at word ${i - 1} (${pixels} pixels expected)`);
    if (h < 0) px.fill(words[i++], o, o + n);
    else {
      px.set(words.subarray(i, i + n), o);
      i += n;
    }
    o += n;
  }
  if (o !== pixels) throw new Error(`render readback incomplete (${o} of ${pixels} pixels)`);
  return out;
}
