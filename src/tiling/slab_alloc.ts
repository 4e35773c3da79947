/**
 * Small typed arrays carved out of shared slabs.
 *
 * V8 allocates a typed array over 64 bytes with its own off-heap backing store,
 * which costs about a microsecond and external-memory GC pressure each; a view on
 * a shared 1 MB buffer costs a tenth of that. The tiler creates millions of small
 * arrays (a street is ~100 bytes per tile), so they come from here. A slab is
 * freed when no view on it is left. Consequence for callers: such an array's
 * `.buffer` is the whole slab — copy it (`slice()`) before posting it to a worker.
 */
const SLAB_BYTES = 1 << 20;
/** Larger arrays get their own buffer: they are rare and would waste slab space. */
const MAX_VIEW_BYTES = SLAB_BYTES >> 6;

let intSlab = new ArrayBuffer(SLAB_BYTES);
let intOff = 0;
let floatSlab = new ArrayBuffer(SLAB_BYTES);
let floatOff = 0;

/** A zero-filled Int32Array of length n. */
export function slabInt32(n: number): Int32Array {
  const bytes = n * 4;
  if (bytes > MAX_VIEW_BYTES) return new Int32Array(n);
  if (intOff + bytes > SLAB_BYTES) {
    intSlab = new ArrayBuffer(SLAB_BYTES);
    intOff = 0;
  }
  const a = new Int32Array(intSlab, intOff, n);
  intOff += bytes;
  return a;
}

/** A zero-filled Float64Array of length n. */
export function slabFloat64(n: number): Float64Array {
  const bytes = n * 8;
  if (bytes > MAX_VIEW_BYTES) return new Float64Array(n);
  if (floatOff + bytes > SLAB_BYTES) {
    floatSlab = new ArrayBuffer(SLAB_BYTES);
    floatOff = 0;
  }
  const a = new Float64Array(floatSlab, floatOff, n);
  floatOff += bytes;
  return a;
}

/** Copy of the first n values of `src` (an Int32Array) into a slab array. */
export function copyInt32(src: Int32Array, n: number): Int32Array {
  const a = slabInt32(n);
  for (let i = 0; i < n; i++) a[i] = src[i];
  return a;
}

/** Copy of the first n values of `src` (a Float64Array) into a slab array. */
export function copyFloat64(src: Float64Array, n: number): Float64Array {
  const a = slabFloat64(n);
  for (let i = 0; i < n; i++) a[i] = src[i];
  return a;
}
