/**
 * Per-tile generalisation of one layer's features before encoding: label density
 * for points that ask for it, and at low zooms line merging and polygon
 * dissolving of features with identical attributes (as the layer spec says).
 */
import type { LayerSpec } from '../schema/profile.js';
import { applyLabelGrid } from '../tiling/label_grid.js';
import { mergeLines } from '../tiling/line_merge.js';
import { mergePolygons } from '../tiling/polygon_merge.js';
import type { TileFeature } from './tile_feature_store.js';

export function generaliseLayer(features: TileFeature[], spec: LayerSpec, z: number): TileFeature[] {
  let out = features;
  // label grids: features sharing a grid setting are thinned together
  if (out.some((f) => f.labelGrid)) {
    const groups = new Map<string, TileFeature[]>();
    const rest: TileFeature[] = [];
    for (const f of out) {
      if (!f.labelGrid) { rest.push(f); continue; }
      const k = `${f.labelGrid.sizePx}/${f.labelGrid.limit}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(f);
    }
    const kept = new Set<TileFeature>(rest);
    for (const g of groups.values()) {
      const { sizePx, limit } = g[0].labelGrid!;
      for (const f of applyLabelGrid(g, { sizePx, limit })) kept.add(f);
    }
    out = out.filter((f) => kept.has(f));
  }
  if (spec.mergeLinesBelowZoom !== undefined && z < spec.mergeLinesBelowZoom && out.some((f) => f.geometry.type === 2)) {
    out = mergeLines(out, { minLength: z < spec.mergeLinesBelowZoom - 1 ? 0.5 : 0 });
  }
  if (spec.mergePolygonsBelowZoom !== undefined && z < spec.mergePolygonsBelowZoom && out.some((f) => f.geometry.type === 3)) {
    out = mergePolygons(out, { minArea: 1 });
  }
  return out;
}
