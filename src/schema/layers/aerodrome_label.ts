/** aerodrome_label: airports, from z8 for international ones with an IATA code, else z10. */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { compact, omtFeatureId, parseMetres } from '../tag_values.js';

const FEET_PER_METRE = 3.2808399;

/** OpenMapTiles' class from aerodrome / aerodrome:type (and military=airfield). */
export function aerodromeClass(tags: OsmTags): string {
  const a = tags.aerodrome ?? '';
  const t = tags['aerodrome:type'] ?? '';
  if (a === 'international' || t === 'international') return 'international';
  if (a === 'public' || t.includes('public') || t === 'civil') return 'public';
  if (a === 'regional' || t === 'regional') return 'regional';
  if (a === 'military' || t.includes('military') || tags.military === 'airfield') return 'military';
  if (a === 'private' || t === 'private') return 'private';
  return 'other';
}

export class AerodromeLabelLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'aerodrome_label',
    description: 'Airport labels with IATA/ICAO codes and elevation.',
    fields: { ...nameFieldSpecs(), class: 'String', iata: 'String', icao: 'String', ele: 'Number', ele_ft: 'Number' },
    minzoom: 8,
    maxzoom: 14,
    buffer: 64,
  };

  wantsOsm(tags: OsmTags): boolean {
    return tags.aeroway === 'aerodrome';
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    if (tags.aeroway !== 'aerodrome') return;
    if (!source.isPoint && !source.canBePolygon) return;
    const names = omtNames(tags);
    const iata = tags.iata?.trim() || undefined;
    const icao = tags.icao?.trim() || undefined;
    const cls = aerodromeClass(tags);
    const eleM = parseMetres(tags.ele);
    out.add({
      layer: 'aerodrome_label', geometry: source.isPoint ? 'point' : 'labelPoint',
      minzoom: iata !== undefined && cls === 'international' ? 8 : 10, maxzoom: 14,
      id: omtFeatureId(source.id, source.osmType),
      attrs: { ...names, ...compact({ class: cls, iata, icao,
        ele: eleM === undefined ? undefined : Math.round(eleM),
        ele_ft: eleM === undefined ? undefined : Math.round(eleM * FEET_PER_METRE) }) },
    });
  }
}
