/**
 * WMS GetMap parameters (1.3.0 and 1.1.1) validated into one request: the CRS,
 * the BBOX in east/north order whatever the version's axis order, size within
 * the limit, format, transparency and background colour. The map part without
 * the image options (WmsMapView) is what GetFeatureInfo repeats.
 */
import { findCrs, type CrsDef } from './crs.js';
import type { KvpParams } from './kvp_params.js';
import { OgcError } from './ogc_exception.js';
import type { CrsBox } from './reprojected_map.js';
import type { WmsVersion } from './wms_capabilities.js';
import { imageFormatOf } from './wmts_request.js';
import type { ImageFormat } from '../render/image_codec.js';

/** The map a client shows: layers, CRS, extent and pixel grid. */
export interface WmsMapView {
  version: WmsVersion;
  layers: string[];
  crs: CrsDef;
  /** East/north order. */
  bbox: CrsBox;
  width: number;
  height: number;
}

export interface WmsGetMap extends WmsMapView {
  format: ImageFormat;
  transparent: boolean;
  /** `#rrggbb`. */
  background: string;
}

export interface WmsLimits {
  maxWidth: number;
  maxHeight: number;
  maxLayers: number;
}

/** VERSION (or 1.0's WMTVER); 1.3.0 unless the client says 1.1.x. */
export function wmsVersionOf(q: KvpParams): WmsVersion {
  const v = (q.get('VERSION') ?? q.get('WMTVER') ?? '').trim();
  return /^1\.[01](\.|$)/.test(v) ? '1.1.1' : '1.3.0';
}

function parseSize(q: KvpParams, name: 'WIDTH' | 'HEIGHT', max: number): number {
  const raw = q.require(name).trim();
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new OgcError('InvalidParameterValue', `${name} must be a positive whole number of pixels, got "${raw.slice(0, 32)}"`, { locator: name });
  const n = Number(raw);
  if (n > max) throw new OgcError('InvalidParameterValue', `${name} ${n} is past the limit of ${max} pixels: ask for a smaller image or tile the request`, { locator: name });
  return n;
}

function parseBbox(raw: string, crs: CrsDef, version: WmsVersion): CrsBox {
  const parts = raw.split(',').map((s) => s.trim());
  const n = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || n.some((v) => !Number.isFinite(v))) {
    throw new OgcError('InvalidParameterValue', `BBOX must be four numbers minx,miny,maxx,maxy, got "${raw.slice(0, 64)}"`, { locator: 'BBOX' });
  }
  if (n[0] >= n[2] || n[1] >= n[3]) throw new OgcError('InvalidParameterValue', `BBOX "${raw.slice(0, 64)}" is empty or inverted: each minimum must be below its maximum`, { locator: 'BBOX' });
  // WMS 1.3.0 follows the CRS's axis order: latitude (northing) first for EPSG:4326, 4258, 3035
  return version === '1.3.0' && crs.northingFirst ? [n[1], n[0], n[3], n[2]] : [n[0], n[1], n[2], n[3]];
}

function parseBgColor(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return '#ffffff';
  const m = /^(?:0x|#)([0-9a-f]{6})$/i.exec(raw.trim());
  if (!m) throw new OgcError('InvalidParameterValue', `BGCOLOR must be 0xRRGGBB, got "${raw.slice(0, 16)}"`, { locator: 'BGCOLOR' });
  return `#${m[1].toLowerCase()}`;
}

function parseTransparent(raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false;
  const v = raw.trim().toUpperCase();
  if (v === 'TRUE') return true;
  if (v === 'FALSE') return false;
  throw new OgcError('InvalidParameterValue', `TRANSPARENT must be TRUE or FALSE, got "${raw.slice(0, 16)}"`, { locator: 'TRANSPARENT' });
}

/** LAYERS, STYLES, CRS/SRS, BBOX, WIDTH and HEIGHT, as GetMap and GetFeatureInfo both take them. */
export function parseWmsMapView(q: KvpParams, opts: WmsLimits & { isLayer: (name: string) => boolean }): WmsMapView {
  const version = wmsVersionOf(q);
  const crsParam = version === '1.3.0' ? 'CRS' : 'SRS';
  const layers = q.require('LAYERS').split(',').map((s) => s.trim());
  if (layers.some((l) => l === '')) throw new OgcError('LayerNotDefined', 'LAYERS has an empty name', { locator: 'LAYERS' });
  if (layers.length > opts.maxLayers) throw new OgcError('InvalidParameterValue', `at most ${opts.maxLayers} layers per map`, { locator: 'LAYERS' });
  for (const l of layers) {
    if (!opts.isLayer(l)) throw new OgcError('LayerNotDefined', `unknown layer "${l.slice(0, 64)}": see GetCapabilities for the layer list`, { locator: 'LAYERS' });
  }
  const styles = q.get('STYLES');
  if (styles === undefined) throw new OgcError('MissingParameterValue', 'parameter STYLES is required (may be empty)', { locator: 'STYLES' });
  for (const s of styles.split(',').map((x) => x.trim().toLowerCase())) {
    if (s !== '' && s !== 'default') throw new OgcError('StyleNotDefined', `unknown style "${s.slice(0, 64)}": each layer has one style, "default" (or leave STYLES empty)`, { locator: 'STYLES' });
  }
  const crsRaw = q.get(crsParam) ?? q.get(version === '1.3.0' ? 'SRS' : 'CRS');
  if (crsRaw === undefined || crsRaw.trim() === '') throw new OgcError('MissingParameterValue', `parameter ${crsParam} is required`, { locator: crsParam });
  const crs = findCrs(crsRaw);
  if (!crs) throw new OgcError(version === '1.3.0' ? 'InvalidCRS' : 'InvalidSRS', `${crsParam} "${crsRaw.slice(0, 64)}" is not supported: EPSG:3857, EPSG:2154, EPSG:4326, CRS:84, EPSG:4258, EPSG:3035`, { locator: crsParam });
  const bbox = parseBbox(q.require('BBOX'), crs, version);
  const width = parseSize(q, 'WIDTH', opts.maxWidth);
  const height = parseSize(q, 'HEIGHT', opts.maxHeight);
  return { version, layers, crs, bbox, width, height };
}

export function parseWmsGetMap(q: KvpParams, opts: WmsLimits & { isLayer: (name: string) => boolean }): WmsGetMap {
  const view = parseWmsMapView(q, opts);
  const formatRaw = q.require('FORMAT');
  const format = imageFormatOf(formatRaw);
  if (!format) throw new OgcError('InvalidFormat', `FORMAT "${formatRaw.slice(0, 32)}" is not supported: image/png, image/jpeg or image/webp`, { locator: 'FORMAT' });
  return { ...view, format, transparent: parseTransparent(q.get('TRANSPARENT')), background: parseBgColor(q.get('BGCOLOR')) };
}
