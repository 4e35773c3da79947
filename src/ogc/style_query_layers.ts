/**
 * The layers of a MapLibre style that draw vector tile features, with what a
 * feature query needs of each: source, source-layer, zoom range, type and
 * compiled filter. Filters are evaluated with the style spec package, as the
 * renderer evaluates them, so a click finds what the map shows (symbol
 * collisions aside: a label hidden by another still counts as drawn).
 */
import { featureFilter, type FilterSpecification } from '@maplibre/maplibre-gl-style-spec';

export type DrawType = 'fill' | 'fill-extrusion' | 'line' | 'symbol' | 'circle' | 'heatmap';

/** A vector tile feature as filters see it (MVT geometry type 1 point, 2 line, 3 polygon). */
export interface FilterFeature {
  type: 1 | 2 | 3;
  id?: number;
  properties: Record<string, string | number | boolean>;
}

export interface QueryLayer {
  id: string;
  /** Position in the style's layer list: a higher one is drawn on top. */
  index: number;
  type: DrawType;
  source: string;
  sourceLayer: string;
  minzoom: number;
  maxzoom: number;
  /** Whether the layer's filter keeps the feature at this (MapLibre) zoom. */
  accepts(zoom: number, feature: FilterFeature): boolean;
}

const DRAW_TYPES = new Set<string>(['fill', 'fill-extrusion', 'line', 'symbol', 'circle', 'heatmap']);

const memo = new WeakMap<object, QueryLayer[]>();

function compileFilter(filter: unknown, rootKey: string): QueryLayer['accepts'] | undefined {
  if (filter === undefined || filter === null) return () => true;
  try {
    const f = featureFilter(filter as FilterSpecification, rootKey);
    // within/distance need the tile's geometry and canonical id: such filters are not applied (the feature counts as drawn)
    if (f.needGeometry) return () => true;
    return (zoom, feature) => f.filter({ zoom } as never, feature as never);
  } catch {
    return undefined;
  }
}

/**
 * The style's vector layers (visible, with a source-layer, of a type that
 * draws features), in drawing order; memoised per style document. A layer
 * whose filter does not compile is left out, as the renderer rejects it.
 */
export function queryLayersOf(style: Readonly<Record<string, unknown>>): QueryLayer[] {
  const hit = memo.get(style);
  if (hit) return hit;
  const sources = (typeof style.sources === 'object' && style.sources !== null ? style.sources : {}) as Record<string, { type?: unknown } | undefined>;
  const layers = Array.isArray(style.layers) ? (style.layers as Array<Record<string, unknown>>) : [];
  const out: QueryLayer[] = [];
  layers.forEach((l, index) => {
    if (typeof l !== 'object' || l === null) return;
    const { id, type, source } = l;
    const sourceLayer = l['source-layer'];
    if (typeof id !== 'string' || typeof type !== 'string' || !DRAW_TYPES.has(type)) return;
    if (typeof source !== 'string' || typeof sourceLayer !== 'string' || sources[source]?.type !== 'vector') return;
    const layout = l.layout as { visibility?: unknown } | undefined;
    if (layout?.visibility === 'none') return;
    const accepts = compileFilter(l.filter, `layers[${index}].filter`);
    if (!accepts) return;
    out.push({
      id,
      index,
      type: type as DrawType,
      source,
      sourceLayer,
      minzoom: typeof l.minzoom === 'number' ? l.minzoom : 0,
      maxzoom: typeof l.maxzoom === 'number' ? l.maxzoom : 24,
      accepts,
    });
  });
  memo.set(style, out);
  return out;
}

/** The layers MapLibre draws at a zoom: minzoom ≤ zoom < maxzoom. */
export function queryLayersAt(style: Readonly<Record<string, unknown>>, zoom: number): QueryLayer[] {
  return queryLayersOf(style).filter((l) => zoom >= l.minzoom && zoom < l.maxzoom);
}
