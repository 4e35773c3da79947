/**
 * The tiles an update regenerates, per zoom: every tile that an affected object's
 * features reached before the change or reach after it (its box widened by its layers'
 * tile buffer), and the tiles that enter or leave the archive's bounds when those
 * move. The objects to run again are then found tile by tile in the reach index.
 */
import { tileFromKey, tileKey, type Bounds } from '../../core/tile_math.js';
import { lonToX, latToY } from '../../core/tile_math.js';
import type { ReachEntry } from './osm_store.js';

/** A pixel more than the layer's buffer: clipping keeps what touches the buffer's edge. */
const MARGIN_PX = 1;

interface Range { x0: number; x1: number; y0: number; y1: number }

/** Tiles at zoom z whose extent widened by `bufferPx` meets the world box. */
export function boxTileRange(box: readonly number[], z: number, bufferPx: number): Range | undefined {
  const n = 2 ** z;
  const b = (bufferPx + MARGIN_PX) / 256;
  const clamp = (v: number): number => Math.min(n - 1, Math.max(0, v));
  const r = {
    x0: clamp(Math.ceil((box[0] * n) - b - 1)), x1: clamp(Math.floor(box[2] * n + b)),
    y0: clamp(Math.ceil((box[1] * n) - b - 1)), y1: clamp(Math.floor(box[3] * n + b)),
  };
  return r.x0 <= r.x1 && r.y0 <= r.y1 ? r : undefined;
}

/** Tiles at zoom z the tile filter of `bounds` lets through (touching counts, as in makeTileFilter). */
function boundsRange(bounds: Bounds, z: number): Range {
  return boxTileRange([lonToX(bounds[0]), latToY(bounds[3]), lonToX(bounds[2]), latToY(bounds[1])], z, -MARGIN_PX)!;
}

/** Parts of rectangle a outside rectangle b (at most four rectangles). */
function subtract(a: Range, b: Range): Range[] {
  if (b.x1 < a.x0 || b.x0 > a.x1 || b.y1 < a.y0 || b.y0 > a.y1) return [a];
  const out: Range[] = [];
  if (a.y0 < b.y0) out.push({ ...a, y1: b.y0 - 1 });
  if (a.y1 > b.y1) out.push({ ...a, y0: b.y1 + 1 });
  const y0 = Math.max(a.y0, b.y0), y1 = Math.min(a.y1, b.y1);
  if (a.x0 < b.x0) out.push({ x0: a.x0, x1: b.x0 - 1, y0, y1 });
  if (a.x1 > b.x1) out.push({ x0: b.x1 + 1, x1: a.x1, y0, y1 });
  return out;
}

export class RegionTiles {
  private readonly members = new Set<number>();

  constructor(private readonly zooms: { minzoom: number; maxzoom: number }) {}

  get size(): number {
    return this.members.size;
  }

  has(z: number, x: number, y: number): boolean {
    return this.members.has(tileKey(z, x, y));
  }

  private addRange(z: number, r: Range): void {
    for (let x = r.x0; x <= r.x1; x++) for (let y = r.y0; y <= r.y1; y++) this.members.add(tileKey(z, x, y));
  }

  /** Every tile the object's features reach (at the zooms it was written at). */
  addReach(e: ReachEntry): void {
    const z0 = Math.max(e.minzoom, this.zooms.minzoom), z1 = Math.min(e.maxzoom, this.zooms.maxzoom);
    for (let z = z0; z <= z1; z++) {
      const r = boxTileRange(e.box, z, e.bufferPx);
      if (r) this.addRange(z, r);
    }
  }

  /** The tiles that enter or leave the archive when its bounds move from `before` to `after`. */
  addBoundsChange(before: Bounds, after: Bounds): void {
    for (let z = this.zooms.minzoom; z <= this.zooms.maxzoom; z++) {
      const a = boundsRange(before, z), b = boundsRange(after, z);
      for (const r of [...subtract(a, b), ...subtract(b, a)]) this.addRange(z, r);
    }
  }

  /** The tile keys, ascending. */
  keys(): number[] {
    return [...this.members].sort((a, b) => a - b);
  }

  /** The tiles, zoom by zoom. */
  *tiles(): Generator<{ z: number; x: number; y: number }> {
    for (const k of this.members) yield tileFromKey(k);
  }
}
