/**
 * The profile's FeatureCollector: turns each OutputFeature into the geometry it
 * asks for (point, line, polygon, centroid, point on surface), cuts it into tiles
 * for its zoom range and files the pieces in the tile buckets. Counts features
 * per layer for the summary.
 */
import type { Geometry } from '../core/geometry.js';
import type { FeatureCollector, LayerSpec, OutputFeature, SourceFeature } from '../schema/profile.js';
import { tileGeometry } from '../tiling/feature_tiler.js';
import { centroid, pointOnSurface } from './feature_geometry.js';
import type { TileFeatureStore } from './tile_feature_store.js';
import { EmptyGeometry } from './source_features.js';

export interface TileFilter {
  /** True when tile z/x/y is inside the import's bounds (or clip outline). */
  (z: number, x: number, y: number): boolean;
}

export class OutputFeatureCollector implements FeatureCollector {
  private readonly layerIndex = new Map<string, number>();
  private source?: SourceFeature;
  readonly perLayer: Map<string, number> = new Map();
  /** Features dropped because their geometry could not be built. */
  emptyGeometries = 0;

  constructor(
    private readonly layers: readonly LayerSpec[],
    private readonly buckets: TileFeatureStore,
    private readonly zooms: { minzoom: number; maxzoom: number },
    private readonly inBounds: TileFilter,
  ) {
    layers.forEach((l, i) => this.layerIndex.set(l.id, i));
  }

  /** Sets the source feature the following add() calls derive from. */
  begin(source: SourceFeature): void {
    this.source = source;
  }

  add(f: OutputFeature): void {
    const src = this.source;
    if (!src) return;
    const li = this.layerIndex.get(f.layer);
    if (li === undefined) throw new Error(`profile emitted unknown layer ${f.layer}`);
    const spec = this.layers[li];
    const minzoom = Math.max(f.minzoom, spec.minzoom, this.zooms.minzoom);
    const maxzoom = Math.min(f.maxzoom, spec.maxzoom, this.zooms.maxzoom);
    if (minzoom > maxzoom) return;
    let geom: Geometry | null;
    try {
      geom = this.derive(src, f);
    } catch (e) {
      if (e instanceof EmptyGeometry) { this.emptyGeometries++; return; }
      throw e;
    }
    if (!geom) return;
    const sortKey = f.sortKey ?? 0;
    let emitted = false;
    tileGeometry(geom, {
      minzoom,
      maxzoom,
      buffer: spec.buffer,
      minPixelSize: f.minPixelSize ?? (geom.type === 'polygon' ? 1 : 0),
    }, (z, x, y, g) => {
      if (!this.inBounds(z, x, y)) return;
      emitted = true;
      this.buckets.add(z, x, y, { layer: li, sortKey, geometry: g, attrs: f.attrs, id: f.id, labelGrid: f.labelGrid });
    });
    if (emitted) this.perLayer.set(f.layer, (this.perLayer.get(f.layer) ?? 0) + 1);
  }

  private derive(src: SourceFeature, f: OutputFeature): Geometry | null {
    const g = src.geometry();
    switch (f.geometry) {
      case 'point':
        return g.type === 'point' ? g : { type: 'point', coords: new Float64Array(centroid(g)) };
      case 'centroid':
        return { type: 'point', coords: new Float64Array(centroid(g)) };
      case 'pointOnSurface':
        return { type: 'point', coords: new Float64Array(g.type === 'polygon' ? pointOnSurface(g) : centroid(g)) };
      case 'line':
        if (g.type === 'line') return g;
        if (g.type === 'polygon') return { type: 'line', lines: g.polygons.flat() };
        return null;
      case 'polygon':
        return g.type === 'polygon' ? g : null;
    }
  }
}
