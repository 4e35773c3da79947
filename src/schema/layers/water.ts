/**
 * water: oceans and lakes from Natural Earth up to z5, the sea built from OSM coastlines and OSM water areas from z6
 * (class lake, river, dock, swimming_pool) with the OSM id, intermittent, and
 * brunnel from z12. Bays are not water areas in OpenMapTiles (they lie on the sea).
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { brunnel, isTrue } from '../tag_values.js';
import { addBanded } from '../zoom_bands.js';

/** Natural Earth table → zoom range, as planetiler-openmaptiles (no 10m ocean here: 50m serves up to z5). */
const NE_WATER: Record<string, { cls: string; minzoom: number; maxzoom: number }> = {
  ne_110m_ocean: { cls: 'ocean', minzoom: 0, maxzoom: 1 },
  ne_50m_ocean: { cls: 'ocean', minzoom: 2, maxzoom: 5 },
  ne_110m_lakes: { cls: 'lake', minzoom: 0, maxzoom: 1 },
  ne_50m_lakes: { cls: 'lake', minzoom: 2, maxzoom: 3 },
  ne_10m_lakes_europe: { cls: 'lake', minzoom: 4, maxzoom: 5 },
};

/** OpenMapTiles' osm_water_polygon table. */
export function isWaterArea(tags: OsmTags): boolean {
  if (tags.covered === 'yes') return false;
  const lu = tags.landuse, nat = tags.natural, ww = tags.waterway;
  return lu === 'reservoir' || lu === 'basin' || lu === 'salt_pond' || tags.leisure === 'swimming_pool' ||
    nat === 'water' || nat === 'bay' || nat === 'spring' || ww === 'riverbank' || ww === 'dock' || tags.water === 'river';
}

export function waterClass(tags: OsmTags): string {
  if (tags.waterway === 'dock') return 'dock';
  if (tags.water === 'river' || tags.waterway === 'riverbank') return 'river';
  if (tags.leisure === 'swimming_pool') return 'swimming_pool';
  return 'lake';
}

export class WaterLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'water',
    description: 'Oceans, lakes, rivers as areas, docks and swimming pools.',
    fields: { id: 'Number', class: 'String', intermittent: 'Number', brunnel: 'String' },
    minzoom: 0,
    maxzoom: 14,
    buffer: 4,
    mergePolygonsBelowZoom: 14,
  };

  readonly naturalEarthTables = Object.keys(NE_WATER);

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    return osmType !== 'node' && isWaterArea(tags);
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    if (!source.canBePolygon || !isWaterArea(tags) || tags.natural === 'bay') return;
    const base = { class: waterClass(tags), intermittent: isTrue(tags.intermittent) ? 1 : 0,
      ...(source.osmType !== undefined ? { id: source.id } : {}) };
    addBanded(out, { layer: 'water', geometry: 'polygon', minzoom: 6, maxzoom: 14, minPixelSize: 2, attrs: base },
      [{ fromZoom: 12, attrs: { brunnel: brunnel(tags, false) } }]);
  }

  /** The sea from OSM coastlines: class ocean from z6, where Natural Earth's ocean stops. */
  processSea(source: SourceFeature, out: FeatureCollector): void {
    if (!source.canBePolygon) return;
    out.add({ layer: 'water', geometry: 'polygon', minzoom: 6, maxzoom: 14, minPixelSize: 2, attrs: { class: 'ocean', intermittent: 0 } });
  }

  processNaturalEarth(source: SourceFeature, out: FeatureCollector): void {
    const rule = NE_WATER[source.table];
    if (rule === undefined || !source.canBePolygon) return;
    out.add({
      layer: 'water', geometry: 'polygon', minzoom: rule.minzoom, maxzoom: rule.maxzoom, minPixelSize: 2,
      attrs: { class: rule.cls, intermittent: 0 },
    });
  }
}
