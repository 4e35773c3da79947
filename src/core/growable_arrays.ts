/**
 * Typed arrays that grow, for the graph build and the import's stores: a JS
 * `number[]` per entry costs 8 bytes plus up to half again of slack on the
 * heap, and the heap is what runs out first on a region.
 */
type Typed = Int32Array | Uint32Array | Uint8Array | Float64Array;

/** The capacity after `n` when full: double, then past a million entries by half (less slack where it counts). */
export function grownCapacity(n: number): number {
  return n < 1 << 20 ? n * 2 : Math.ceil(n * 1.5);
}

/**
 * A copy of `a` with room for exactly `n` entries (its entries first, zeros after), of the same kind; in a
 * SharedArrayBuffer when `shared` (threads read it without a copy), else in the same kind of buffer as `a`.
 */
export function copyWithLength<T extends Typed>(a: T, n: number, shared = a.buffer instanceof SharedArrayBuffer): T {
  const b = shared
    ? new (a.constructor as new (buf: SharedArrayBuffer) => T)(new SharedArrayBuffer(n * a.BYTES_PER_ELEMENT))
    : new (a.constructor as new (len: number) => T)(n);
  b.set(a);
  return b;
}

/**
 * `a` itself when it holds `need` entries, else a copy with its entries and room for at least `need`
 * (at least twice as many: appending n entries one by one copies O(n) in all). Same kind of array and buffer.
 */
export function withCapacity<T extends Typed>(a: T, need: number): T {
  return need <= a.length ? a : copyWithLength(a, Math.max(need, a.length * 2));
}

class Growable<T extends Typed> {
  data: T;
  length = 0;

  constructor(private readonly make: (n: number) => T, capacity = 1024) {
    this.data = make(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(grownCapacity(this.data.length));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /** Appends `src[from, to)`. */
  pushRange(src: ArrayLike<number> & { subarray?: unknown }, from: number, to: number): void {
    for (let i = from; i < to; i++) this.push(src[i]);
  }

  get(i: number): number {
    return this.data[i];
  }

  /** A right-sized copy. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export class GrowableInt32 extends Growable<Int32Array> {
  constructor(capacity?: number) { super((n) => new Int32Array(n), capacity); }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(capacity?: number) { super((n) => new Float64Array(n), capacity); }
}
