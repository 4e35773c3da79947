/**
 * waterway: rivers, canals, streams, drains and ditches. Natural Earth rivers
 * at z3–z8, then OSM: named rivers from z9, rivers and canals from z12, the
 * small classes from z13 (OpenMapTiles' "river only until z11").
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { brunnel, compact, isTrue } from '../tag_values.js';

const CLASSES = new Set(['stream', 'river', 'canal', 'drain', 'ditch']);
const NE_RIVERS: Record<string, [number, number]> = {
  ne_110m_rivers_lake_centerlines: [3, 4],
  ne_50m_rivers_lake_centerlines: [5, 6],
  ne_10m_rivers_europe: [7, 8],
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
    out.add({
      layer: 'waterway', geometry: 'line', minzoom, maxzoom: 14, minPixelSize: 0,
      attrs: { ...names, ...compact({ class: cls, brunnel: brunnel(tags, false), intermittent: isTrue(tags.intermittent) ? 1 : 0 }) },
    });
  }

  processNaturalEarth(source: SourceFeature, out: FeatureCollector): void {
    const zooms = NE_RIVERS[source.table];
    if (zooms === undefined || !source.canBeLine) return;
    const f = source.tags.featurecla ?? '';
    if (!/river/i.test(f) && !/lake centerline/i.test(f)) return;
    const name = source.tags.name;
    out.add({
      layer: 'waterway', geometry: 'line', minzoom: zooms[0], maxzoom: zooms[1], minPixelSize: 0,
      attrs: { class: 'river', intermittent: 0, ...(name !== undefined && name !== '' ? omtNames({ name, ...(source.tags.name_en ? { 'name:en': source.tags.name_en } : {}) }) : {}) },
    });
  }
}
