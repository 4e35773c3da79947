/**
 * Label density limit for point layers at low zooms (planetiler's label grid):
 * the tile is divided into square cells of `sizePx` pixels (of a 256 px tile,
 * aligned on the tile origin, so neighbouring tiles use the same grid), and each
 * cell keeps at most `limit` points, the best ranked first (lower rank wins, ties
 * by input order). A feature is placed by its first point; features that are not
 * points pass through.
 */
import type { TileGeometry } from './feature_tiler.js';

export interface LabelGridOptions {
  /** Cell size in pixels of a 256 px tile. */
  sizePx: number;
  /** Points kept per cell. */
  limit: number;
  /** Tile extent of the coordinates. Default 4096. */
  extent?: number;
}

export interface GriddableFeature {
  geometry: TileGeometry;
  /** Default rank: lower is kept first. Missing = last. */
  sortKey?: number;
}

/**
 * The features kept by the label grid, in their input order. `rank` overrides
 * `sortKey` as the ranking (lower first).
 */
export function applyLabelGrid<T extends GriddableFeature>(
  features: readonly T[],
  options: LabelGridOptions,
  rank: (f: T) => number = (f) => f.sortKey ?? Infinity,
): T[] {
  const cell = (options.sizePx * (options.extent ?? 4096)) / 256;
  if (!(cell > 0) || !(options.limit >= 0)) return features.slice();
  const ranked: { i: number; r: number; cell: number }[] = [];
  for (let i = 0; i < features.length; i++) {
    const g = features[i].geometry;
    if (g.type !== 1 || g.geometry.length === 0 || g.geometry[0].length < 2) continue;
    const cx = Math.floor(g.geometry[0][0] / cell), cy = Math.floor(g.geometry[0][1] / cell);
    // Cells of a tile and its buffer fit comfortably in ±2^20 per axis.
    ranked.push({ i, r: rank(features[i]), cell: (cx + 2 ** 20) * 2 ** 21 + (cy + 2 ** 20) });
  }
  ranked.sort((a, b) => a.r - b.r || a.i - b.i);
  const counts = new Map<number, number>();
  const dropped = new Uint8Array(features.length);
  for (const e of ranked) {
    const c = counts.get(e.cell) ?? 0;
    if (c >= options.limit) dropped[e.i] = 1;
    else counts.set(e.cell, c + 1);
  }
  return features.filter((_, i) => dropped[i] === 0);
}
