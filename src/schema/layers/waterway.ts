/**
 * waterway: rivers, canals, streams, drains and ditches. Natural Earth rivers
 * at z3–z8 (planetiler takes z6–z8 from long OSM river relations; the 10m
 * European rivers stand in for them here), then OSM: named rivers from z9,
 * rivers and canals from z12, the small classes from z13. brunnel and
 * intermittent only from z12, so named rivers merge into long lines below.
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { brunnel, isTrue } from '../tag_values.js';
import { addBanded } from '../zoom_bands.js';

const CLASSES = new Set(['stream', 'river', 'canal', 'drain', 'ditch']);
const NE_RIVERS: Record<string, [number, number]> = {
  ne_110m_rivers_lake_centerlines: [3, 3],
  ne_50m_rivers_lake_centerlines: [4, 5],
  ne_10m_rivers_europe: [6, 8],
};

export class WaterwayLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'waterway',
    description: 'Rivers, canals, streams, drains and ditches as lines.',
    fields: { ...nameFieldSpecs(), class: 'String', brunnel: 'String', intermittent: 'Number' },
    minzoom: 3,
    maxzoom: 14,
    buffer: 4,
    mergeLinesBelowZoom: 14,
  };

  readonly naturalEarthTables = Object.keys(NE_RIVERS);

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    return osmType === 'way' && tags.waterway !== undefined && CLASSES.has(tags.waterway);
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    const cls = tags.waterway;
    if (cls === undefined || !CLASSES.has(cls) || !source.canBeLine || source.isPoint) return;
    const names = omtNames(tags);
    const minzoom = cls === 'river' ? (names.name !== undefined ? 9 : 12) : cls === 'canal' ? 12 : 13;
    addBanded(out, { layer: 'waterway', geometry: 'line', minzoom, maxzoom: 14, minPixelSize: 0, attrs: { ...names, class: cls } },
      [{ fromZoom: 12, attrs: { brunnel: brunnel(tags, false), intermittent: isTrue(tags.intermittent) ? 1 : 0 } }]);
  }

  processNaturalEarth(source: SourceFeature, out: FeatureCollector): void {
    const zooms = NE_RIVERS[source.table];
    if (zooms === undefined || !source.canBeLine) return;
    // Rivers only: lake centrelines would draw lines across lakes.
    if (source.tags.featurecla !== 'River') return;
    const name = source.tags.name;
    const names = name !== undefined && name !== '' ? omtNames({ name, ...(source.tags.name_en ? { 'name:en': source.tags.name_en } : {}) }) : {};
    out.add({ layer: 'waterway', geometry: 'line', minzoom: zooms[0], maxzoom: zooms[1], minPixelSize: 0, attrs: { ...names, class: 'river' } });
  }
}
