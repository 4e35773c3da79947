/**
 * Whether a closed way is an area, following the OSM wiki's "Polygon Features"
 * rules (also used by overpass-turbo and osm2pgsql's defaults): `area=yes` always,
 * `area=no` never, otherwise a key that implies an area, with per-key exceptions
 * (values that are lines even on a closed way) or per-key allow-lists.
 */
import type { OsmTags } from '../osm/types.js';

/** Keys where any value but the listed exceptions makes a closed way an area. */
const AREA_UNLESS: Record<string, ReadonlySet<string>> = {
  building: new Set(['no']),
  'building:part': new Set(['no']),
  landuse: new Set(['no']),
  amenity: new Set(['no']),
  leisure: new Set(['no', 'track', 'slipway', 'picnic_table']),
  shop: new Set(['no']),
  tourism: new Set(['no', 'artwork']),
  office: new Set(['no']),
  craft: new Set(['no']),
  historic: new Set(['no']),
  military: new Set(['no', 'trench']),
  place: new Set(['no']),
  aeroway: new Set(['no', 'taxiway', 'runway', 'jet_bridge', 'parking_position', 'arresting_gear']),
  boundary: new Set(['no']),
  public_transport: new Set(['no', 'platform_edge']),
  area: new Set(['no']),
  'area:highway': new Set(['no']),
  golf: new Set(['no', 'cartpath', 'path']),
  indoor: new Set(['no', 'corridor', 'wall']),
  ruins: new Set(['no']),
  'disused:amenity': new Set(['no']),
  natural: new Set(['no', 'coastline', 'cliff', 'ridge', 'arete', 'tree_row', 'valley', 'gorge', 'earth_bank']),
  man_made: new Set(['no', 'cutline', 'embankment', 'pipeline', 'dyke', 'breakwater', 'groyne', 'pier']),
};

/** Keys where only the listed values make a closed way an area. */
const AREA_ONLY: Record<string, ReadonlySet<string>> = {
  highway: new Set(['services', 'rest_area', 'escape', 'elevator', 'platform']),
  waterway: new Set(['riverbank', 'dock', 'boatyard', 'dam', 'fuel']),
  railway: new Set(['station', 'turntable', 'roundhouse', 'platform']),
  barrier: new Set(['city_wall', 'ditch', 'hedge', 'retaining_wall', 'spikes', 'wall']),
  power: new Set(['plant', 'substation', 'generator', 'transformer']),
  water: new Set(), // any value: handled below
};

export function isArea(tags: OsmTags, closed: boolean): boolean {
  if (!closed) return false;
  const area = tags.area;
  if (area === 'yes') return true;
  if (area === 'no') return false;
  for (const k in tags) {
    const unless = AREA_UNLESS[k];
    if (unless !== undefined && !unless.has(tags[k])) return true;
    if (k === 'water') return true;
    const only = AREA_ONLY[k];
    if (only !== undefined && only.has(tags[k])) return true;
  }
  return false;
}

/** Relations drawn as areas. */
export function isAreaRelation(tags: OsmTags): boolean {
  const t = tags.type;
  return t === 'multipolygon' || t === 'boundary';
}
