/**
 * transportation_name: named or numbered roads (name, ref, ref_length, network,
 * route_1…route_6), named aerial ways and ferries, and motorway junctions.
 * A label never appears before its road: the minimum zoom is the larger of the
 * label's own (motorway z6, trunk z8, others z12/13) and the road's.
 */
import type { FeatureCollector, LayerSpec, SourceFeature } from '../profile.js';
import type { OsmTags } from '../../osm/types.js';
import type { LayerContext, OmtLayer, OsmType } from '../omt_layer.js';
import { brunnel, compact, isTrue, parseIntTag } from '../tag_values.js';
import { nameFieldSpecs, omtNames } from '../omt_names.js';
import { routeRelations } from '../route_networks.js';
import { addBanded } from '../zoom_bands.js';
import { firstPointCountry, highwayClass, highwaySubclass, isLink, roadMinZoom, roadNetwork, zOrder } from './transportation_rules.js';

const MAX_ROUTES = 6;
const JUNCTION_HIGHWAYS = new Set(['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified']);

export class TransportationNameLayer implements OmtLayer {
  readonly spec: LayerSpec = {
    id: 'transportation_name',
    description: 'Names and refs of roads (for labels along lines and shields), of aerial ways, ferries and motorway junctions.',
    fields: {
      ...nameFieldSpecs(), ref: 'String', ref_length: 'Number', network: 'String', class: 'String', subclass: 'String',
      brunnel: 'String', level: 'Number', layer: 'Number', indoor: 'Number',
      route_1: 'String', route_2: 'String', route_3: 'String', route_4: 'String', route_5: 'String', route_6: 'String',
    },
    minzoom: 6,
    maxzoom: 14,
    buffer: 8,
    mergeLinesBelowZoom: 14,
  };

  wantsOsm(tags: OsmTags, osmType: OsmType): boolean {
    if (osmType === 'node') return tags.highway === 'motorway_junction';
    if (osmType !== 'way') return false;
    return tags.highway !== undefined || tags.aerialway !== undefined || tags.route === 'ferry';
  }

  processOsm(source: SourceFeature, out: FeatureCollector, ctx: LayerContext): void {
    const tags = source.tags;
    if (source.isPoint) {
      this.junction(source, out);
      return;
    }
    if (!source.canBeLine || isTrue(tags.area)) return;
    const names = omtNames(tags);
    if (tags.aerialway !== undefined || tags.route === 'ferry') {
      if (names.name === undefined || tags.highway !== undefined) return;
      out.add({
        layer: 'transportation_name', geometry: 'line', minzoom: 12, maxzoom: 14, sortKey: zOrder(tags), minPixelSize: 0,
        attrs: { ...names, class: tags.aerialway !== undefined ? 'aerialway' : 'ferry',
          ...compact({ subclass: tags.aerialway }) },
      });
      return;
    }
    this.road(source, out, ctx, names);
  }

  private road(source: SourceFeature, out: FeatureCollector, ctx: LayerContext, names: Record<string, string | number | boolean>): void {
    const tags = source.tags;
    const highway = tags.highway;
    if (highway === undefined) return;
    const cls = highwayClass(tags, false);
    if (cls === undefined || cls === 'pier' || cls === 'bridge') return;
    const routes = routeRelations(source.relations);
    const country = tags.ref !== undefined ? firstPointCountry(source, ctx) : undefined;
    const network = roadNetwork(tags, routes, country);
    const ownRef = (tags.ref ?? '').trim();
    const ref = network !== undefined && network.ref !== '' ? network.ref : ownRef === '' ? undefined : ownRef;
    if (names.name === undefined && ref === undefined) return;
    const base = cls.replace('_construction', '');
    let minzoom = base === 'trunk' ? 8 : base === 'motorway' ? 6 : isLink(highway) ? 13 : 12;
    minzoom = Math.max(minzoom, roadMinZoom(tags, cls, routes));
    if (minzoom > 14) return;
    const footwayOrSteps = highway === 'footway' || highway === 'steps';
    const attrs = {
      ...names,
      ...compact({
        ref,
        ref_length: ref?.length,
        network: network?.networkType ?? (ref !== undefined ? 'road' : undefined),
        class: cls,
        subclass: highwaySubclass(cls, tags),
        layer: footwayOrSteps ? nonZero(parseIntTag(tags.layer)) : undefined,
        level: footwayOrSteps ? parseIntTag(tags.level) : undefined,
        indoor: footwayOrSteps && isTrue(tags.indoor) ? 1 : undefined,
      }),
    };
    let i = 0;
    for (const r of routes) {
      if (r.networkType === undefined && r.network === undefined) continue;
      if (++i > MAX_ROUTES) break;
      attrs[`route_${i}`] = `${r.network ?? ''}=${r.ref}`;
    }
    // brunnel only from z12: below, a bridge would cut a road's label line in pieces (planetiler leaves it out).
    addBanded(out, { layer: 'transportation_name', geometry: 'line', minzoom, maxzoom: 14, attrs, sortKey: zOrder(tags), minPixelSize: 0 },
      [{ fromZoom: 12, attrs: { brunnel: brunnel(tags, true) } }]);
  }

  private junction(source: SourceFeature, out: FeatureCollector): void {
    const tags = source.tags;
    if (tags.highway !== 'motorway_junction') return;
    // OpenMapTiles takes the class from the most important road through the node; a junction is almost always on a motorway.
    const via = tags['junction:highway'] ?? 'motorway';
    const ref = tags.ref;
    out.add({
      layer: 'transportation_name', geometry: 'point', minzoom: 10, maxzoom: 14,
      attrs: { ...omtNames(tags), ...compact({ ref, ref_length: ref?.length,
        class: JUNCTION_HIGHWAYS.has(via) ? (highwayClass({ highway: via }) ?? 'motorway') : 'motorway',
        subclass: 'junction', layer: nonZero(parseIntTag(tags.layer)) }) },
    });
  }
}

function nonZero(n: number | undefined): number | undefined {
  return n === 0 ? undefined : n;
}
