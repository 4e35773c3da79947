/**
 * The profile's FeatureCollector: turns each OutputFeature into the geometry it
 * asks for (point, line, polygon, point on surface, label point), cuts it into tiles
 * for its zoom range and files the pieces in the tile buckets. Counts features
 * per layer for the summary.
 */
import type { Geometry } from '../core/geometry.js';
import type { FeatureCollector, LayerSpec, OutputFeature, SourceFeature } from '../schema/profile.js';
import { FeatureTiler, type TileGeometry } from '../tiling/feature_tiler.js';
import { centroid } from './feature_geometry.js';
import { labelPoint, pointOnSurface } from './area_points.js';
import type { TileFeatureStore } from './tile_feature_store.js';
import { EmptyGeometry } from './source_features.js';
import { sourceKeyOf } from './update/source_key.js';

export interface TileFilter {
  /** True when tile z/x/y is inside the import's bounds (or clip outline). */
  (z: number, x: number, y: number): boolean;
}

export class OutputFeatureCollector implements FeatureCollector {
  private readonly layerIndex = new Map<string, number>();
  private source?: SourceFeature;
  readonly perLayer: Map<string, number> = new Map();
  private counted?: { source: SourceFeature; layer: number };
  private keyed?: { source: SourceFeature; key: number };
  private cachedTiler?: { geom: Geometry; buffer: number; minPixelSize: number; maxzoom: number; tiler: FeatureTiler };
  /** Features dropped because their geometry could not be built. */
  emptyGeometries = 0;
  /** Told of every geometry tiled, with its zoom range, the feature and its layer (index, buffer): what an updatable import records. */
  onTiled?: (source: SourceFeature, minzoom: number, maxzoom: number, geom: Geometry, t: { bufferPx: number; out: OutputFeature; layer: number }) => void;
  /** Only tell `onTiled`, tile nothing (an update finding where changed objects now reach). */
  recordOnly = false;

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
      geom = this.derive(src, f, maxzoom);
    } catch (e) {
      if (e instanceof EmptyGeometry) { this.emptyGeometries++; return; }
      throw e;
    }
    if (!geom) return;
    this.onTiled?.(src, minzoom, maxzoom, geom, { bufferPx: spec.buffer, out: f, layer: li });
    if (this.recordOnly) return;
    const sortKey = f.sortKey ?? 0;
    const srcKey = this.buckets.sources ? this.sourceKey(src) : undefined;
    let emitted = false;
    const tiler = this.tilerFor(geom, spec, f.minPixelSize ?? (geom.type === 'polygon' ? 1 : 0));
    const emit = (z: number, x: number, y: number, g: TileGeometry): void => {
      if (!this.inBounds(z, x, y)) return;
      emitted = true;
      this.buckets.add(z, x, y, { layer: li, sortKey, geometry: g, attrs: f.attrs, id: f.id, labelGrid: f.labelGrid, src: srcKey });
    };
    for (let z = minzoom; z <= maxzoom; z++) tiler.tileZoom(z, emit);
    // a feature written in several zoom bands (attributes that appear from some zoom) counts once
    if (emitted && !(this.counted?.source === src && this.counted.layer === li)) {
      this.counted = { source: src, layer: li };
      this.perLayer.set(f.layer, (this.perLayer.get(f.layer) ?? 0) + 1);
    }
  }

  private sourceKey(src: SourceFeature): number {
    if (this.keyed?.source !== src) this.keyed = { source: src, key: sourceKeyOf(src) };
    return this.keyed.key;
  }

  /**
   * The tiler of a geometry, reused when the profile writes the same geometry again (zoom bands of one feature),
   * so simplification is prepared once. Its last zoom is the layer's (or the import's) last: only there is every
   * small part kept and the finest tolerance used, whatever zoom band is being written.
   */
  private tilerFor(geom: Geometry, spec: LayerSpec, minPixelSize: number): FeatureTiler {
    const c = this.cachedTiler;
    if (c && c.geom === geom && c.buffer === spec.buffer && c.minPixelSize === minPixelSize && c.maxzoom === spec.maxzoom) return c.tiler;
    const tiler = new FeatureTiler(geom, {
      minzoom: 0,
      maxzoom: Math.min(spec.maxzoom, this.zooms.maxzoom),
      buffer: spec.buffer,
      minPixelSize,
    });
    this.cachedTiler = { geom, buffer: spec.buffer, minPixelSize, maxzoom: spec.maxzoom, tiler };
    return tiler;
  }

  /** The geometry `f` asks for; points on areas are placed on the tile grid of `gridZoom`, the last zoom they are written at. */
  private derive(src: SourceFeature, f: OutputFeature, gridZoom: number): Geometry | null {
    const g = src.geometry();
    switch (f.geometry) {
      case 'point':
        if (g.type === 'point') return g;
        return { type: 'point', coords: new Float64Array(g.type === 'polygon' ? labelPoint(g, gridZoom) : centroid(g)) };
      case 'pointOnSurface':
        return { type: 'point', coords: new Float64Array(g.type === 'polygon' ? pointOnSurface(g, gridZoom) : centroid(g)) };
      case 'labelPoint':
        return { type: 'point', coords: new Float64Array(g.type === 'polygon' ? labelPoint(g, gridZoom) : centroid(g)) };
      case 'line':
        if (g.type === 'line') return g;
        if (g.type === 'polygon') return { type: 'line', lines: g.polygons.flat() };
        return null;
      case 'polygon':
        return g.type === 'polygon' ? g : null;
    }
  }
}
