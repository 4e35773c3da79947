/**
 * water_name: labels of named lakes (a point inside the lake, earlier for
 * larger lakes), of seas and oceans (place=sea / place=ocean points).
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { minZoomForArea, worldArea } from '../geometry_measure.js';
import { isTrue, omtFeatureId } from '../tag_values.js';
import { isWaterArea, waterClass } from './water.js';

export class WaterNameLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'water_name',
    description: 'Labels of lakes, seas and oceans.',
    fields: { ...nameFieldSpecs(), class: 'String', intermittent: 'Number' },
    minzoom: 0,
    maxzoom: 14,
    buffer: 256,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    if (tags.name === undefined) return false;
    if (osmType === 'node') return tags.place === 'sea' || tags.place === 'ocean';
    return isWaterArea(tags);
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    const names = omtNames(tags);
    if (names.name === undefined) return;
    if (source.isPoint) {
      if (tags.place !== 'sea' && tags.place !== 'ocean') return;
      out.add({
        layer: 'water_name', geometry: 'point', minzoom: tags.place === 'ocean' ? 0 : 3, maxzoom: 14,
        id: omtFeatureId(source.id, source.osmType),
        attrs: { ...names, class: tags.place, intermittent: 0 },
      });
      return;
    }
    if (!source.canBePolygon || !isWaterArea(tags)) return;
    const cls = waterClass(tags);
    if (cls !== 'lake' && cls !== 'ocean') return;
    const area = worldArea(source.geometry());
    // A label once the lake is about 32 px across; OpenMapTiles labels only the important lakes below z9.
    const minzoom = Math.min(14, minZoomForArea(area, 32, 3));
    out.add({
      layer: 'water_name', geometry: 'pointOnSurface', minzoom, maxzoom: 14,
      id: omtFeatureId(source.id, source.osmType),
      sortKey: Math.round(-Math.log2(Math.max(area, 1e-20)) * 10),
      attrs: { ...names, class: cls === 'ocean' ? 'sea' : 'lake', intermittent: isTrue(tags.intermittent) ? 1 : 0 },
    });
  }
}
