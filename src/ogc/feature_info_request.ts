/**
 * GetFeatureInfo requests validated into one shape per service:
 * - WMS (1.3.0 and 1.1.1): the map part of GetMap (FORMAT tolerated, even
 *   absent), QUERY_LAYERS among LAYERS and queryable, INFO_FORMAT, the pixel
 *   (I/J in 1.3.0, X/Y in 1.1.1) inside the image, FEATURE_COUNT (default 1);
 * - WMTS 1.0.0 (KVP or RESTful): the tile address of GetTile, I/J inside the
 *   tile and InfoFormat (KVP) or the template's extension (RESTful).
 * Both end as a pixel of a CRS grid (FeatureInfoPixel), which is all the
 * feature query needs.
 */
import { crsByCode, type CrsDef } from './crs.js';
import { INFO_FORMATS, infoFormatOf, infoFormatOfExtension, type InfoFormat } from './info_formats.js';
import type { KvpParams } from './kvp_params.js';
import { OgcError } from './ogc_exception.js';
import type { CrsBox } from './reprojected_map.js';
import { tileExtent } from './tile_matrix_sets.js';
import { parseWmsMapView, type WmsLimits, type WmsMapView } from './wms_request.js';
import { intOf, parseWmtsTileAddress, wmtsTileAddressFromKvp, type WmtsTileAddress, type WmtsTileParams } from './wmts_request.js';

const FORMAT_LIST = INFO_FORMATS.map((f) => f.mime).join(', ');

/** A clicked pixel of a map grid: what the feature query starts from. */
export interface FeatureInfoPixel {
  crs: CrsDef;
  /** East/north order. */
  bbox: CrsBox;
  width: number;
  height: number;
  /** Column and row of the pixel, from the top-left corner. */
  i: number;
  j: number;
}

export interface WmsFeatureInfoRequest {
  view: WmsMapView;
  pixel: FeatureInfoPixel;
  queryLayers: string[];
  infoFormat: InfoFormat;
  featureCount: number;
}

/** More features than this per layer are not listed, whatever FEATURE_COUNT asks. */
export const MAX_FEATURE_COUNT = 50;

function parseFeatureCount(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) throw new OgcError('InvalidParameterValue', `FEATURE_COUNT must be a whole number ≥ 1, got "${raw.slice(0, 32)}"`, { locator: 'FEATURE_COUNT' });
  return Math.min(Number(raw), MAX_FEATURE_COUNT);
}

/** A pixel index of the image: an integer (a fraction is floored) from 0 to size − 1, else InvalidPoint. */
function parsePixel(raw: string, name: string, size: number): number {
  const v = raw.trim();
  const n = Number(v);
  if (v === '' || !Number.isFinite(n)) throw new OgcError('InvalidPoint', `${name} must be a pixel index, got "${raw.slice(0, 32)}"`, { locator: name });
  const p = Math.floor(n);
  if (p < 0 || p >= size) throw new OgcError('InvalidPoint', `${name} ${raw.slice(0, 32)} is outside the image (0 to ${size - 1})`, { locator: name });
  return p;
}

export interface WmsFeatureInfoOptions extends WmsLimits {
  isLayer: (name: string) => boolean;
  isQueryable: (name: string) => boolean;
}

