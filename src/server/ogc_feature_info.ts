/**
 * GetFeatureInfo against this server's data: a style's vector sources
 * resolved to our data sources as the style rewriter resolves them, tiles read
 * through the tile cache and decoded, and the feature query of
 * ../ogc/feature_info.ts run for each queried layer.
 */
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { queryFeatures, queryPointOf, type VectorTileReader } from '../ogc/feature_info.js';
import type { LayerHits } from '../ogc/feature_info_format.js';
import type { FeatureInfoPixel } from '../ogc/feature_info_request.js';
import { queryLayersOf } from '../ogc/style_query_layers.js';
import type { ServerDeps } from './server_deps.js';
import type { SourceEntry } from './source_registry.js';
import type { StyleEntry } from './style_registry.js';

/** The vector data source a style source reads, if we serve it. */
function dataSourceOf(deps: ServerDeps, entry: StyleEntry, name: string): SourceEntry | undefined {
  const src = ((entry.style.sources ?? {}) as Record<string, Readonly<Record<string, unknown>> | undefined>)[name];
  if (!src || src.type !== 'vector') return undefined;
  const data = deps.catalog.sourceOf(entry, name);
  return data?.metadata.format === 'pbf' ? data : undefined;
}

export function styleTileReader(deps: ServerDeps, entry: StyleEntry): VectorTileReader {
  return {
    zoomRange(source) {
      const data = dataSourceOf(deps, entry, source);
      return data && { minzoom: data.metadata.minzoom, maxzoom: data.metadata.maxzoom };
    },
    async tile(source, z, x, y) {
      const data = dataSourceOf(deps, entry, source);
      if (!data) return undefined;
      const stored = await deps.tiles.get(data, z, x, y);
      if (!stored) return undefined;
      return new VectorTile(new PbfReader(deps.tiles.identity(data, z, x, y, stored).data));
    },
  };
}

/** Whether a style draws any layer of a vector source we serve. */
export function isQueryableStyle(deps: ServerDeps, entry: StyleEntry): boolean {
  const sources = new Set(queryLayersOf(entry.style).map((l) => l.source));
  return [...sources].some((s) => dataSourceOf(deps, entry, s) !== undefined);
}

/** The features under a clicked pixel, per queried layer (style id or alias). */
export async function featureInfoOf(deps: ServerDeps, opts: { layers: string[]; pixel: FeatureInfoPixel; featureCount: number }): Promise<LayerHits[]> {
  const point = queryPointOf(opts.pixel);
  const out: LayerHits[] = [];
  for (const layer of opts.layers) {
    const entry = deps.styles.require(layer);
    const features = point ? await queryFeatures(entry.style, point, { reader: styleTileReader(deps, entry), featureCount: opts.featureCount }) : [];
    out.push({ layer, features });
  }
  return out;
}
