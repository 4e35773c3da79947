/**
 * A signature of what an object hands the tiler: every output feature's layer, zoom
 * range, attributes, sort key, id, label grid, smallest size and geometry, in emission
 * order. Tiling is a function of exactly these, so an object whose signature did not
 * change gives the very tile features it gave before, and an update need not read back
 * the tiles it reaches. Two 32-bit lanes (murmur3-style mixing), kept as a 52-bit
 * integer: exact in a double and in SQLite.
 */
import type { Geometry } from '../../core/geometry.js';
import type { OutputFeature } from '../../schema/profile.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export class FeatureSignature {
  private a = 0x9747b28c;
  private b = 0x85ebca6b;

  private word(w: number): void {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    this.a ^= k;
    this.a = Math.imul((this.a << 13) | (this.a >>> 19), 5) + 0xe6546b64;
    let m = Math.imul(w ^ 0x5bd1e995, 0x27d4eb2f);
    m ^= m >>> 15;
    this.b = Math.imul(this.b ^ m, 0x165667b1) + 0x7f4a7c15;
  }

  private num(v: number): void {
    f64[0] = v;
    this.word(u32[0]);
    this.word(u32[1]);
  }

  private str(s: string): void {
    this.word(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
  }

  private coords(c: Float64Array): void {
    this.word(c.length);
    const w = new Uint32Array(c.buffer, c.byteOffset, c.length * 2);
    for (let i = 0; i < w.length; i++) this.word(w[i]);
  }

  private geometry(g: Geometry): void {
    if (g.type === 'point') { this.word(1); this.coords(g.coords); return; }
    if (g.type === 'line') { this.word(2); this.word(g.lines.length); for (const l of g.lines) this.coords(l); return; }
    this.word(3);
    this.word(g.polygons.length);
    for (const p of g.polygons) { this.word(p.length); for (const r of p) this.coords(r); }
  }

  /** One output feature as tiled: its layer (index), the zooms it is written at and the geometry made for it. */
  add(f: OutputFeature, layer: number, minzoom: number, maxzoom: number, geom: Geometry): void {
    this.word(layer);
    this.word(minzoom);
    this.word(maxzoom);
    this.num(f.sortKey ?? 0);
    this.num(f.id ?? NaN);
    this.num(f.minPixelSize ?? NaN);
    const g = f.labelGrid;
    if (g) { this.word(1); this.num(g.sizePx); this.num(g.limit); this.str(g.rankAttr ?? ''); this.num(g.rankOffset ?? NaN); } else this.word(0);
    for (const k in f.attrs) {
      const v = f.attrs[k];
      this.str(k);
      if (typeof v === 'string') { this.word(1); this.str(v); } else if (typeof v === 'number') { this.word(2); this.num(v); } else if (typeof v === 'boolean') { this.word(3); this.word(v ? 1 : 0); } else this.word(4);
    }
    this.word(0xffffffff);
    this.geometry(geom);
  }

  /** The signature so far: a non-negative integer below 2^52. */
  value(): number {
    let a = this.a ^ (this.a >>> 16);
    a = Math.imul(a, 0x85ebca6b);
    a ^= a >>> 13;
    let b = this.b ^ (this.b >>> 15);
    b = Math.imul(b, 0xc2b2ae35);
    b ^= b >>> 16;
    return (a >>> 0) * 2 ** 20 + ((b >>> 0) >>> 12);
  }
}
