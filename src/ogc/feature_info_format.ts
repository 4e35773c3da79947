/**
 * GetFeatureInfo answers in the formats we advertise: plain text and HTML for
 * reading (grouped by queried layer, one block per feature with its source
 * layer and attributes), a GeoJSON FeatureCollection in lon/lat and GML 2
 * (./feature_info_gml.ts). Nothing found is an empty answer, not an error.
 */
import type { FeatureHit } from './feature_info.js';
import { featureInfoGml } from './feature_info_gml.js';
import type { InfoFormat } from './info_formats.js';
import { xmlEscape as h } from './xml_text.js';

/** The hits of one queried layer (a style or an alias of one). */
export interface LayerHits {
  layer: string;
  features: FeatureHit[];
}

const RULE = '--------------------------------------------';

function text(groups: LayerHits[]): string {
  const out: string[] = [];
  for (const g of groups) {
    out.push(`Results for layer '${g.layer}': ${g.features.length === 0 ? 'no features were found' : `${g.features.length} feature${g.features.length > 1 ? 's' : ''}`}`);
    for (const f of g.features) {
      out.push(RULE, `${f.sourceLayer}${f.id === undefined ? '' : ` ${f.id}`} (drawn by ${f.styleLayers.join(', ')})`);
      for (const [k, v] of Object.entries(f.properties)) out.push(`${k} = ${String(v)}`);
    }
    if (g.features.length > 0) out.push(RULE);
  }
  return `${out.join('\n')}\n`;
}

function html(groups: LayerHits[]): string {
  const body: string[] = [];
  for (const g of groups) {
    body.push(`<h2>${h(g.layer)}</h2>`);
    if (g.features.length === 0) body.push('<p>No features were found.</p>');
    for (const f of g.features) {
      body.push(
        `<table class="feature-info"><caption>${h(f.sourceLayer)}${f.id === undefined ? '' : ` ${f.id}`}</caption>`,
        ...Object.entries(f.properties).map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(String(v))}</td></tr>`),
        '</table>',
      );
    }
  }
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><title>Feature info</title>',
    '<style>table.feature-info{border-collapse:collapse;margin:0 0 1em}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left}caption{font-weight:bold;text-align:left}</style>',
    '</head><body>',
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * GeoJSON with the legacy `crs` member naming CRS84: QGIS reads coordinates
 * without it as being in the map's CRS. Each feature also carries its queried
 * layer and source layer as foreign members, leaving `properties` to the
 * tile's attributes.
 */
function geojson(groups: LayerHits[]): string {
  const features = groups.flatMap((g) => g.features.map((f) => ({
    type: 'Feature',
    ...(f.id === undefined ? {} : { id: `${f.sourceLayer}.${f.id}` }),
    layer: g.layer,
    sourceLayer: f.sourceLayer,
    geometry: f.geometry,
    properties: f.properties,
  })));
  return JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, features });
}

export function formatFeatureInfo(format: InfoFormat, groups: LayerHits[]): string {
  switch (format.kind) {
    case 'text':
      return text(groups);
    case 'html':
      return html(groups);
    case 'geojson':
      return geojson(groups);
    case 'gml':
      return featureInfoGml(groups.flatMap((g) => g.features));
  }
}