export function parseWmsGetFeatureInfo(q: KvpParams, opts: WmsFeatureInfoOptions): WmsFeatureInfoRequest {
  const view = parseWmsMapView(q, opts);
  const queryLayers = q.require('QUERY_LAYERS').split(',').map((s) => s.trim());
  for (const l of queryLayers) {
    if (l === '' || !opts.isLayer(l)) throw new OgcError('LayerNotDefined', `unknown query layer "${l.slice(0, 64)}": see GetCapabilities for the layer list`, { locator: 'QUERY_LAYERS' });
    if (!view.layers.includes(l)) throw new OgcError('LayerNotDefined', `query layer "${l.slice(0, 64)}" is not among LAYERS: only layers of the map can be queried`, { locator: 'QUERY_LAYERS' });
    if (!opts.isQueryable(l)) throw new OgcError('LayerNotQueryable', `layer "${l.slice(0, 64)}" draws no vector data and cannot be queried`, { locator: 'QUERY_LAYERS' });
  }
  // INFO_FORMAT is mandatory in 1.3.0; 1.1.1 leaves the choice to the server
  const formatRaw = view.version === '1.3.0' ? q.require('INFO_FORMAT') : (q.get('INFO_FORMAT') || 'text/plain');
  const infoFormat = infoFormatOf(formatRaw);
  if (!infoFormat) throw new OgcError('InvalidFormat', `INFO_FORMAT "${formatRaw.slice(0, 32)}" is not supported: ${FORMAT_LIST}`, { locator: 'INFO_FORMAT' });
  // 1.3.0 says I/J, 1.1.1 X/Y; clients mixing versions send either
  const [iName, jName] = view.version === '1.3.0' ? ['I', 'J'] : ['X', 'Y'];
  const iRaw = q.get(iName) ?? q.get(iName === 'I' ? 'X' : 'I');
  const jRaw = q.get(jName) ?? q.get(jName === 'J' ? 'Y' : 'J');
  if (iRaw === undefined) throw new OgcError('InvalidPoint', `parameter ${iName} (pixel column) is required`, { locator: iName });
  if (jRaw === undefined) throw new OgcError('InvalidPoint', `parameter ${jName} (pixel row) is required`, { locator: jName });
  const i = parsePixel(iRaw, iName, view.width);
  const j = parsePixel(jRaw, jName, view.height);
  const featureCount = parseFeatureCount(q.get('FEATURE_COUNT'));
  return { view, pixel: { crs: view.crs, bbox: view.bbox, width: view.width, height: view.height, i, j }, queryLayers, infoFormat, featureCount };
}

/** The raw values of either WMTS encoding, as strings. */
export interface WmtsFeatureInfoParams extends Omit<WmtsTileParams, 'format'> {
  i: string;
  j: string;
  /** A MIME type (KVP) or a template extension (RESTful). */
  infoFormat: string;
  restful: boolean;
  /** FEATURE_COUNT, a vendor parameter here (WMTS has none): as in WMS, default 1. */
  featureCount?: string;
}

export interface WmtsFeatureInfoRequest {
  tile: WmtsTileAddress;
  pixel: FeatureInfoPixel;
  infoFormat: InfoFormat;
  featureCount: number;
}

function parseTilePixel(raw: string, name: 'I' | 'J', size: number): number {
  const p = intOf(raw, name);
  if (p >= size) throw new OgcError('PointIJOutOfRange', `${name} ${p} is outside the tile (0 to ${size - 1})`, { locator: name });
  return p;
}

export function parseWmtsFeatureInfo(p: WmtsFeatureInfoParams, opts: { isLayer: (name: string) => boolean; isQueryable: (name: string) => boolean }): WmtsFeatureInfoRequest {
  const tile = parseWmtsTileAddress(p, opts.isLayer);
  if (!opts.isQueryable(tile.layer)) throw new OgcError('InvalidParameterValue', `layer "${tile.layer.slice(0, 64)}" draws no vector data and cannot be queried`, { locator: 'LAYER' });
  const i = parseTilePixel(p.i, 'I', tile.matrix.tileWidth);
  const j = parseTilePixel(p.j, 'J', tile.matrix.tileHeight);
  const infoFormat = p.restful ? infoFormatOfExtension(p.infoFormat) : infoFormatOf(p.infoFormat);
  if (!infoFormat) {
    const known = p.restful ? INFO_FORMATS.map((f) => `.${f.ext}`).join(', ') : FORMAT_LIST;
    throw new OgcError('InvalidParameterValue', `unsupported feature info format "${p.infoFormat.slice(0, 32)}": ${known}`, { locator: p.restful ? 'FORMAT' : 'INFOFORMAT' });
  }
  const bbox = tileExtent(tile.matrix, tile.row, tile.col);
  return { tile, infoFormat, featureCount: parseFeatureCount(p.featureCount), pixel: { crs: crsByCode(tile.set.crs), bbox, width: tile.matrix.tileWidth, height: tile.matrix.tileHeight, i, j } };
}

/** GetFeatureInfo from KVP: the GetTile address (FORMAT not needed), I, J and INFOFORMAT. */
export function wmtsFeatureInfoParamsFromKvp(q: KvpParams): WmtsFeatureInfoParams {
  return { ...wmtsTileAddressFromKvp(q), i: q.require('I'), j: q.require('J'), infoFormat: q.require('INFOFORMAT'), restful: false, featureCount: q.get('FEATURE_COUNT') };
}
