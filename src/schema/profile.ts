/**
 * The contract between the importer and a tile schema (planetiler's Profile).
 * The importer builds a SourceFeature for each OSM object (and each Natural Earth
 * record); the profile decides which layers it goes to, with which attributes and
 * zoom range, by calling `out.add(...)`. The profile never sees tiles or files.
 */
import type { Geometry } from '../core/geometry.js';
import type { OsmTags } from '../osm/types.js';

export type AttrValue = string | number | boolean;
export type Attrs = Record<string, AttrValue>;

/** A relation that contains a way, as handed to the profile (boundaries, routes). */
export interface RelationMembership {
  relationId: number;
  role: string;
  tags: OsmTags;
  /** Where the relation's area lies seen along the way, for relations the profile asks (`Profile.wantsSides`). */
  side?: 'left' | 'right';
}

export interface SourceFeature {
  /** `coastline`: a sea polygon the importer built from OSM coastlines (table `water_polygons`). */
  source: 'osm' | 'naturalearth' | 'coastline';
  /** Natural Earth: the file's base name, e.g. `ne_10m_lakes_europe`; OSM: `node`/`way`/`relation`. */
  table: string;
  osmType?: 'node' | 'way' | 'relation';
  id: number;
  tags: OsmTags;
  /** What the object can be drawn as, from OSM's area rules (a closed way with area=yes or a landuse tag is a polygon…). */
  isPoint: boolean;
  canBeLine: boolean;
  canBePolygon: boolean;
  /** Relations of a type the profile asked for (`Profile.relationTypes`) that contain this way. */
  relations: RelationMembership[];
  /** Lazily computed geometry (world coordinates): as a polygon when canBePolygon, else line, else point. */
  geometry(): Geometry;
  /** Area in square metres (0 unless canBePolygon); lazy. */
  areaM2(): number;
  /** Length in metres (0 for points); lazy. */
  lengthM(): number;
}

export type OutputGeometry =
  | 'point'            // the source point(s); for a line its centroid, for a polygon its label point
  | 'line'             // the source line, or a polygon's rings as lines
  | 'polygon'          // the source polygon
  | 'pointOnSurface'   // one point inside a polygon, as PostGIS ST_PointOnSurface (poi, housenumber)
  | 'labelPoint';      // one point inside a polygon, far from its outline (polylabel: labels of areas)

export interface OutputFeature {
  layer: string;
  geometry: OutputGeometry;
  minzoom: number;
  maxzoom: number;
  attrs: Attrs;
  /** Feature id written to the tile (OpenMapTiles: OSM id * 10 + type code); omitted when undefined. */
  id?: number;
  /** Order within a layer: lower first (drawn under). */
  sortKey?: number;
  /** Below maxzoom, drop lines/polygons smaller than this many pixels (256 px tiles). Default 1 for polygons, 0 otherwise. */
  minPixelSize?: number;
  /** Label density for points: at most `limit` features per `sizePx` grid cell, ranked by sortKey (lower wins). */
  labelGrid?: {
    sizePx: number;
    limit: number;
    /**
     * When set, the tiler writes each kept feature's 1-based position in its grid cell (plus `rankOffset`)
     * into this attribute, replacing any value the profile gave (OpenMapTiles' per-tile `rank` of poi,
     * place, mountain_peak, park). The profile's value is an approximation used when the tiler does not.
     */
    rankAttr?: string;
    rankOffset?: number;
  };
}

export interface FeatureCollector {
  add(feature: OutputFeature): void;
}

export interface LayerSpec {
  id: string;
  description: string;
  /** Field name → type, as written in MBTiles `vector_layers` (`String`, `Number`, `Boolean`). */
  fields: Record<string, 'String' | 'Number' | 'Boolean'>;
  minzoom: number;
  maxzoom: number;
  /** Tile buffer in pixels (256 px tile). */
  buffer: number;
  /** Merge touching lines with identical attributes below this zoom (exclusive). */
  mergeLinesBelowZoom?: number;
  /** Merge touching polygons with identical attributes below this zoom (exclusive). */
  mergePolygonsBelowZoom?: number;
}

export interface Profile {
  readonly name: string;
  readonly version: string;
  readonly attribution: string;
  readonly layers: readonly LayerSpec[];
  /** Relation types whose memberships ways should carry (e.g. `boundary`, `route`). */
  readonly relationTypes: readonly string[];
  /** Relations (of `relationTypes`) whose member ways should learn on which side the relation's area lies. */
  wantsSides?(relationTags: OsmTags): boolean;
  /**
   * Natural Earth files (base names) the profile reads, when a Natural Earth directory is given. Feed them in this
   * order and before the OSM objects: a profile may join OSM objects to them (the OpenMapTiles profile ranks cities
   * by Natural Earth populated places and tells road networks by country outlines, as planetiler-openmaptiles does).
   */
  readonly naturalEarthTables: readonly string[];
  /** Cheap pre-filter: false means the object cannot produce output (skips geometry building). */
  /**
   * `memberOf` (optional): the memberships of relation types in `relationTypes`. Ways with no tags of their own
   * (most boundary segments) are wanted only through it, so an importer that knows them should pass them.
   */
  wants(tags: OsmTags, osmType: 'node' | 'way' | 'relation', memberOf?: readonly RelationMembership[]): boolean;
  processFeature(source: SourceFeature, out: FeatureCollector): void;
}
