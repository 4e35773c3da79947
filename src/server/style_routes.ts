/** `/styles/{id}/style.json`, rewritten for this server and optionally a label language (`?lang=fr`). */
import express from 'express';
import { TuilerieError } from '../core/errors.js';
import { baseUrl } from './base_url.js';
import { encodeJson, sendEncodedJson, type EncodedJson } from './conditional_http.js';
import { assertSafeName } from './params.js';
import type { FeatureRouter } from './server_deps.js';

const LANG_RE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/;
const MEMO_LIMIT = 64;

export function parseLang(raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !LANG_RE.test(raw)) {
    throw new TuilerieError('BAD_REQUEST', `lang must be a language code such as fr, de or gsw, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

export const styleRoutes: FeatureRouter = (deps) => {
  const router = express.Router();
  // the catalog resolves (and memoises) the style; only its JSON encodings are kept here, by resolved style
  const encoded = new Map<string, { style: Record<string, unknown>; doc: EncodedJson }>();

  router.get('/styles/:id/style.json', async (req, res) => {
    const entry = deps.styles.require(assertSafeName(req.params.id, 'style'));
    const lang = parseLang(req.query.lang);
    const base = baseUrl(req, res, deps.config);
    const resolved = deps.catalog.resolveEntry(entry, { baseUrl: base, lang });
    const key = `${resolved.styleKey}\u0000${entry.generation}\u0000${base}`;
    let hit = encoded.get(key);
    if (hit?.style !== resolved.style) {
      hit = { style: resolved.style, doc: encodeJson(resolved.style) };
      if (encoded.size >= MEMO_LIMIT) encoded.delete(encoded.keys().next().value as string);
      encoded.set(key, hit);
    }
    await sendEncodedJson(req, res, hit.doc, { cacheControl: deps.config.cache.control.styles });
  });

  return router;
};
