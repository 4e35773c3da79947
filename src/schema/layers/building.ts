/**
 * building: every building and building:part from z13 (footprints only, so the
 * tiler can merge a city block), with, from z14, the heights of Simple 3D
 * Buildings (render_height, render_min_height), a colour from building:colour
 * or the material, and hide_3d on outlines that have parts.
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { omtFeatureId, parseMetres } from '../tag_values.js';
import { addBanded } from '../zoom_bands.js';

const METRES_PER_LEVEL = 3.66;
const DEFAULT_HEIGHT = 5;
// Buildings this tall are data errors: OpenMapTiles drops them.
const MAX_HEIGHT = 3660;
const NO = new Set(['no', 'none', 'No']);
const MATERIAL_COLOURS: Record<string, string> = {
  cement_block: '#6a7880', brick: '#bd8161', plaster: '#dadbdb', wood: '#d48741', concrete: '#d3c2b0',
  metal: '#b7b1a6', stone: '#b4a995', mud: '#9d8b75', steel: '#b7b1a6', glass: '#5a81a0', traditional: '#bd8161',
  masonry: '#bd8161', Brick: '#bd8161', tin: '#b7b1a6', timber_framing: '#b3b0a9', sandstone: '#b4a995', clay: '#9d8b75',
};

function isBuilding(tags: OsmTags): boolean {
  const b = tags.building, p = tags['building:part'];
  if ((b !== undefined && NO.has(b)) || (p !== undefined && NO.has(p))) return false;
  if (tags.man_made === 'bridge' || tags.location === 'underground') return false;
  return b !== undefined || p !== undefined || tags.aeroway === 'terminal' || tags.aeroway === 'hangar';
}

/** render_height and render_min_height in metres, as OpenMapTiles computes them; undefined for implausible heights. */
export function buildingHeights(tags: OsmTags): { height: number; minHeight: number } | undefined {
  const h = parseMetres(tags.height) ?? parseMetres(tags['building:height']);
  const levels = parseMetres(tags.levels) ?? parseMetres(tags['building:levels']);
  const minH = parseMetres(tags.min_height) ?? parseMetres(tags['building:min_height']);
  const minLevels = parseMetres(tags.min_level) ?? parseMetres(tags['building:min_level']);
  const height = Math.ceil(h ?? (levels !== undefined ? levels * METRES_PER_LEVEL : DEFAULT_HEIGHT));
  const minHeight = Math.floor(minH ?? (minLevels !== undefined ? minLevels * METRES_PER_LEVEL : 0));
  if (height >= MAX_HEIGHT || minHeight >= MAX_HEIGHT) return undefined;
  return { height, minHeight };
}

export class BuildingLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'building',
    description: 'Building footprints and parts (Simple 3D Buildings heights).',
    fields: { render_height: 'Number', render_min_height: 'Number', colour: 'String', hide_3d: 'Boolean' },
    minzoom: 13,
    maxzoom: 14,
    buffer: 4,
    mergePolygonsBelowZoom: 14,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    return osmType !== 'node' && isBuilding(tags);
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    if (!source.canBePolygon || !isBuilding(tags)) return;
    const heights = buildingHeights(tags);
    if (heights === undefined) return;
    const material = tags['building:material'];
    const colour = (tags['building:colour'] ?? (material !== undefined ? MATERIAL_COLOURS[material] : undefined))?.toLowerCase();
    // An outline whose building:part members carry the 3D shape must not be extruded over them.
    const hasParts = source.relations.some((r) => r.tags.type === 'building' && r.role === 'outline');
    addBanded(out, {
      layer: 'building', geometry: 'polygon', minzoom: 13, maxzoom: 14, minPixelSize: 2, sortKey: heights.height, attrs: {},
      id: omtFeatureId(source.id, source.osmType),
    }, [{ fromZoom: 14, attrs: { render_height: heights.height, render_min_height: heights.minHeight, colour,
      hide_3d: hasParts ? true : undefined } }]);
  }
}
