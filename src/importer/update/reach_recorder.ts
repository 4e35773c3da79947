/**
 * Records, while features are tiled, which OSM object (or sea polygon) reached which
 * zooms and over which box: the union of the boxes of the geometries the collector tiled
 * for it and the zoom range it wrote them at. The collector calls `add` for every output
 * feature; features of one source come one after another, so an entry is closed when the
 * source changes. Natural Earth records are left out: an update re-reads them whole.
 * Each entry also gets the signature of what the object handed the tiler (feature_signature.ts).
 */
import { bboxOfCoords, type Geometry, type WorldBBox } from '../../core/geometry.js';
import type { OutputFeature, SourceFeature } from '../../schema/profile.js';
import { FeatureSignature } from './feature_signature.js';
import { KIND, type ReachEntry, type ReachKind } from './osm_store.js';

/** Flat numbers per entry (kind, id, minzoom, maxzoom, x0, y0, x1, y1, buffer, signature): cheap to send between threads. */
const STRIDE = 10;

function kindOf(src: SourceFeature): ReachKind | undefined {
  if (src.source === 'coastline') return KIND.sea;
  if (src.source !== 'osm') return undefined;
  return src.osmType === 'node' ? KIND.node : src.osmType === 'way' ? KIND.way : src.osmType === 'relation' ? KIND.relation : undefined;
}

export class ReachRecorder {
  private flat: number[] = [];
  private last?: SourceFeature;
  private open = -1;
  private signature = new FeatureSignature();

  /** One output feature `out` of `src`, in layer `t.layer` (its index) with tile buffer `t.bufferPx`, written at zooms minzoom..maxzoom with geometry `geom`. */
  add(src: SourceFeature, minzoom: number, maxzoom: number, geom: Geometry, t: { bufferPx: number; out: OutputFeature; layer: number }): void {
    if (src !== this.last) {
      this.last = src;
      const kind = kindOf(src);
      this.open = -1;
      if (kind === undefined) return;
      this.open = this.flat.length;
      this.signature = new FeatureSignature();
      this.flat.push(kind, src.id, minzoom, maxzoom, Infinity, Infinity, -Infinity, -Infinity, 0, 0);
    }
    if (this.open < 0) return;
    const bufferPx = t.bufferPx;
    this.signature.add(t.out, t.layer, minzoom, maxzoom, geom);
    const f = this.flat, o = this.open;
    f[o + 9] = this.signature.value();
    const [x0, y0, x1, y1] = boxOf(geom);
    f[o + 2] = Math.min(f[o + 2], minzoom);
    f[o + 3] = Math.max(f[o + 3], maxzoom);
    f[o + 4] = Math.min(f[o + 4], x0);
    f[o + 5] = Math.min(f[o + 5], y0);
    f[o + 6] = Math.max(f[o + 6], x1);
    f[o + 7] = Math.max(f[o + 7], y1);
    f[o + 8] = Math.max(f[o + 8], bufferPx);
  }

  /** The entries so far, as flat numbers (see `entriesOf`). */
  toFlat(): Float64Array {
    return Float64Array.from(this.flat);
  }
}

/** The box of every coordinate, inner rings included (a broken multipolygon's inner may stick out). */
function boxOf(g: Geometry): WorldBBox {
  const b: WorldBBox = [Infinity, Infinity, -Infinity, -Infinity];
  if (g.type === 'point') bboxOfCoords(g.coords, b);
  else if (g.type === 'line') for (const l of g.lines) bboxOfCoords(l, b);
  else for (const p of g.polygons) for (const r of p) bboxOfCoords(r, b);
  return b;
}

export function* entriesOf(flat: ArrayLike<number>): Generator<ReachEntry> {
  for (let o = 0; o + STRIDE <= flat.length; o += STRIDE) {
    yield {
      kind: flat[o] as ReachKind, id: flat[o + 1], minzoom: flat[o + 2], maxzoom: flat[o + 3],
      box: [flat[o + 4], flat[o + 5], flat[o + 6], flat[o + 7]], bufferPx: flat[o + 8], signature: flat[o + 9],
    };
  }
}
