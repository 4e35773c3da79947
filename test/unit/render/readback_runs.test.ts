import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { decodeRuns, encodeRuns } from '../../../src/render/readback_runs.js';

/** Pixels mixing flat stretches (runs of every length, 1 to 40) with noise, like a map image. */
function mapLike(n: number, seed: number): Uint32Array {
  const rnd = seededRandom(seed);
  const px = new Uint32Array(n);
  for (let i = 0; i < n; ) {
    const len = 1 + Math.floor(rnd() * (rnd() < 0.5 ? 3 : 40));
    const v = rnd() < 0.3 ? 0xfff7f2ee : Math.floor(rnd() * 2 ** 32);
    px.fill(v, i, i + len);
    i += len;
  }
  return px;
}

const bytes = (px: Uint32Array) => Buffer.from(px.buffer, px.byteOffset, px.byteLength);

describe('render/readback_runs (run-length coding of the page readback)', () => {
  it('decodes what it encodes, for any mix of runs and literals', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const n = Math.floor(seededRandom(seed * 7)() * 3000);
      const px = mapLike(n, seed);
      assert.ok(decodeRuns(encodeRuns(px), n).equals(bytes(px)), `seed ${seed}, ${n} pixels`);
    }
  });

  it('never grows past one word more than the pixels (all different, or runs of 3 between single pixels)', () => {
    const noise = new Uint32Array(1001).map((_, i) => i);
    assert.ok(encodeRuns(noise).length <= (noise.length + 1) * 4);
    const worst = new Uint32Array(1003).map((_, i) => (i % 4 === 3 ? i : 1));
    assert.ok(encodeRuns(worst).length <= (worst.length + 1) * 4);
    assert.ok(decodeRuns(encodeRuns(worst), worst.length).equals(bytes(worst)));
  });

  it('shrinks a flat image to a few words', () => {
    assert.equal(encodeRuns(new Uint32Array(2048 * 2048).fill(0xff00ff00)).length, 8);
  });

  it('refuses truncated or overlong input instead of returning garbage', () => {
    const px = mapLike(500, 3);
    const coded = encodeRuns(px);
    assert.throws(() => decodeRuns(coded.subarray(0, coded.length - 4), 500), /malformed|incomplete/);
    assert.throws(() => decodeRuns(coded, 499), /malformed/);
    assert.throws(() => decodeRuns(coded, 501), /incomplete/);
    assert.throws(() => decodeRuns(coded.subarray(0, 6), 500), /whole words/);
  });

  it('reads input that does not start on a word boundary', () => {
    const px = mapLike(300, 4);
    const coded = encodeRuns(px);
    const shifted = Buffer.alloc(coded.length + 1);
    shifted.set(coded, 1);
    assert.ok(decodeRuns(shifted.subarray(1), 300).equals(bytes(px)));
  });
});
