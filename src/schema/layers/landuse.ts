/**
 * landuse: human use of land (residential, industrial, school, cemetery…):
 * Natural Earth urban areas at z4–z5, OSM residential and named districts from
 * z6, the rest from z9.
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { minZoomForArea, worldArea } from '../geometry_measure.js';

const MAPPING: Array<[string, Set<string>]> = [
  ['landuse', new Set(['railway', 'cemetery', 'military', 'residential', 'commercial', 'industrial', 'garages', 'retail'])],
  ['amenity', new Set(['bus_station', 'school', 'university', 'kindergarten', 'college', 'library', 'hospital', 'grave_yard'])],
  ['leisure', new Set(['stadium', 'pitch', 'playground', 'track'])],
  ['tourism', new Set(['theme_park', 'zoo'])],
  ['place', new Set(['suburb', 'quarter', 'neighbourhood'])],
  ['waterway', new Set(['dam'])],
];

const Z6_CLASSES = new Set(['residential', 'suburb', 'quarter', 'neighbourhood']);

export function landuseClass(tags: OsmTags): string | undefined {
  for (const [key, values] of MAPPING) {
    const v = tags[key];
    if (v !== undefined && values.has(v)) return v === 'grave_yard' ? 'cemetery' : v;
  }
  return undefined;
}

export class LanduseLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'landuse',
    description: 'Land use by humans: residential, commercial, industrial, schools, hospitals, cemeteries, sports grounds…',
    fields: { class: 'String' },
    minzoom: 4,
    maxzoom: 14,
    buffer: 4,
    mergePolygonsBelowZoom: 13,
  };

  readonly naturalEarthTables = ['ne_50m_urban_areas'];

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    return osmType !== 'node' && landuseClass(tags) !== undefined;
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    if (!source.canBePolygon) return;
    const cls = landuseClass(source.tags);
    if (cls === undefined) return;
    const floor = Z6_CLASSES.has(cls) ? 6 : 9;
    const minzoom = Math.min(14, minZoomForArea(worldArea(source.geometry()), 2, floor));
    out.add({ layer: 'landuse', geometry: 'polygon', minzoom, maxzoom: 14, minPixelSize: 2, attrs: { class: cls } });
  }

  processNaturalEarth(source: SourceFeature, out: FeatureCollector): void {
    if (source.table !== 'ne_50m_urban_areas' || !source.canBePolygon) return;
    // Only the large agglomerations, as planetiler-openmaptiles.
    if (!(Number(source.tags.scalerank) <= 2)) return;
    out.add({ layer: 'landuse', geometry: 'polygon', minzoom: 4, maxzoom: 5, minPixelSize: 2, attrs: { class: 'residential' } });
  }
}
