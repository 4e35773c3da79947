/**
 * `/fonts/{fontstack}/{start}-{end}.pbf` (combined stacks, fallbacks, never a
 * 404 for a valid range) and `/fonts.json` (the fonts we have).
 */
import path from 'node:path';
import express from 'express';
import { TuilerieError } from '../core/errors.js';
import { GlyphStore } from '../styles/glyph_store.js';
import { AssetEncoder } from './asset_encoder.js';
import { sendJson, sendRepresentation } from './conditional_http.js';
import type { FeatureRouter } from './server_deps.js';
import { packageRoot } from './viewer/package_root.js';

const RANGE_RE = /^(\d{1,5})-(\d{1,5})$/;

export interface FontRouterOptions {
  store: GlyphStore;
  cacheControl: string;
}

export function createFontRouter(opts: FontRouterOptions): express.Router {
  const router = express.Router();
  const encoder = new AssetEncoder();
  router.get('/fonts.json', async (req, res) => {
    await sendJson(req, res, opts.store.fonts(), { cacheControl: opts.cacheControl });
  });
  router.get('/fonts/:fontstack/:range.pbf', async (req, res) => {
    const m = RANGE_RE.exec(req.params.range);
    if (!m) throw new TuilerieError('BAD_REQUEST', `invalid glyph range "${req.params.range.slice(0, 32)}": use e.g. 0-255.pbf`);
    const { gzip, identity } = encoder.encode(opts.store.getRange(req.params.fontstack, Number(m[1]), Number(m[2])));
    await sendRepresentation(req, res, gzip, { contentType: 'application/x-protobuf', cacheControl: opts.cacheControl, identity: () => identity });
  });
  return router;
}

/** The glyphs built by `scripts/build_assets.ts` into `assets/fonts`. */
export const fontRoutes: FeatureRouter = (deps) => createFontRouter({
  store: new GlyphStore({ dir: path.join(packageRoot(), 'assets', 'fonts'), logger: deps.logger.child('fonts') }),
  cacheControl: deps.config.cache.control.fonts,
});
