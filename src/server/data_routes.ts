/**
 * `/data/{id}.json` (TileJSON) and `/data/{id}/{z}/{x}/{y}.{pbf|mvt|geojson|png|…}`, paths as in tileserver-gl;
 * `/data/{id}/metadata.json`: the archive's metadata as MBTiles writes it (strings, `json` holding
 * `vector_layers`), which is what GDAL's MVT driver reads at the root of a tile directory, so that
 * `ogrinfo MVT:http://HOST/data/{id}` opens the source with its layers and fields.
 */
import express from 'express';
import { TuilerieError } from '../core/errors.js';
import { cacheOutcomeOf } from './access_log.js';
import { baseUrl } from './base_url.js';
import { sendBytes, sendEmptyTile, sendJson, sendRepresentation } from './conditional_http.js';
import { assertSafeName, parseTileCoords } from './params.js';
import type { TilesetMetadata } from '../archive/tile_source.js';
import type { FeatureRouter } from './server_deps.js';
import { buildTileJson, tileExtension } from './tilejson.js';

const CONTENT_TYPES: Record<string, string> = {
  pbf: 'application/x-protobuf',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** Other names clients use for the same tiles. */
const EXTENSION_ALIASES: Record<string, string> = { mvt: 'pbf', jpeg: 'jpg' };

/** The MBTiles metadata table of a source, as one object of strings (what tile directories carry as metadata.json). */
export function mbtilesMetadata(m: TilesetMetadata, id: string): Record<string, string> {
  const out: Record<string, string> = { name: m.name || id, format: m.format, minzoom: String(m.minzoom), maxzoom: String(m.maxzoom) };
  if (m.bounds) out.bounds = m.bounds.join(',');
  if (m.center) out.center = m.center.join(',');
  if (m.attribution) out.attribution = m.attribution;
  if (m.description) out.description = m.description;
  if (m.version) out.version = m.version;
  if (m.type) out.type = m.type;
  if (m.vector_layers) out.json = JSON.stringify({ vector_layers: m.vector_layers });
  return out;
}

export const dataRoutes: FeatureRouter = (deps) => {
  const router = express.Router();
  const control = deps.config.cache.control;

  router.get('/data/:id.json', async (req, res) => {
    const entry = deps.sources.require(assertSafeName(req.params.id, 'source'));
    await sendJson(req, res, buildTileJson(entry, baseUrl(req, res, deps.config)), { cacheControl: control.tilejson });
  });

  router.get('/data/:id/metadata.json', async (req, res) => {
    const entry = deps.sources.require(assertSafeName(req.params.id, 'source'));
    await sendJson(req, res, mbtilesMetadata(entry.metadata, entry.id), { cacheControl: control.tilejson });
  });

  router.get('/data/:id/:z/:x/:y.:ext', async (req, res) => {
    const entry = deps.sources.require(assertSafeName(req.params.id, 'source'));
    const format = tileExtension(entry.metadata.format);
    const ext = EXTENSION_ALIASES[req.params.ext] ?? req.params.ext;
    const geojson = ext === 'geojson' && format === 'pbf';
    if (ext !== format && !geojson) {
      throw new TuilerieError('BAD_REQUEST', `source "${entry.id}" serves .${format} tiles${format === 'pbf' ? ' (or .mvt, or .geojson to look into them)' : ''}, not .${req.params.ext}`);
    }
    const { z, x, y } = parseTileCoords(req.params, entry.metadata);
    const rep = await deps.tiles.get(entry, z, x, y, cacheOutcomeOf(res));
    if (!rep) {
      sendEmptyTile(req, res, { status: deps.config.cache.missingTileStatus, cacheControl: control.tiles });
      return;
    }
    if (geojson) {
      // tileserver-gl's tile inspection: features in WGS84 with their layer, decoded off the event loop
      const json = await deps.services.workers.geojson.toGeojson(rep.data, { z, x, y });
      await sendBytes(req, res, json, { contentType: 'application/geo+json', cacheControl: control.tiles, etag: rep.etag.replace(/"$/, '.geojson"') });
      return;
    }
    await sendRepresentation(req, res, rep, {
      contentType: CONTENT_TYPES[format] ?? 'application/octet-stream',
      cacheControl: control.tiles,
      identity: () => deps.tiles.identity(entry, z, x, y, rep),
    });
  });

  return router;
};
