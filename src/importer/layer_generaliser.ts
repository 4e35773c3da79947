/**
 * Per-tile generalisation of one layer's features before encoding: label density
 * for points that ask for it, and at low zooms line merging and polygon
 * dissolving of features with identical attributes (as the layer spec says).
 */
import type { LayerSpec } from '../schema/profile.js';
import { applyLabelGrid } from '../tiling/label_grid.js';
import { mergeLines } from '../tiling/line_merge.js';
import { mergePolygons } from '../tiling/polygon_merge.js';
import type { LabelGrid, TileFeature } from './tile_feature_store.js';

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
    const kept = new Map<TileFeature, TileFeature>(rest.map((f) => [f, f]));
    for (const g of groups.values()) {
      const grid = g[0].labelGrid!;
      const survivors = applyLabelGrid(g, { sizePx: grid.sizePx, limit: grid.limit });
      const ranked = grid.rankAttr ? withCellRanks(survivors, grid) : survivors;
      survivors.forEach((f, i) => kept.set(f, ranked[i]));
    }
    out = out.filter((f) => kept.has(f)).map((f) => kept.get(f)!);
  }
  if (spec.mergeLinesBelowZoom !== undefined && z < spec.mergeLinesBelowZoom && out.some((f) => f.geometry.type === 2)) {
    out = mergeLines(out, { minLength: z < spec.mergeLinesBelowZoom - 1 ? 0.5 : 0 });
  }
  if (spec.mergePolygonsBelowZoom !== undefined && z < spec.mergePolygonsBelowZoom && out.some((f) => f.geometry.type === 3)) {
    out = mergePolygons(out, { minArea: 1 });
  }
  return out;
}

/**
 * OpenMapTiles' per-tile `rank`: a point's 1-based position among the kept points
 * of its grid cell (best first), plus an offset. Attribute objects are shared
 * between features, so ranked features get their own copy.
 */
function withCellRanks(features: TileFeature[], grid: LabelGrid): TileFeature[] {
  const cell = (grid.sizePx * 4096) / 256;
  const order = features.map((f, i) => i).sort((a, b) => features[a].sortKey - features[b].sortKey || features[a].seq - features[b].seq);
  const counts = new Map<string, number>();
  const out = features.slice();
  for (const i of order) {
    const f = features[i];
    const p = f.geometry.geometry[0];
    if (f.geometry.type !== 1 || !p || p.length < 2) continue;
    const key = `${Math.floor(p[0] / cell)},${Math.floor(p[1] / cell)}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    out[i] = { ...f, attrs: { ...f.attrs, [grid.rankAttr!]: n + (grid.rankOffset ?? 0) } };
  }
  return out;
}
