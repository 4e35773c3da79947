/**
 * OGC services over the raster stack:
 *   /wmts?SERVICE=WMTS&REQUEST=GetCapabilities|GetTile&…                 KVP
 *   /wmts/1.0.0/WMTSCapabilities.xml                                      RESTful capabilities
 *   /styles/{id}/wmts.xml                                                 one style's (tileserver-gl's path)
 *   /wmts/1.0.0/{layer}/{style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.{png,jpg,jpeg,webp}
 *   /wmts/1.0.0/{layer}/{style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}/{J}/{I}.{txt,html,json,geojson,gml,xml}
 *   /wms?SERVICE=WMS&REQUEST=GetCapabilities|GetMap|GetFeatureInfo&VERSION=1.3.0|1.1.1&… WMS
 *   /wms?SERVICE=WMS&REQUEST=GetLegendGraphic&LAYER=…&FORMAT=image/png     WMS legend (SLD 1.1)
 * Layers are the styles (their aliases answer too). Web Mercator tiles come from the
 * raster tile service (cached); LAMB93 tiles and WMS maps are rendered in Web
 * Mercator and reprojected (src/ogc). GetFeatureInfo (WMS, WMTS KVP and
 * RESTful) reads the vector tiles the styles draw (./ogc_feature_info.ts) and
 * needs no renderer. Errors answer OGC exception XML, never JSON.
 */
import express, { type Request, type Response } from 'express';
import { CONTENT_TYPES, type RgbaImage } from '../render/image_codec.js';
import { SUPPORTED_CRS } from '../ogc/crs.js';
import { formatFeatureInfo, type LayerHits } from '../ogc/feature_info_format.js';
import { parseWmsGetFeatureInfo, parseWmtsFeatureInfo, wmtsFeatureInfoParamsFromKvp, type WmtsFeatureInfoRequest } from '../ogc/feature_info_request.js';
import type { InfoFormat } from '../ogc/info_formats.js';
import { KvpParams } from '../ogc/kvp_params.js';
import { OgcError, owsExceptionReport, toOgcError, wmsExceptionReport } from '../ogc/ogc_exception.js';
import { renderLegendPng } from '../ogc/legend_graphic.js';
import { encodeMap } from '../ogc/map_encoding.js';
import { TILE_MATRIX_SETS } from '../ogc/tile_matrix_sets.js';
import { buildWmsCapabilities, type WmsVersion } from '../ogc/wms_capabilities.js';
import { parseWmsGetMap, wmsVersionOf } from '../ogc/wms_request.js';
import { buildWmtsCapabilities } from '../ogc/wmts_capabilities.js';
import { parseWmtsTile, wmtsTileParamsFromKvp, type WmtsTileRequest } from '../ogc/wmts_request.js';
import { baseUrl } from './base_url.js';
import { clientGoneSignal } from './client_gone.js';
import { sendBytes } from './conditional_http.js';
import { recordFailure, retryAfterOf } from './error_mapping.js';
import { featureInfoOf, isQueryableStyle } from './ogc_feature_info.js';
import { ogcLayers, ogcServiceInfo } from './ogc_layers.js';
import { labelledRoute } from './metrics.js';
import type { FeatureRouter, ServerDeps } from './server_deps.js';

const REST_TILE = labelledRoute(/^\/wmts\/1\.0\.0\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/.]+)\.([A-Za-z]+)$/, '/wmts/1.0.0/:layer/:style/:tileMatrixSet/:tileMatrix/:tileRow/:tileCol.:fmt');
const REST_FEATURE_INFO = labelledRoute(/^\/wmts\/1\.0\.0\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/.]+)\.([A-Za-z]+)$/, '/wmts/1.0.0/:layer/:style/:tileMatrixSet/:tileMatrix/:tileRow/:tileCol/:j/:i.:fmt');
const MAX_WMS_LAYERS = 4;
/** GetFeatureInfo renders nothing: its WIDTH/HEIGHT only define the pixel grid. */
const MAX_FEATURE_INFO_SIZE = 16384;
/** Mercator pixels rendered around a WMS map and discarded, so labels near edges agree between neighbouring requests. */
const WMS_MARGIN = 64;

