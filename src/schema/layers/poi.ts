/**
 * poi: points of interest (shops, food, schools, health, transport, worship,
 * leisure, tourism…) with OpenMapTiles' class/subclass table, ordered by class
 * importance (named first) and ranked within 64 px cells for label density.
 * Stations, halts and ferry terminals from z12, universities from z10 when
 * large, everything else at z14.
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { minZoomForArea, worldArea } from '../geometry_measure.js';
import { compact, isTrue, omtFeatureId, parseIntTag } from '../tag_values.js';
import { poiClass, poiClassRank, poiMatch } from './poi_classes.js';

/** Static stand-in for the per-tile rank when the tiler does not compute it: 1 for hospitals … 21 for the rest, +40 unnamed. */
export function approximatePoiRank(sortKey: number): number {
  return Math.floor(sortKey / 50) + 1;
}

export class PoiLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'poi',
    description: 'Points of interest: shops, food and drink, education, health, transport, worship, leisure, tourism.',
    fields: { ...nameFieldSpecs(), class: 'String', subclass: 'String', rank: 'Number', agg_stop: 'Number', level: 'Number',
      layer: 'Number', indoor: 'Number' },
    minzoom: 10,
    maxzoom: 14,
    buffer: 64,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    if (osmType === 'relation' && tags.type !== 'multipolygon') return false;
    return poiMatch(tags) !== undefined;
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    if (!source.isPoint && !source.canBePolygon) return;
    const tags = source.tags;
    const match = poiMatch(tags);
    if (match === undefined) return;
    let raw = match.value;
    if (raw === 'station' && tags.station === 'subway') raw = 'subway';
    if (raw === 'station' && isTrue(tags.funicular)) raw = 'halt';
    const names = omtNames(this.nameTags(raw, tags));
    let subclass: string | undefined = raw;
    if (raw === 'information') subclass = tags.information;
    else if (raw === 'place_of_worship') subclass = tags.religion;
    else if (raw === 'pitch') subclass = tags.sport;
    const cls = match.key === 'amenity' && raw === 'university' ? 'college' : poiClass(raw, match.key);
    const sortKey = poiClassRank(cls) + (names.name === undefined ? 2000 : 0);
    let minzoom = (match.value === 'station' && match.key === 'railway') || raw === 'halt' || raw === 'ferry_terminal' ? 12 : 14;
    if ((raw === 'university' || raw === 'college') && !source.isPoint) {
      // Universities that cover ~10% of a tile (80 px across) show from z10.
      minzoom = Math.min(14, minZoomForArea(worldArea(source.geometry()), 80, 10));
    }
    const layer = parseIntTag(tags.layer);
    out.add({
      layer: 'poi', geometry: source.isPoint ? 'point' : 'pointOnSurface', minzoom, maxzoom: 14,
      id: omtFeatureId(source.id, source.osmType),
      sortKey,
      labelGrid: { sizePx: 64, limit: 1000, rankAttr: 'rank' },
      attrs: {
        ...names,
        ...compact({
          class: cls, subclass, rank: approximatePoiRank(sortKey),
          layer: layer === 0 ? undefined : layer, level: parseIntTag(tags.level), indoor: isTrue(tags.indoor) ? 1 : undefined,
        }),
      },
    });
  }

  /** ATMs without a name are labelled by operator or network, parcel lockers and chargers by brand/operator and ref. */
  private nameTags(subclass: string, tags: OsmTags): OsmTags {
    if ((tags.name ?? '') !== '') return tags;
    if (subclass === 'atm') {
      const n = tags.operator ?? tags.network;
      return n === undefined ? tags : { ...tags, name: n };
    }
    if (subclass === 'parcel_locker' || subclass === 'charging_station') {
      const b = tags.brand ?? tags.operator;
      const n = [b, tags.ref].filter((x) => x !== undefined && x !== '').join(' ');
      return n === '' ? tags : { ...tags, name: n };
    }
    return tags;
  }
}
