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

/**
 * A SourceFeature whose geometry is built on first use. A class, not an object spread from a base: every way and
 * relation then shares one hidden class, so the profile's reads of its fields stay monomorphic (the spread with three
 * closures took 11 % of a feature thread's time at 13.5 M nodes).
 */
export class LazySourceFeature implements SourceFeature {
  readonly source = 'osm' as const;
  readonly isPoint = false;
  readonly canBeLine: boolean;
  private geom: Geometry | null | undefined = undefined;
  private area = -1;
  private length = -1;

  constructor(
    readonly table: 'way' | 'relation',
    readonly id: number,
    readonly tags: OsmTags,
    readonly canBePolygon: boolean,
    readonly relations: RelationMembership[],
    private readonly build: () => Geometry | null,
  ) {
    this.canBeLine = table === 'way';
  }

  get osmType(): 'way' | 'relation' { return this.table; }

  geometry(): Geometry {
    if (this.geom === undefined) this.geom = this.build();
    if (this.geom === null) throw new EmptyGeometry();
    return this.geom;
  }

  areaM2(): number {
    if (this.area < 0) this.area = this.canBePolygon ? areaSquareMetres(this.geometry()) : 0;
    return this.area;
  }

  lengthM(): number {
    if (this.length < 0) this.length = lengthMetres(this.geometry());
    return this.length;
  }
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
    return this.coordsOfRefs(this.osm.ways.refsAt(wayIndex));
  }

  /** coords() of a way whose refs are already decoded. */
  coordsOfRefs(refs: Float64Array): Float64Array {
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
  return new LazySourceFeature('way', osm.ways.idAt(wayIndex), tags, polygon, relations,
    () => {
      // the refs decoded above, not decoded again
      const c = builder.coordsOfRefs(refs);
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
  return new LazySourceFeature('relation', rel.id, rel.tags, true, [],
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
        members.push({ id: m.ref, role: m.role, coords: builder.coordsOfRefs(refs), firstNode: refs[0], lastNode: refs[refs.length - 1] });
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
