/**
 * housenumber: every addr:housenumber, at z14, on the point or inside the
 * building. Lists ("1;3;5") are shown as a range ("1–5"), as OpenMapTiles does.
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { omtFeatureId } from '../tag_values.js';

const DISPLAY_SEPARATOR = '–';

/** A `;` list becomes first–last (min–max when all numeric); anything else is kept. */
export function displayHousenumber(raw: string): string {
  if (!raw.includes(';')) return raw;
  const numbers = raw.split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (numbers.length === 0) return raw;
  if (/[^0-9;\s]/.test(raw)) return `${numbers[0]}${DISPLAY_SEPARATOR}${numbers[numbers.length - 1]}`;
  const values = numbers.map(Number);
  return `${Math.min(...values)}${DISPLAY_SEPARATOR}${Math.max(...values)}`;
}

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
    if (osmType === 'relation' && tags.type !== 'multipolygon') return false;
    return tags['addr:housenumber'] !== undefined;
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const hn = source.tags['addr:housenumber']?.trim();
    if (hn === undefined || hn === '') return;
    if (!source.isPoint && !source.canBePolygon) return;
    out.add({
      layer: 'housenumber', geometry: source.isPoint ? 'point' : 'pointOnSurface', minzoom: 14, maxzoom: 14,
      id: omtFeatureId(source.id, source.osmType),
      attrs: { housenumber: displayHousenumber(hn) },
    });
  }
}
