/**
 * Builds the profile's SourceFeatures from the collected OSM objects: tagged nodes
 * as points, ways as lines or areas (OSM area rules), multipolygon and boundary
 * relations as assembled areas. Geometry is built lazily, only when the profile
 * emits something. Missing nodes and members are counted, never fatal.
 */
import type { Geometry, PolygonGeometry } from '../core/geometry.js';
import type { DataErrors } from '../core/data_errors.js';
import { latToY, lonToX } from '../core/tile_math.js';
import type { OsmNode, OsmRelation, OsmTags } from '../osm/types.js';
import { assembleMultipolygon } from '../osm/ring_assembler.js';
import type { Profile, RelationMembership, SourceFeature } from '../schema/profile.js';
import type { OutputFeatureCollector } from './output_features.js';
import type { NodeStore } from '../osm/node_store.js';
import type { WayStore } from './way_store.js';
import { areaSquareMetres, lengthMetres } from './feature_geometry.js';
import { isArea } from './area_rules.js';

function lazyFeature(base: Omit<SourceFeature, 'geometry' | 'areaM2' | 'lengthM'>, build: () => Geometry | null): SourceFeature | null {
  let geom: Geometry | null | undefined;
  let area: number | undefined, length: number | undefined;
  const get = (): Geometry => {
    if (geom === undefined) geom = build();
    if (geom === null) throw new EmptyGeometry();
    return geom;
  };
  return {
    ...base,
    geometry: get,
    areaM2: () => (area ??= base.canBePolygon ? areaSquareMetres(get()) : 0),
    lengthM: () => (length ??= lengthMetres(get())),
  };
}

/** Thrown by a lazy geometry that turned out empty (all nodes missing…); the caller skips the feature. */
export class EmptyGeometry extends Error {
  constructor() {
    super('empty geometry');
  }
}

export function nodeFeature(node: OsmNode): SourceFeature {
  const coords = new Float64Array([lonToX(node.lon), latToY(node.lat)]);
  const geom: Geometry = { type: 'point', coords };
  return {
    source: 'osm', table: 'node', osmType: 'node', id: node.id, tags: node.tags,
    isPoint: true, canBeLine: false, canBePolygon: false, relations: [],
    geometry: () => geom, areaM2: () => 0, lengthM: () => 0,
  };
}

/** What way and relation geometry is built from. */
export interface OsmStores {
  nodes: NodeStore;
  ways: WayStore;
}

export class WayGeometryBuilder {
  constructor(private readonly osm: OsmStores, private readonly errors: DataErrors) {}

  /** World coordinates of a way's nodes, missing nodes skipped and counted. */
  coords(wayIndex: number): Float64Array {
    const refs = this.osm.ways.refsAt(wayIndex);
    let missing = 0;
    const c = this.osm.nodes.wayCoords(refs, () => { missing++; });
    if (missing > 0) this.errors.count('osm_missing_node', missing);
    return c;
  }
}

export function wayFeature(
  wayIndex: number,
  tags: OsmTags,
  relations: RelationMembership[],
  osm: OsmStores,
  builder: WayGeometryBuilder,
): SourceFeature | null {
  const refs = osm.ways.refsAt(wayIndex);
  if (refs.length < 2) return null;
  const closed = refs.length >= 4 && refs[0] === refs[refs.length - 1];
  const polygon = isArea(tags, closed);
  return lazyFeature(
    {
      source: 'osm', table: 'way', osmType: 'way', id: osm.ways.idAt(wayIndex), tags,
      isPoint: false, canBeLine: true, canBePolygon: polygon, relations,
    },
    () => {
      const c = builder.coords(wayIndex);
      if (c.length < 4) return null;
      if (polygon) {
        if (c.length < 8 || c[0] !== c[c.length - 2] || c[1] !== c[c.length - 1]) return { type: 'line', lines: [c] };
        return { type: 'polygon', polygons: [[c]] };
      }
      return { type: 'line', lines: [c] };
    },
  );
}

export function relationFeature(rel: OsmRelation, osm: OsmStores, builder: WayGeometryBuilder, errors: DataErrors): SourceFeature | null {
  return lazyFeature(
    {
      source: 'osm', table: 'relation', osmType: 'relation', id: rel.id, tags: rel.tags,
      isPoint: false, canBeLine: false, canBePolygon: true, relations: [],
    },
    (): PolygonGeometry | null => {
      const members = [];
      for (const m of rel.members) {
        if (m.type !== 'way') continue;
        const wi = osm.ways.indexOf(m.ref);
        if (wi < 0) {
          errors.count('osm_missing_member_way');
          continue;
        }
        const refs = osm.ways.refsAt(wi);
        members.push({ id: m.ref, role: m.role, coords: builder.coords(wi), firstNode: refs[0], lastNode: refs[refs.length - 1] });
      }
      if (members.length === 0) return null;
      return assembleMultipolygon(members, { errors });
    },
  );
}

/** Runs one source feature through the profile into the collector; a geometry that turns out empty is counted. */
export function featureProcessor(profile: Profile, collector: OutputFeatureCollector, errors: DataErrors): (f: SourceFeature) => void {
  return (f) => {
    collector.begin(f);
    try {
      profile.processFeature(f, collector);
    } catch (e) {
      // a way or relation whose nodes are all missing: counted, not fatal
      if (e instanceof EmptyGeometry) errors.count('empty_geometry');
      else throw e;
    }
  };
}
