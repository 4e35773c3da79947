/**
 * mountain_peak: peaks, volcanoes and saddles (points from z7, highest first,
 * a few per 100 px cell) and ridges, cliffs and arêtes (lines from z13).
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { omtFeatureId, parseMetres } from '../tag_values.js';
import { addWithGridLimits } from '../zoom_bands.js';

const POINTS = new Set(['peak', 'volcano', 'saddle']);
const LINES = new Set(['ridge', 'cliff', 'arete']);
const FEET_PER_METRE = 3.2808399;

export class MountainPeakLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'mountain_peak',
    description: 'Peaks, volcanoes and saddles with elevation; ridges, cliffs and arêtes.',
    fields: { ...nameFieldSpecs(), class: 'String', ele: 'Number', ele_ft: 'Number', customary_ft: 'Number', rank: 'Number' },
    minzoom: 7,
    maxzoom: 14,
    buffer: 64,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    const n = tags.natural;
    if (n === undefined) return false;
    return osmType === 'node' ? POINTS.has(n) : osmType === 'way' && LINES.has(n);
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    const cls = tags.natural;
    if (cls === undefined) return;
    const names = omtNames(tags);
    if (source.isPoint && POINTS.has(cls)) {
      const eleM = parseMetres(tags.ele);
      // OpenMapTiles keeps only peaks with a plausible elevation.
      if (eleM === undefined || Math.abs(eleM) >= 10_000) return;
      const ele = Math.round(eleM);
      // Named peaks with Wikipedia articles first, then by height (planetiler's score).
      const score = ele + (names.name !== undefined ? 10_000 : 0) + (tags.wikipedia !== undefined ? 10_000 : 0);
      // The five best peaks per 100 px cell up to z13, all of them at z14.
      addWithGridLimits(out, {
        layer: 'mountain_peak', geometry: 'point', minzoom: 7, maxzoom: 14,
        id: omtFeatureId(source.id, source.osmType),
        sortKey: -score,
        labelGrid: { sizePx: 100, limit: 5, rankAttr: 'rank' },
        attrs: { ...names, class: cls, ele, ele_ft: Math.round(eleM * FEET_PER_METRE), rank: 1 },
      }, [[0, 5], [14, 1000]]);
    } else if (!source.isPoint && source.canBeLine && LINES.has(cls)) {
      // Named ridges and those with a Wikipedia article first (planetiler's approximate line rank).
      const rank = 3 - (tags.wikipedia !== undefined ? 1 : 0) - (names.name !== undefined ? 1 : 0);
      out.add({
        layer: 'mountain_peak', geometry: 'line', minzoom: 13, maxzoom: 14, minPixelSize: 0, sortKey: rank,
        attrs: { ...names, class: cls, rank },
      });
    }
  }
}
