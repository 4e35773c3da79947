/**
 * One OpenMapTiles layer: its `vector_layers` entry and the rules that turn OSM
 * objects and Natural Earth records into its features. The profile asks every
 * layer in turn, as planetiler-openmaptiles does with one class per layer.
 */
import type { FeatureCollector, LayerSpec, RelationMembership, SourceFeature } from './profile.js';
import type { OsmTags } from '../osm/types.js';
import type { NaturalEarthIndex } from './natural_earth_index.js';

export type OsmType = 'node' | 'way' | 'relation';

export interface LayerContext {
  /** Natural Earth facts remembered across features (city ranks, country outlines). */
  readonly ne: NaturalEarthIndex;
}

export interface OmtLayer {
  readonly spec: LayerSpec;
  /** Cheap tag test: false means this layer can make nothing of the object. */
  wantsOsm(tags: OsmTags, osmType: OsmType, memberOf?: readonly RelationMembership[]): boolean;
  processOsm(source: SourceFeature, out: FeatureCollector, ctx: LayerContext): void;
  /** Natural Earth tables this layer reads (base names). */
  readonly naturalEarthTables?: readonly string[];
  processNaturalEarth?(source: SourceFeature, out: FeatureCollector, ctx: LayerContext): void;
  /** Sea polygons built from OSM coastlines (planetiler's `water_polygons` source). */
  processSea?(source: SourceFeature, out: FeatureCollector): void;
}
