/** `/styles.json`, `/data.json` and `/index.json`: what this server offers, in tileserver-gl's shapes. */
import express from 'express';
import { baseUrl } from './base_url.js';
import { sendJson } from './conditional_http.js';
import type { FeatureRouter, ServerDeps } from './server_deps.js';
import { buildTileJson } from './tilejson.js';

function styleList(deps: ServerDeps, base: string) {
  return deps.styles.list().map((s) => ({
    version: 8,
    name: typeof s.style.name === 'string' ? s.style.name : s.id,
    id: s.id,
    url: `${base}/styles/${encodeURIComponent(s.id)}/style.json`,
  }));
}

export const indexRoutes: FeatureRouter = (deps) => {
  const router = express.Router();
  const cacheControl = deps.config.cache.control.index;

  router.get('/styles.json', async (req, res) => {
    await sendJson(req, res, styleList(deps, baseUrl(req, res, deps.config)), { cacheControl });
  });
  router.get('/data.json', async (req, res) => {
    const base = baseUrl(req, res, deps.config);
    await sendJson(req, res, deps.sources.list().map((s) => buildTileJson(s, base)), { cacheControl });
  });
  router.get('/index.json', async (req, res) => {
    const base = baseUrl(req, res, deps.config);
    const data = deps.sources.list().map((s) => buildTileJson(s, base));
    await sendJson(req, res, [...data, ...deps.indexEntries.flatMap((f) => f(base))], { cacheControl });
  });
  return router;
};
