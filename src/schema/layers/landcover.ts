/**
 * landcover: natural surfaces (wood, grass, farmland, wetland, sand, rock, ice)
 * from z7, class from OpenMapTiles' table, subclass = the OSM value.
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { OmtLayer, OsmType } from '../omt_layer.js';
import { minZoomForArea, worldArea } from '../geometry_measure.js';

const CLASS_OF: Record<string, string> = {};
function classify(cls: string, subclasses: string[]): void {
  for (const s of subclasses) CLASS_OF[s] = cls;
}
classify('farmland', ['farmland', 'farm', 'orchard', 'vineyard', 'plant_nursery']);
classify('ice', ['glacier', 'ice_shelf']);
classify('wood', ['wood', 'forest']);
classify('rock', ['bare_rock', 'scree']);
classify('grass', ['fell', 'grassland', 'heath', 'scrub', 'tundra', 'grass', 'meadow', 'allotments', 'park',
  'village_green', 'recreation_ground', 'garden', 'golf_course']);
classify('wetland', ['wetland', 'bog', 'swamp', 'wet_meadow', 'marsh', 'reedbed', 'saltern', 'tidalflat', 'saltmarsh', 'mangrove']);
classify('sand', ['beach', 'sand', 'dune']);

// imposm's osm_landcover_polygon mapping: key → values that enter the table. `wetland` first: it refines natural=wetland.
const MAPPING: Array<[string, Set<string>]> = [
  ['wetland', new Set(['bog', 'swamp', 'wet_meadow', 'marsh', 'reedbed', 'saltern', 'tidalflat', 'saltmarsh', 'mangrove'])],
  ['landuse', new Set(['allotments', 'farm', 'farmland', 'orchard', 'plant_nursery', 'vineyard', 'grass', 'grassland',
    'meadow', 'forest', 'village_green', 'recreation_ground'])],
  ['natural', new Set(['wood', 'wetland', 'fell', 'grassland', 'heath', 'scrub', 'tundra', 'glacier', 'bare_rock', 'scree',
    'beach', 'sand', 'dune'])],
  ['leisure', new Set(['park', 'garden', 'golf_course'])],
];

/** The OSM value that makes this object landcover (the subclass), if any. */
export function landcoverSubclass(tags: OsmTags): string | undefined {
  for (const [key, values] of MAPPING) {
    const v = tags[key];
    if (v !== undefined && values.has(v)) return v;
  }
  return undefined;
}

export class LandcoverLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'landcover',
    description: 'Physical land surface: wood, grass, farmland, wetland, sand, rock, ice.',
    fields: { class: 'String', subclass: 'String' },
    minzoom: 7,
    maxzoom: 14,
    buffer: 4,
    mergePolygonsBelowZoom: 14,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    return osmType !== 'node' && landcoverSubclass(tags) !== undefined;
  }

  processOsm(source: SourceFeature, out: FeatureCollector): void {
    if (!source.canBePolygon) return;
    const subclass = landcoverSubclass(source.tags);
    if (subclass === undefined) return;
    const cls = CLASS_OF[subclass];
    if (cls === undefined) return;
    const minzoom = Math.min(14, minZoomForArea(worldArea(source.geometry()), 4, 7));
    out.add({ layer: 'landcover', geometry: 'polygon', minzoom, maxzoom: 14, minPixelSize: 4, attrs: { class: cls, subclass } });
  }
}
