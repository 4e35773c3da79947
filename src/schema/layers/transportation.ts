/**
 * transportation: roads, paths, railways, aerial ways, ferries and pedestrian
 * areas, with OpenMapTiles' classes, per-class minimum zooms and the attributes
 * it adds from z8 (expressway), z9 (layer, access, toll, bicycle…) and z12
 * (service, oneway, surface).
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { LayerContext, OmtLayer, OsmType } from '../omt_layer.js';
import { brunnel, compact, direction, isTrue, parseIntTag } from '../tag_values.js';
import { addBanded } from '../zoom_bands.js';
import { worldLength } from '../geometry_measure.js';
import { routeRelations } from '../route_networks.js';
import { firstPointCountry, highwayClass, highwaySubclass, isLink, roadMinZoom, roadNetwork, SERVICE_VALUES, zOrder } from './transportation_rules.js';

const RAIL = new Set(['rail', 'narrow_gauge', 'preserved', 'funicular']);
const TRANSIT = new Set(['subway', 'light_rail', 'monorail', 'tram']);
const AERIALWAY = new Set(['chair_lift', 'drag_lift', 'platter', 't-bar', 'gondola', 'cable_car', 'j-bar', 'mixed_lift']);
const SURFACE_PAVED = new Set(['paved', 'asphalt', 'cobblestone', 'concrete', 'concrete:lanes', 'concrete:plates', 'metal',
  'paving_stones', 'sett', 'unhewn_cobblestone', 'wood', 'grade1']);
const SURFACE_UNPAVED = new Set(['unpaved', 'compacted', 'dirt', 'earth', 'fine_gravel', 'grass', 'grass_paver', 'gravel',
  'gravel_turf', 'ground', 'ice', 'mud', 'pebblestone', 'salt', 'sand', 'snow', 'woodchips']);
const AREA_HIGHWAYS = new Set(['path', 'cycleway', 'bridleway', 'footway', 'corridor', 'pedestrian', 'steps']);
// "shipway_linestring_gen_z10 … ST_Length > ZRES5": ferries shorter than this are dropped.
const FERRY_MIN_LENGTH = 1 / 2 ** 13;
const BUFFER = 4;

export function surfaceClass(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return SURFACE_PAVED.has(v) ? 'paved' : SURFACE_UNPAVED.has(v) ? 'unpaved' : undefined;
}

function layerValue(tags: OsmTags): number | undefined {
  const l = parseIntTag(tags.layer);
  return l === undefined || l === 0 ? undefined : l;
}

function onewayValue(tags: OsmTags): number | undefined {
  const d = direction(tags.oneway);
  return d === 0 ? undefined : d;
}

export class TransportationLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'transportation',
    description: 'Roads, railways, aerial ways, ferries and paths, with the OpenMapTiles road hierarchy.',
    fields: {
      class: 'String', subclass: 'String', network: 'String', brunnel: 'String', oneway: 'Number', ramp: 'Number',
      service: 'String', access: 'String', toll: 'Number', expressway: 'Number', layer: 'Number', level: 'Number',
      indoor: 'Number', bicycle: 'String', foot: 'String', horse: 'String', mtb_scale: 'String', surface: 'String',
    },
    minzoom: 4,
    maxzoom: 14,
    buffer: BUFFER,
    mergeLinesBelowZoom: 14,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    if (osmType === 'node') return false;
    return tags.highway !== undefined || tags.railway !== undefined || tags.aerialway !== undefined ||
      tags.route === 'ferry' || tags.public_transport === 'platform' || tags.man_made === 'pier' ||
      tags.man_made === 'bridge';
  }

  processOsm(source: SourceFeature, out: FeatureCollector, ctx: LayerContext): void {
    const tags = source.tags;
    if (source.isPoint) return;
    // A closed pier or bridge outline is an area, whatever else the way carries.
    const pierOrBridgeArea = (tags.man_made === 'pier' || tags.man_made === 'bridge') && source.canBePolygon;
    if (!pierOrBridgeArea && source.canBeLine && !isTrue(tags.area) && source.osmType !== 'relation') {
      // One way can be several things at once (a street with tram tracks): each table of OpenMapTiles takes it.
      if (tags.railway !== undefined && (RAIL.has(tags.railway) || TRANSIT.has(tags.railway))) this.railway(source, out);
      if (tags.aerialway !== undefined && AERIALWAY.has(tags.aerialway)) this.aerialway(source, out);
      if (tags.route === 'ferry') this.ferry(source, out);
      this.highwayLine(source, out, ctx);
    } else if (source.canBePolygon) {
      this.highwayPolygon(source, out);
    }
  }

  private highwayLine(source: SourceFeature, out: FeatureCollector, ctx: LayerContext): void {
    const tags = source.tags;
    const cls = highwayClass(tags);
    if (cls === undefined) return;
    // Bridge outlines are only drawn as areas.
    if (cls === 'bridge') return;
    const routes = routeRelations(source.relations);
    const minzoom = roadMinZoom(tags, cls, routes);
    if (minzoom > 14) return;
    const network = cls === 'path' || cls === 'track' ? routes.find((r) => r.networkType !== undefined)
      : roadNetwork(tags, routes, tags.ref !== undefined ? firstPointCountry(source, ctx) : undefined);
    const highway = tags.highway;
    const link = isLink(highway);
    const rampHigh = link || isTrue(tags.ramp) ? 1 : undefined;
    const service = tags.service !== undefined && SERVICE_VALUES.has(tags.service) ? tags.service : undefined;
    const base = {
      class: cls,
      subclass: highwaySubclass(cls, tags),
      network: network?.networkType,
      brunnel: brunnel(tags, true),
    };
    const footwayOrSteps = highway === 'footway' || highway === 'steps';
    addBanded(out, {
      layer: 'transportation', geometry: 'line', minzoom, maxzoom: 14, attrs: {},
      sortKey: zOrder(tags), minPixelSize: 0,
    }, [
      { fromZoom: 0, attrs: { ...base, level: footwayOrSteps ? parseIntTag(tags.level) : undefined,
        indoor: footwayOrSteps && isTrue(tags.indoor) ? 1 : undefined } },
      { fromZoom: 8, attrs: { expressway: isTrue(tags.expressway) && highway !== 'motorway' ? 1 : undefined } },
      { fromZoom: 9, attrs: {
        layer: layerValue(tags), bicycle: tags.bicycle, foot: tags.foot, horse: tags.horse, mtb_scale: tags['mtb:scale'],
        access: tags.access === 'no' || tags.access === 'private' ? 'no' : undefined, toll: isTrue(tags.toll) ? 1 : undefined,
        ramp: minzoom >= 12 ? rampHigh : link ? 1 : undefined,
      } },
      { fromZoom: 12, attrs: { ramp: rampHigh, service, oneway: onewayValue(tags),
        surface: surfaceClass(tags.surface ?? tags.tracktype) } },
    ]);
  }

  private railway(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    const railway = tags.railway as string;
    const service = tags.service !== undefined && tags.service !== '' ? tags.service : undefined;
    let minzoom: number;
    if (service !== undefined) minzoom = 14;
    else if (railway === 'rail') minzoom = tags.usage === 'main' ? 8 : 10;
    else if (railway === 'narrow_gauge') minzoom = 10;
    else if (railway === 'light_rail') minzoom = 11;
    else minzoom = 14;
    addBanded(out, {
      layer: 'transportation', geometry: 'line', minzoom, maxzoom: 14, attrs: {}, sortKey: zOrder(tags), minPixelSize: 0,
    }, [
      { fromZoom: 0, attrs: {
        class: RAIL.has(railway) ? 'rail' : 'transit', subclass: railway,
        service: service !== undefined && SERVICE_VALUES.has(service) ? service : undefined,
        oneway: onewayValue(tags), ramp: isTrue(tags.ramp) ? 1 : undefined,
      } },
      { fromZoom: 9, attrs: { layer: layerValue(tags) } },
      { fromZoom: 10, attrs: { brunnel: brunnel(tags, true) } },
    ]);
  }

  private aerialway(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    out.add({
      layer: 'transportation', geometry: 'line', minzoom: 12, maxzoom: 14, sortKey: zOrder(tags), minPixelSize: 0,
      attrs: compact({ class: 'aerialway', subclass: tags.aerialway, oneway: onewayValue(tags),
        brunnel: brunnel(tags, true), layer: layerValue(tags) }),
    });
  }

  private ferry(source: SourceFeature, out: FeatureCollector): void {
    if (worldLength(source.geometry()) < FERRY_MIN_LENGTH) return;
    const tags = source.tags;
    out.add({
      layer: 'transportation', geometry: 'line', minzoom: 4, maxzoom: 14, sortKey: zOrder(tags), minPixelSize: 0,
      attrs: compact({ class: 'ferry', oneway: onewayValue(tags), brunnel: brunnel(tags, true), layer: layerValue(tags) }),
    });
  }

  private highwayPolygon(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    const manMade = tags.man_made;
    const isPierOrBridge = manMade === 'pier' || manMade === 'bridge';
    const eligible = isPierOrBridge || (tags.highway !== undefined && AREA_HIGHWAYS.has(tags.highway)) ||
      tags.public_transport === 'platform';
    if (!eligible) return;
    const layer = parseIntTag(tags.layer) ?? 0;
    // Only areas (area=yes, multipolygons) above ground, as OpenMapTiles' osm_highway_polygon.
    if (!isPierOrBridge && (layer < 0 || (source.canBeLine && !isTrue(tags.area) && source.osmType !== 'relation'))) return;
    const cls = isPierOrBridge && tags.highway === undefined ? manMade : highwayClass(tags);
    if (cls === undefined) return;
    out.add({
      layer: 'transportation', geometry: 'polygon', minzoom: 13, maxzoom: 14, sortKey: zOrder(tags),
      attrs: compact({ class: cls, subclass: highwaySubclass(cls, tags),
        brunnel: manMade === 'bridge' ? 'bridge' : undefined, layer: layer === 0 ? undefined : layer }),
    });
  }
}
