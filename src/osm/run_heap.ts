/**
 * The k-way merges of sorted runs of node ids (in memory and on disk): a binary min-heap
 * of run numbers keyed by the id at each run's head. Equal ids: the earlier run (read
 * first) comes out first, so it is the one a merge that drops repeats keeps.
 */
export class RunHeap {
  private readonly heap: Int32Array;
  private size: number;

  /** `keys[r]`: the head id of run r (the heap reads and updates them). */
  constructor(private readonly keys: Float64Array) {
    this.heap = Int32Array.from(keys.keys());
    this.size = keys.length;
    for (let i = (this.size >>> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get empty(): boolean { return this.size === 0; }
  /** The run with the smallest head id. */
  get top(): number { return this.heap[0]; }

  /** The top run's head moved on to `key`. */
  advance(key: number): void {
    this.keys[this.heap[0]] = key;
    this.siftDown(0);
  }

  /** The top run is exhausted. */
  pop(): void {
    this.heap[0] = this.heap[--this.size];
    if (this.size > 0) this.siftDown(0);
  }

  private less(a: number, b: number): boolean {
    const k = this.keys;
    return k[a] < k[b] || (k[a] === k[b] && a < b);
  }

  private siftDown(at: number): void {
    const heap = this.heap;
    const run = heap[at];
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.less(heap[child + 1], heap[child])) child++;
      if (!this.less(heap[child], run)) break;
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = run;
  }
}
