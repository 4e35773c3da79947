/**
 * The OpenMapTiles v3 schema as a Profile: sixteen layers, each in its own file
 * under layers/, asked in turn for every OSM object and Natural Earth record.
 */
import type { FeatureCollector, LayerSpec, Profile, RelationMembership, SourceFeature } from './profile.js';
import type { OsmTags } from '../osm/types.js';
import type { LayerContext, OmtLayer, OsmType } from './omt_layer.js';
import { NaturalEarthIndex } from './natural_earth_index.js';
import { WaterLayer } from './layers/water.js';
import { WaterwayLayer } from './layers/waterway.js';
import { LandcoverLayer } from './layers/landcover.js';
import { LanduseLayer } from './layers/landuse.js';
import { MountainPeakLayer } from './layers/mountain_peak.js';
import { ParkLayer } from './layers/park.js';
import { BoundaryLayer, countryCode } from './layers/boundary.js';
import { AerowayLayer } from './layers/aeroway.js';
import { TransportationLayer } from './layers/transportation.js';
import { BuildingLayer } from './layers/building.js';
import { WaterNameLayer } from './layers/water_name.js';
import { TransportationNameLayer } from './layers/transportation_name.js';
import { PlaceLayer } from './layers/place.js';
import { HousenumberLayer } from './layers/housenumber.js';
import { PoiLayer } from './layers/poi.js';
import { AerodromeLabelLayer } from './layers/aerodrome_label.js';

/**
 * Layers `wants` asks first, by how often they want an object of that type (tagged nodes and ways of the shared
 * extracts: 80% of wanted nodes are housenumbers, 70% of wanted ways buildings). `wants` runs for every tagged
 * object on the import's read thread; asking in schema order took ten layer tests for a building.
 */
const NODE_LAYERS_FIRST = ['housenumber', 'poi'];
const AREA_LAYERS_FIRST = ['building', 'transportation', 'landcover', 'housenumber'];

/**
 * `first` (layer ids), then the other layers in schema order. Any order gives `wants` the same answer: it is an
 * OR of side-effect-free tests, and it stops at the first true.
 */
export function wantsOrder<L extends { spec: { id: string } }>(layers: readonly L[], first: readonly string[]): L[] {
  const head = first.map((id) => layers.find((l) => l.spec.id === id)).filter((l): l is L => l !== undefined);
  return [...head, ...layers.filter((l) => !head.includes(l))];
}

export class OpenMapTilesProfile implements Profile {
  readonly name = 'OpenMapTiles';
  readonly version = '3.15.0';
  readonly attribution =
    '<a href="https://www.openmaptiles.org/" target="_blank">&copy; OpenMapTiles</a> ' +
    '<a href="https://www.openstreetmap.org/copyright" target="_blank">&copy; OpenStreetMap contributors</a>';
  /** Boundaries and routes for the schema; `building` so outlines with building:part members get hide_3d. */
  readonly relationTypes: readonly string[] = ['route', 'boundary', 'building'];
  readonly layers: readonly LayerSpec[];
  readonly naturalEarthTables: readonly string[];

  private readonly impl: readonly OmtLayer[];
  /** The layers in the order `wants` asks them, per OSM type (see wantsOrder). */
  private readonly askOrder: Readonly<Record<OsmType, readonly OmtLayer[]>>;
  private readonly ctx: LayerContext = { ne: new NaturalEarthIndex() };
  private readonly neHandlers = new Map<string, OmtLayer[]>();

  constructor() {
    // The order of OpenMapTiles' openmaptiles.yaml (and of `vector_layers`).
    this.impl = [
      new WaterLayer(), new WaterwayLayer(), new LandcoverLayer(), new LanduseLayer(), new MountainPeakLayer(),
      new ParkLayer(), new BoundaryLayer(), new AerowayLayer(), new TransportationLayer(), new BuildingLayer(),
      new WaterNameLayer(), new TransportationNameLayer(), new PlaceLayer(), new HousenumberLayer(), new PoiLayer(),
      new AerodromeLabelLayer(),
    ];
    this.layers = this.impl.map((l) => l.spec);
    this.askOrder = {
      node: wantsOrder(this.impl, NODE_LAYERS_FIRST),
      way: wantsOrder(this.impl, AREA_LAYERS_FIRST),
      relation: wantsOrder(this.impl, AREA_LAYERS_FIRST),
    };
    for (const l of this.impl) {
      for (const t of l.naturalEarthTables ?? []) {
        const list = this.neHandlers.get(t) ?? [];
        list.push(l);
        this.neHandlers.set(t, list);
      }
    }
    // Populated places and countries first, so the importer can feed them before the layers that join to them.
    const first = ['ne_10m_populated_places_simple', 'ne_50m_admin_0_countries'];
    this.naturalEarthTables = [...first, ...[...this.neHandlers.keys()].filter((t) => !first.includes(t)).sort()];
  }

  /** Country relations with an ISO code: their border ways get adm0_l/adm0_r. */
  wantsSides(relationTags: OsmTags): boolean {
    return countryCode(relationTags) !== undefined;
  }

  wants(tags: OsmTags, osmType: OsmType, memberOf?: readonly RelationMembership[]): boolean {
    for (const l of this.askOrder[osmType]) if (l.wantsOsm(tags, osmType, memberOf)) return true;
    return false;
  }

  processFeature(source: SourceFeature, out: FeatureCollector): void {
    if (source.source === 'coastline') {
      for (const l of this.impl) l.processSea?.(source, out);
      return;
    }
    if (source.source === 'naturalearth') {
      for (const l of this.neHandlers.get(source.table) ?? []) l.processNaturalEarth?.(source, out, this.ctx);
      return;
    }
    const type: OsmType = source.osmType ?? (source.table as OsmType);
    for (const l of this.impl) {
      if (l.wantsOsm(source.tags, type, source.relations)) l.processOsm(source, out, this.ctx);
    }
  }
}
