/**
 * `/search?q=…[&limit=N][&lat=…&lon=…][&lang=fr|de]` (and Photon's own path
 * `/api`): places, streets, POIs and addresses of the served vector archives
 * (src/search), answered as Photon GeoJSON. The indexes belong to
 * deps.services.search (./serving_services.ts), opened or built in a worker
 * thread once the archives are open and again when one is replaced; until then
 * a search answers 503 with Retry-After.
 */
import express from 'express';
import { TuilerieError } from '../core/errors.js';
import { photonFeatureCollection } from '../search/photon_geojson.js';
import { sendJson } from './conditional_http.js';
import type { FeatureRouter } from './server_deps.js';

const MAX_LIMIT = 50;
const DEFAULT_LIMIT = 10;
const MAX_QUERY = 200;

function numberParam(v: unknown, name: string, range: [number, number]): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < range[0] || n > range[1]) throw new TuilerieError('BAD_REQUEST', `${name} must be a number in ${range[0]}..${range[1]}`);
  return n;
}

export const searchRoutes: FeatureRouter = (deps) => {
  const router = express.Router();
  const service = deps.services.search;

  const handler: express.RequestHandler = async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    if (q === '') throw new TuilerieError('BAD_REQUEST', 'q (the text to search for) is required');
    if (q.length > MAX_QUERY) throw new TuilerieError('BAD_REQUEST', `q is longer than ${MAX_QUERY} characters`);
    const limit = numberParam(req.query.limit, 'limit', [1, MAX_LIMIT]) ?? DEFAULT_LIMIT;
    const lat = numberParam(req.query.lat, 'lat', [-90, 90]);
    const lon = numberParam(req.query.lon, 'lon', [-180, 180]);
    if ((lat === undefined) !== (lon === undefined)) throw new TuilerieError('BAD_REQUEST', 'lat and lon go together');
    const lang = typeof req.query.lang === 'string' ? req.query.lang.toLowerCase() : undefined;
    const hits = service.search({ q, limit: Math.floor(limit), bias: lat !== undefined && lon !== undefined ? { lat, lon } : undefined, lang });
    await sendJson(req, res, photonFeatureCollection(hits), { cacheControl: deps.config.cache.control.default, contentType: 'application/json; charset=utf-8' });
  };
  router.get('/search', handler);
  router.get('/api', handler);
  return router;
};