function decodePathPart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new OgcError('InvalidParameterValue', `malformed percent-encoding in "${s.slice(0, 64)}"`);
  }
}

function sendXml(res: Response, status: number, contentType: string, body: string): void {
  res.status(status);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', contentType);
  if (status === 503) res.setHeader('Retry-After', '5');
  res.send(body);
}

export const ogcRoutes: FeatureRouter = (deps) => {
  const router = express.Router();
  const isLayer = (name: string) => name.length <= 256 && deps.styles.get(name) !== undefined;
  const isQueryable = (name: string) => {
    const entry = deps.styles.get(name);
    return entry !== undefined && isQueryableStyle(deps, entry);
  };

  async function sendFeatureInfo(req: Request, res: Response, answer: { format: InfoFormat; hits: LayerHits[] }): Promise<void> {
    const { format, hits } = answer;
    await sendBytes(req, res, Buffer.from(formatFeatureInfo(format, hits)), { contentType: format.contentType, cacheControl: deps.config.cache.control.tiles });
  }

  async function sendWmtsFeatureInfo(req: Request, res: Response, r: WmtsFeatureInfoRequest): Promise<void> {
    const hits = await featureInfoOf(deps, { layers: [r.tile.layer], pixel: r.pixel, featureCount: r.featureCount });
    await sendFeatureInfo(req, res, { format: r.infoFormat, hits });
  }

  const stack = deps.services.raster;

  const failed = (res: Response, req: Request, e: unknown, report: (err: OgcError) => [string, string]): void => {
    const err = toOgcError(e);
    recordFailure({ method: req.method, url: req.originalUrl, status: err.status, code: err.code, error: err.status >= 500 && err.code === 'INTERNAL' ? e : err }, deps);
    if (err.status === 503) res.setHeader('Retry-After', String(retryAfterOf(e)));
    const [type, body] = report(err);
    sendXml(res, err.status, type, body);
  };
  const wmtsFailed = (req: Request, res: Response, e: unknown) => failed(res, req, e, (err) => ['application/xml; charset=utf-8', owsExceptionReport(err)]);

  async function sendWmtsCapabilities(req: Request, res: Response): Promise<void> {
    const base = baseUrl(req, res, deps.config);
    const xml = buildWmtsCapabilities({ baseUrl: base, service: ogcServiceInfo(deps), layers: ogcLayers(deps, base), sets: TILE_MATRIX_SETS });
    await sendBytes(req, res, Buffer.from(xml), { contentType: 'application/xml; charset=utf-8', cacheControl: deps.config.cache.control.index });
  }

  async function sendWmtsTile(req: Request, res: Response, t: WmtsTileRequest): Promise<void> {
    const cacheControl = deps.config.cache.control.tiles;
    if (t.set.quadtreeTileSize) {
      const tile = await stack.tiles.getTile({ styleId: t.layer, z: t.level, x: t.col, y: t.row, tileSize: t.set.quadtreeTileSize, scale: 1, format: t.format, signal: clientGoneSignal(res) });
      await sendBytes(req, res, tile.data, { etag: tile.etag, contentType: CONTENT_TYPES[t.format], cacheControl });
      return;
    }
    const style = await stack.tiles.requireStyle(t.layer);
    const tile = await deps.services.reprojected.getTile({ style, set: t.set, matrix: t.matrix, level: t.level, row: t.row, col: t.col, format: t.format });
    await sendBytes(req, res, tile.data, { etag: tile.etag, contentType: CONTENT_TYPES[t.format], cacheControl });
  }

  // tileserver-gl's per-style WMTS document: that style alone, Web Mercator 256 px tiles
  router.get('/styles/:id/wmts.xml', async (req, res) => {
    try {
      const entry = deps.styles.get(String(req.params.id));
      if (!entry || entry.config.rendered === false) throw new OgcError('InvalidParameterValue', `unknown style "${String(req.params.id).slice(0, 64)}"`, { status: 404 });
      const base = baseUrl(req, res, deps.config);
      const layers = ogcLayers(deps, base).filter((l) => l.name === entry.id);
      const xml = buildWmtsCapabilities({ baseUrl: base, service: ogcServiceInfo(deps), layers, sets: TILE_MATRIX_SETS.filter((t) => t.id === 'GoogleMapsCompatible') });
      await sendBytes(req, res, Buffer.from(xml), { contentType: 'application/xml; charset=utf-8', cacheControl: deps.config.cache.control.index });
    } catch (e) {
      wmtsFailed(req, res, e);
    }
  });

  router.get('/wmts/1.0.0/WMTSCapabilities.xml', async (req, res) => {
    try {
      await sendWmtsCapabilities(req, res);
    } catch (e) {
      wmtsFailed(req, res, e);
    }
  });

  router.get(REST_TILE, async (req, res) => {
    try {
      const m = REST_TILE.exec(req.path)!;
      const [layer, style, tileMatrixSet, tileMatrix, tileRow, tileCol] = m.slice(1, 7).map(decodePathPart);
      await sendWmtsTile(req, res, parseWmtsTile({ layer, style, tileMatrixSet, tileMatrix, tileRow, tileCol, format: m[7] }, isLayer));
    } catch (e) {
      wmtsFailed(req, res, e);
    }
  });

  router.get(REST_FEATURE_INFO, async (req, res) => {
    try {
      const m = REST_FEATURE_INFO.exec(req.path)!;
      const [layer, style, tileMatrixSet, tileMatrix, tileRow, tileCol, j, i] = m.slice(1, 9).map(decodePathPart);
      const featureCount = new KvpParams(req.query as Record<string, unknown>).get('FEATURE_COUNT');
      const params = { layer, style, tileMatrixSet, tileMatrix, tileRow, tileCol, i, j, infoFormat: m[9], restful: true, featureCount };
      await sendWmtsFeatureInfo(req, res, parseWmtsFeatureInfo(params, { isLayer, isQueryable }));
    } catch (e) {
      wmtsFailed(req, res, e);
    }
  });

  router.get('/wmts', async (req, res) => {
    try {
      const q = new KvpParams(req.query as Record<string, unknown>);
      const service = q.get('SERVICE');
      if (service !== undefined && service.toUpperCase() !== 'WMTS') throw new OgcError('InvalidParameterValue', `SERVICE must be WMTS, got "${service.slice(0, 16)}"`, { locator: 'SERVICE' });
      const request = q.require('REQUEST');
      if (/^GetCapabilities$/i.test(request)) return await sendWmtsCapabilities(req, res);
      if (/^GetTile$/i.test(request)) return await sendWmtsTile(req, res, parseWmtsTile(wmtsTileParamsFromKvp(q), isLayer));
      if (/^GetFeatureInfo$/i.test(request)) return await sendWmtsFeatureInfo(req, res, parseWmtsFeatureInfo(wmtsFeatureInfoParamsFromKvp(q), { isLayer, isQueryable }));
      throw new OgcError('OperationNotSupported', `REQUEST "${request.slice(0, 32)}" is not supported: GetCapabilities, GetTile or GetFeatureInfo`, { locator: 'REQUEST' });
    } catch (e) {
      wmtsFailed(req, res, e);
    }
  });

  async function sendWmsCapabilities(req: Request, res: Response, version: WmsVersion): Promise<void> {
    const max = stack.statics.maxPixels;
    const base = baseUrl(req, res, deps.config);
    const xml = buildWmsCapabilities({ version, baseUrl: base, service: ogcServiceInfo(deps), layers: ogcLayers(deps, base), crs: SUPPORTED_CRS, maxWidth: max, maxHeight: max });
    const contentType = version === '1.3.0' ? 'text/xml; charset=utf-8' : 'application/vnd.ogc.wms_xml; charset=utf-8';
    await sendBytes(req, res, Buffer.from(xml), { contentType, cacheControl: deps.config.cache.control.index });
  }

  async function sendWmsMap(req: Request, res: Response, q: KvpParams): Promise<void> {
    const max = stack.statics.maxPixels;
    const m = parseWmsGetMap(q, { maxWidth: max, maxHeight: max, maxLayers: MAX_WMS_LAYERS, isLayer });
    const signal = clientGoneSignal(res);
    const encoding = { format: m.format, transparent: m.transparent, background: m.background, quality: stack.settings.quality };
    const reprojector = async (layer: string) => deps.services.reprojector(await stack.tiles.requireStyle(layer), { margin: WMS_MARGIN, signal });
    let data: Buffer;
    // one layer: reprojected and encoded in the same worker task, its pixels never reach the event loop
    if (m.layers.length === 1) data = await (await reprojector(m.layers[0])).render({ ...m, ...encoding });
    else {
      let image: RgbaImage | undefined;
      for (const layer of m.layers) {
        const img = await (await reprojector(layer)).renderRgba(m);
        image = image ? await deps.services.workers.pixels.compose(image, img) : img;
      }
      data = await encodeMap(image!, encoding);
    }
    await sendBytes(req, res, data, { contentType: CONTENT_TYPES[m.format], cacheControl: deps.config.cache.control.tiles });
  }

  async function sendWmsFeatureInfo(req: Request, res: Response, q: KvpParams): Promise<void> {
    const r = parseWmsGetFeatureInfo(q, { maxWidth: MAX_FEATURE_INFO_SIZE, maxHeight: MAX_FEATURE_INFO_SIZE, maxLayers: MAX_WMS_LAYERS, isLayer, isQueryable });
    const hits = await featureInfoOf(deps, { layers: r.queryLayers, pixel: r.pixel, featureCount: r.featureCount });
    await sendFeatureInfo(req, res, { format: r.infoFormat, hits });
  }

  async function sendWmsLegend(req: Request, res: Response, q: KvpParams): Promise<void> {
    const layer = q.require('LAYER');
    const entry = deps.styles.get(layer);
    if (!entry || layer.length > 256) throw new OgcError('LayerNotDefined', `unknown layer "${layer.slice(0, 64)}"`, { locator: 'LAYER' });
    const format = q.get('FORMAT') ?? 'image/png';
    if (!/^image\/png/i.test(format)) throw new OgcError('InvalidFormat', `FORMAT "${format.slice(0, 32)}" is not supported: image/png`, { locator: 'FORMAT' });
    const lang = /^de/i.test(q.get('LANGUAGE') ?? '') ? 'de' : 'fr';
    await sendBytes(req, res, await renderLegendPng(entry.style, lang), { contentType: 'image/png', cacheControl: deps.config.cache.control.styles });
  }

  router.get('/wms', async (req, res) => {
    const q = new KvpParams(req.query as Record<string, unknown>);
    const version = wmsVersionOf(q);
    try {
      const service = q.get('SERVICE');
      if (service !== undefined && service !== '' && service.toUpperCase() !== 'WMS') throw new OgcError('InvalidParameterValue', `SERVICE must be WMS, got "${service.slice(0, 16)}"`, { locator: 'SERVICE' });
      const request = q.require('REQUEST');
      if (/^(GetCapabilities|capabilities)$/i.test(request)) return await sendWmsCapabilities(req, res, version);
      if (/^(GetMap|map)$/i.test(request)) return await sendWmsMap(req, res, q);
      if (/^(GetFeatureInfo|feature_info)$/i.test(request)) return await sendWmsFeatureInfo(req, res, q);
      if (/^GetLegendGraphic$/i.test(request)) return await sendWmsLegend(req, res, q);
      throw new OgcError('OperationNotSupported', `REQUEST "${request.slice(0, 32)}" is not supported: GetCapabilities, GetMap, GetFeatureInfo or GetLegendGraphic`, { locator: 'REQUEST' });
    } catch (e) {
      failed(res, req, e, (err) => [version === '1.3.0' ? 'text/xml; charset=utf-8' : 'application/vnd.ogc.se_xml; charset=utf-8', wmsExceptionReport(err, version)]);
    }
  });

  return router;
};
