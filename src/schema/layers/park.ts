/**
 * park: national parks, nature reserves and protected areas (polygons from z4,
 * a named label point once the park is large enough: OpenMapTiles'
 * area > 70000 m² × 2^(20 − zoom)).
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { minZoomForArea, squareMetresToWorldArea, worldArea } from '../geometry_measure.js';
import { addBanded } from '../zoom_bands.js';
import { omtFeatureId } from '../tag_values.js';

function isPark(tags: OsmTags): boolean {
  return tags.leisure === 'nature_reserve' || tags.boundary === 'national_park' || tags.boundary === 'protected_area';
}

/** protection_title lower-cased with blanks as `_`, else the boundary or leisure value (OpenMapTiles' class). */
export function parkClass(tags: OsmTags): string {
  const title = tags.protection_title?.replace(/ /g, '_').toLowerCase();
  if (title !== undefined && title !== '') return title;
  if (tags.boundary === 'national_park' || tags.boundary === 'protected_area') return tags.boundary;
  return tags.leisure ?? 'park';
}

/** OpenMapTiles' label filter `area > 70000 * 2^(20 - zoom)`, in world units, clamped to z5–z14. */
export function parkLabelMinZoom(area: number): number {
  if (area <= 0) return 14;
  const z = Math.floor(20 - Math.log2(area / squareMetresToWorldArea(70_000)));
  return Math.min(14, Math.max(5, z));
}

const BASE_NAME_FIELDS = ['name', 'name_en', 'name_de', 'name_int', 'name:latin', 'name:nonlatin'];

export class ParkLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'park',
    description: 'National parks, nature reserves and protected areas, with label points for named ones.',
    fields: { class: 'String', ...nameFieldSpecs(), rank: 'Number' },
    minzoom: 4,
    maxzoom: 14,
    buffer: 4,
    mergePolygonsBelowZoom: 5,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    return osmType !== 'node' && isPark(tags);
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    if (!source.canBePolygon || !isPark(source.tags)) return;
    const tags = source.tags;
    const cls = parkClass(tags);
    const area = worldArea(source.geometry());
    const names = omtNames(tags);
    const baseNames: Record<string, string | number | boolean> = {};
    for (const k of BASE_NAME_FIELDS) if (names[k] !== undefined) baseNames[k] = names[k];
    // At z4 outlines carry nothing so that neighbouring parks merge; class and names from z5.
    addBanded(out, { layer: 'park', geometry: 'polygon', minzoom: Math.min(14, minZoomForArea(area, 2, 4)), maxzoom: 14,
      minPixelSize: 2, attrs: {} }, [{ fromZoom: 5, attrs: { class: cls, ...baseNames } }]);
    if (names.name === undefined) return;
    // National parks first, then parks with a Wikipedia/Wikidata entry, then larger ones.
    const boost = (cls === 'national_park' ? 0 : 2_000) + (tags.wikipedia !== undefined || tags.wikidata !== undefined ? 0 : 1_000);
    out.add({
      layer: 'park', geometry: 'labelPoint', minzoom: parkLabelMinZoom(area), maxzoom: 14,
      id: omtFeatureId(source.id, source.osmType),
      sortKey: boost + Math.max(0, Math.min(999, Math.round(-Math.log2(Math.max(area, 1e-20)) * 10))),
      labelGrid: { sizePx: 100, limit: 1000, rankAttr: 'rank' },
      attrs: { class: cls, ...names },
    });
  }
}
