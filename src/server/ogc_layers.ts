/**
 * What the WMS and WMTS capabilities list: one layer per style (its aliases,
 * the partners' historical layer names, answer requests but are named only in
 * the abstract, so GIS clients do not show each style two or three times),
 * its attribution (the data source's, else the configured one), whether it is
 * opaque, and its legend (GetLegendGraphic).
 */
import type { Bounds } from '../core/tile_math.js';
import { legendRows, legendSize } from '../ogc/legend_graphic.js';
import { WORLD_BOUNDS, type OgcLayer, type OgcServiceInfo } from '../ogc/ogc_layer.js';
import { isQueryableStyle } from './ogc_feature_info.js';
import type { ServerDeps } from './server_deps.js';
import type { StyleEntry } from './style_registry.js';

/** The service description of the capabilities. */
export function ogcServiceInfo(deps: ServerDeps): OgcServiceInfo {
  return { ...deps.config.ogc };
}

/** Union of the vector sources' bounds: what the styles can draw. */
function dataBounds(deps: ServerDeps): Bounds {
  let b: Bounds | undefined;
  for (const s of deps.sources.list()) {
    const sb = s.metadata.bounds;
    if (!sb || s.metadata.format !== 'pbf') continue;
    b = b ? [Math.min(b[0], sb[0]), Math.min(b[1], sb[1]), Math.max(b[2], sb[2]), Math.max(b[3], sb[3])] : [...sb];
  }
  return b ?? WORLD_BOUNDS;
}

/** Text of the vector sources' attributions (HTML stripped), else the configured one. */
function attributionTitle(deps: ServerDeps): string {
  const texts = new Set<string>();
  for (const s of deps.sources.list()) {
    const text = (s.metadata.attribution ?? '').replace(/<[^>]*>/g, '').replace(/&copy;/g, '©').replace(/\s+/g, ' ').trim();
    if (text && s.metadata.format === 'pbf') texts.add(text);
  }
  return texts.size > 0 ? [...texts].join(' ') : deps.config.ogc.attribution;
}

interface PaintedLayer { type?: string; layout?: { visibility?: string }; paint?: Record<string, unknown> }

/** A style covers the whole map when it has a visible background layer that is not fully transparent. */
export function isOpaqueStyle(style: Readonly<Record<string, unknown>>): boolean {
  const layers = (Array.isArray(style.layers) ? style.layers : []) as PaintedLayer[];
  return layers.some((l) => l.type === 'background' && l.layout?.visibility !== 'none' && l.paint?.['background-opacity'] !== 0
    && !/^(transparent|rgba\([^)]*,\s*0(\.0*)?\))$/.test(String(l.paint?.['background-color'] ?? '').replace(/\s+/g, ' ').trim()));
}

function layerOf(deps: ServerDeps, e: StyleEntry, base: { url: string; bounds: Bounds; attribution: string }): OgcLayer {
  const title = typeof e.style.name === 'string' ? e.style.name : e.id;
  const meta = e.style.metadata as Record<string, unknown> | undefined;
  const description = typeof meta?.['tuilerie:description'] === 'string' ? meta['tuilerie:description'] : '';
  const aliases = deps.styles.aliasesOf(e.id);
  const abstract = [description, aliases.length ? `Also answers to the layer names: ${aliases.join(', ')}.` : ''].filter((t) => t !== '').join(' ');
  const size = legendSize(legendRows(e.style, 'fr'));
  return {
    name: e.id,
    title,
    abstract: abstract || undefined,
    styleId: e.id,
    bounds: base.bounds,
    queryable: isQueryableStyle(deps, e),
    opaque: isOpaqueStyle(e.style),
    attribution: { title: base.attribution, url: deps.config.ogc.attributionUrl || undefined },
    legend: { href: `${base.url}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&LAYER=${encodeURIComponent(e.id)}&FORMAT=image/png&SLD_VERSION=1.1.0`, ...size },
  };
}

/** The layers of the capabilities, one per style. */
export function ogcLayers(deps: ServerDeps, baseUrl: string): OgcLayer[] {
  const base = { url: baseUrl, bounds: dataBounds(deps), attribution: attributionTitle(deps) };
  return deps.styles.rendered().map((e) => layerOf(deps, e, base));
}
