import { strict as assert } from 'node:assert';
import { copyWithLength, GrowableFloat64, GrowableInt32, grownCapacity, withCapacity } from '../../../src/core/growable_arrays.js';
import { seededRandom } from '../../../src/core/seeded_random.js';

describe('growable arrays', () => {
  it('withCapacity returns the same array while it is large enough', () => {
    const a = new Uint32Array(8);
    assert.equal(withCapacity(a, 0), a);
    assert.equal(withCapacity(a, 8), a);
  });

  it('withCapacity keeps kind, buffer kind and entries, and at least doubles', () => {
    const rnd = seededRandom(7);
    const kinds = [
      (n: number) => new Float64Array(n),
      (n: number) => new Uint32Array(n),
      (n: number) => new Uint8Array(n),
      (n: number) => new Int32Array(n),
      (n: number) => new Float64Array(new SharedArrayBuffer(n * 8)),
      (n: number) => new Uint8Array(new SharedArrayBuffer(n)),
    ];
    for (let round = 0; round < 200; round++) {
      const make = kinds[round % kinds.length];
      const len = 1 + Math.floor(rnd() * 50);
      const a = make(len);
      for (let i = 0; i < len; i++) a[i] = Math.floor(rnd() * 200);
      const need = len + 1 + Math.floor(rnd() * 300);
      const b = withCapacity(a, need);
      assert.equal(b.constructor, a.constructor);
      assert.equal(b.buffer instanceof SharedArrayBuffer, a.buffer instanceof SharedArrayBuffer);
      assert.ok(b.length >= need && b.length >= 2 * len, `${b.length} for ${len} → ${need}`);
      assert.deepEqual(Array.from(b.subarray(0, len)), Array.from(a));
      assert.ok(b.subarray(len).every((v) => v === 0));
    }
  });

  it('copyWithLength gives exactly n entries, in a SharedArrayBuffer when asked (the tile feature store\'s rows)', () => {
    const a = new Uint32Array([5, 6, 7]);
    const b = copyWithLength(a, 10, true);
    assert.ok(b instanceof Uint32Array && b.buffer instanceof SharedArrayBuffer);
    assert.deepEqual(Array.from(b), [5, 6, 7, 0, 0, 0, 0, 0, 0, 0]);
    const c = copyWithLength(new Float64Array(new SharedArrayBuffer(16)), 3);
    assert.ok(c.buffer instanceof SharedArrayBuffer && c.length === 3);
    assert.ok(!(copyWithLength(a, 4).buffer instanceof SharedArrayBuffer));
  });

  it('Growable arrays keep every pushed value in order', () => {
    const ints = new GrowableInt32(1);
    const floats = new GrowableFloat64(1);
    for (let i = 0; i < 5000; i++) { ints.push(i * 3 - 7); floats.push(i / 8); }
    assert.equal(ints.length, 5000);
    assert.deepEqual(Array.from(ints.toArray().subarray(0, 4)), [-7, -4, -1, 2]);
    assert.equal(floats.toArray().length, 5000);
    assert.equal(floats.get(4999), 4999 / 8);
    assert.ok(grownCapacity(10) === 20 && grownCapacity(2 ** 21) === 3 * 2 ** 20);
  });
});
