/**
 * water_name: labels of named lakes and bays (a point inside, from the zoom at
 * which the water is half a tile across: OpenMapTiles has lake centrelines,
 * which we do not compute) and of seas and oceans (place=sea / place=ocean).
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { worldArea } from '../geometry_measure.js';
import { isTrue, omtFeatureId, parseIntTag } from '../tag_values.js';
import { isWaterArea, waterClass } from './water.js';

/**
 * planetiler-openmaptiles' areaToMinZoom: the zoom at which the lake is at least half a tile (128 px) across,
 * clamped to z3–z14.
 */
export function lakeLabelMinZoom(area: number): number {
  if (area <= 0) return 14;
  const zoom = -Math.log2(Math.sqrt(area)) - 1;
  return Math.min(14, Math.max(3, Math.floor(zoom - 1e-12) + 1));
}

export class WaterNameLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'water_name',
    description: 'Labels of lakes, bays, seas and oceans.',
    fields: { ...nameFieldSpecs(), class: 'String', intermittent: 'Number' },
    minzoom: 0,
    maxzoom: 14,
    buffer: 256,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    if (tags.name === undefined) return false;
    if (osmType === 'node') return tags.place === 'sea' || tags.place === 'ocean' || tags.natural === 'bay';
    return isWaterArea(tags);
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    const names = omtNames(tags);
    if (names.name === undefined || tags.name === undefined || tags.name.trim() === '') return;
    const intermittent = isTrue(tags.intermittent) ? 1 : 0;
    const id = omtFeatureId(source.id, source.osmType);
    if (source.isPoint) {
      const cls = tags.natural === 'bay' ? 'bay' : tags.place;
      if (cls !== 'sea' && cls !== 'ocean' && cls !== 'bay') return;
      // Without Natural Earth marine areas: oceans at z0, bays at z13, seas at z8 unless the node carries a rank.
      const rank = parseIntTag(tags.rank);
      const minzoom = cls === 'ocean' ? 0 : rank !== undefined ? Math.min(14, Math.max(0, rank)) : cls === 'bay' ? 13 : 8;
      out.add({ layer: 'water_name', geometry: 'point', minzoom, maxzoom: 14, id, attrs: { ...names, class: cls, intermittent } });
      return;
    }
    if (!source.canBePolygon || !isWaterArea(tags)) return;
    const cls = tags.natural === 'bay' ? 'bay' : tags.place === 'sea' ? 'sea' : waterClass(tags);
    // Rivers, docks and pools are named along their lines or not at all.
    if (cls !== 'lake' && cls !== 'bay' && cls !== 'sea') return;
    const area = worldArea(source.geometry());
    const minzoom = tags.place === 'sea' || tags.place === 'ocean' ? 0 : lakeLabelMinZoom(area);
    out.add({
      layer: 'water_name', geometry: 'labelPoint', minzoom, maxzoom: 14, id,
      sortKey: Math.round(-Math.log2(Math.max(area, 1e-20)) * 10),
      attrs: { ...names, class: cls, intermittent },
    });
  }
}
