/** SourceFeature fakes for the profile tests: tags plus a simple geometry in world coordinates. */
import { areaSquareMetres } from '../../../src/importer/feature_geometry.js';
import type { FeatureCollector, OutputFeature, RelationMembership, SourceFeature } from '../../../src/schema/profile.js';
import type { Geometry } from '../../../src/core/geometry.js';
import { latToY, lonToX } from '../../../src/core/tile_math.js';

export interface FakeOptions {
  tags: Record<string, string>;
  id?: number;
  relations?: RelationMembership[];
  source?: 'osm' | 'naturalearth';
  table?: string;
}

function flat(coords: Array<[number, number]>): Float64Array {
  const a = new Float64Array(coords.length * 2);
  coords.forEach(([lon, lat], i) => {
    a[i * 2] = lonToX(lon);
    a[i * 2 + 1] = latToY(lat);
  });
  return a;
}

function make(opts: FakeOptions, osmType: 'node' | 'way' | 'relation', g: Geometry, kind: { point: boolean; line: boolean; poly: boolean }): SourceFeature {
  const src = opts.source ?? 'osm';
  return {
    source: src,
    table: opts.table ?? osmType,
    osmType: src === 'osm' ? osmType : undefined,
    id: opts.id ?? 42,
    tags: opts.tags,
    isPoint: kind.point,
    canBeLine: kind.line,
    canBePolygon: kind.poly,
    relations: opts.relations ?? [],
    geometry: () => g,
    areaM2: () => areaSquareMetres(g),
    lengthM: () => 0,
  };
}

/** A node at lon/lat (Mulhouse by default). */
export function fakePoint(opts: FakeOptions, lon = 7.3389, lat = 47.7508): SourceFeature {
  return make(opts, 'node', { type: 'point', coords: flat([[lon, lat]]) }, { point: true, line: false, poly: false });
}

/** An open way from (lon, lat) going east by `lengthDeg` degrees. */
export function fakeLine(opts: FakeOptions, lengthDeg = 0.01, lon = 7.33, lat = 47.75): SourceFeature {
  return make(opts, 'way', { type: 'line', lines: [flat([[lon, lat], [lon + lengthDeg / 2, lat + 0.0001], [lon + lengthDeg, lat]])] },
    { point: false, line: true, poly: false });
}

/** A closed way drawn as a square polygon `sizeDeg` degrees wide. */
export function fakeArea(opts: FakeOptions, sizeDeg = 0.001, lon = 7.33, lat = 47.75, osmType: 'way' | 'relation' = 'way'): SourceFeature {
  const ring = flat([[lon, lat], [lon + sizeDeg, lat], [lon + sizeDeg, lat + sizeDeg], [lon, lat + sizeDeg], [lon, lat]]);
  return make(opts, osmType, { type: 'polygon', polygons: [[ring]] }, { point: false, line: false, poly: true });
}

/** Runs the profile on one feature and returns what it emitted. */
export class Collector implements FeatureCollector {
  readonly features: OutputFeature[] = [];
  add(feature: OutputFeature): void {
    this.features.push(feature);
  }
  layer(id: string): OutputFeature[] {
    return this.features.filter((f) => f.layer === id);
  }
  /** The attributes a layer's features carry at zoom z (the band covering it). */
  at(id: string, z: number): OutputFeature | undefined {
    return this.layer(id).find((f) => f.minzoom <= z && z <= f.maxzoom);
  }
}
