/** housenumber: every addr:housenumber, at z14, on the point or inside the building. */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { omtFeatureId } from '../tag_values.js';

export class HousenumberLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'housenumber',
    description: 'House numbers (addr:housenumber) for labels.',
    fields: { housenumber: 'String' },
    minzoom: 14,
    maxzoom: 14,
    buffer: 8,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    return osmType !== 'relation' || tags.type === 'multipolygon' ? tags['addr:housenumber'] !== undefined : false;
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const hn = source.tags['addr:housenumber']?.trim();
    if (hn === undefined || hn === '') return;
    if (!source.isPoint && !source.canBePolygon) return;
    out.add({
      layer: 'housenumber', geometry: source.isPoint ? 'point' : 'pointOnSurface', minzoom: 14, maxzoom: 14,
      id: omtFeatureId(source.id, source.osmType),
      attrs: { housenumber: hn },
    });
  }
}
