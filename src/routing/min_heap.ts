/**
 * Indexed binary min-heap on typed arrays: items are integers in [0, capacity),
 * keys are numbers; push, decrease/increase key and pop are O(log n) with no
 * allocation, so one heap serves many queries (`clear` is O(size)).
 */
export class MinHeap {
  private readonly items: Int32Array;
  private readonly keys: Float64Array;
  /** Position of an item in the heap, -1 when absent. */
  private readonly pos: Int32Array;
  private n = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
  }

  get size(): number { return this.n; }
  has(item: number): boolean { return this.pos[item] >= 0; }
  peekKey(): number { return this.n > 0 ? this.keys[0] : Infinity; }
  peek(): number { return this.items[0]; }
  keyOf(item: number): number { return this.keys[this.pos[item]]; }

  /** Inserts the item, or changes its key when already present. */
  push(item: number, key: number): void {
    const p = this.pos[item];
    if (p >= 0) {
      const old = this.keys[p];
      this.keys[p] = key;
      if (key < old) this.up(p);
      else this.down(p);
      return;
    }
    const i = this.n++;
    this.items[i] = item;
    this.keys[i] = key;
    this.pos[item] = i;
    this.up(i);
  }

  pop(): number {
    const top = this.items[0];
    this.pos[top] = -1;
    const last = --this.n;
    if (last > 0) {
      this.items[0] = this.items[last];
      this.keys[0] = this.keys[last];
      this.pos[this.items[0]] = 0;
      this.down(0);
    }
    return top;
  }

  clear(): void {
    for (let i = 0; i < this.n; i++) this.pos[this.items[i]] = -1;
    this.n = 0;
  }

  private up(i: number): void {
    const item = this.items[i];
    const key = this.keys[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] <= key) break;
      this.items[i] = this.items[parent];
      this.keys[i] = this.keys[parent];
      this.pos[this.items[i]] = i;
      i = parent;
    }
    this.items[i] = item;
    this.keys[i] = key;
    this.pos[item] = i;
  }

  private down(i: number): void {
    const item = this.items[i];
    const key = this.keys[i];
    const n = this.n;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.keys[c + 1] < this.keys[c]) c++;
      if (this.keys[c] >= key) break;
      this.items[i] = this.items[c];
      this.keys[i] = this.keys[c];
      this.pos[this.items[i]] = i;
      i = c;
    }
    this.items[i] = item;
    this.keys[i] = key;
    this.pos[item] = i;
  }
}
