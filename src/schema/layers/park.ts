/**
 * park: national parks, nature reserves and protected areas (polygons from z4,
 * a named label point from the zoom at which the park is large enough).
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { minZoomForArea, worldArea } from '../geometry_measure.js';
import { omtFeatureId } from '../tag_values.js';

function isPark(tags: OsmTags): boolean {
  return tags.leisure === 'nature_reserve' || tags.boundary === 'national_park' || tags.boundary === 'protected_area';
}

/** protection_title lower-cased with blanks as `_`, else the boundary/leisure value. */
export function parkClass(tags: OsmTags): string {
  const raw = tags.protection_title ?? (tags.boundary === 'national_park' || tags.boundary === 'protected_area' ? tags.boundary : tags.leisure) ?? 'park';
  return raw.trim().toLowerCase().replace(/\s+/g, '_');
}

export class ParkLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'park',
    description: 'National parks, nature reserves and protected areas, with label points for named ones.',
    fields: { class: 'String', ...nameFieldSpecs(), rank: 'Number' },
    minzoom: 4,
    maxzoom: 14,
    buffer: 4,
    mergePolygonsBelowZoom: 14,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    return osmType !== 'node' && isPark(tags);
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    if (!source.canBePolygon || !isPark(source.tags)) return;
    const cls = parkClass(source.tags);
    const area = worldArea(source.geometry());
    const minzoom = Math.min(14, minZoomForArea(area, 2, 4));
    out.add({ layer: 'park', geometry: 'polygon', minzoom, maxzoom: 14, minPixelSize: 2, attrs: { class: cls } });
    const names = omtNames(source.tags);
    if (names.name === undefined) return;
    // A label once the park spans about a tenth of a tile (planetiler gives larger parks earlier labels).
    const labelZoom = Math.min(14, minZoomForArea(area, 32, 5));
    out.add({
      layer: 'park', geometry: 'pointOnSurface', minzoom: labelZoom, maxzoom: 14,
      id: omtFeatureId(source.id, source.osmType),
      // Larger parks first: the log keeps the key small and monotonic.
      sortKey: Math.round(-Math.log2(Math.max(area, 1e-20)) * 10),
      labelGrid: { sizePx: 64, limit: 1000, rankAttr: 'rank' },
      attrs: { class: cls, ...names },
    });
  }
}
