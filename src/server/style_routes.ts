/** `/styles/{id}/style.json`, rewritten for this server and optionally a label language (`?lang=fr`). */
import express from 'express';
import { TuilerieError } from '../core/errors.js';
import { rewriteStyle } from '../styles/style_rewriter.js';
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
  // Rewrites depend on the base URL and language only; memoised per style generation.
  const memo = new Map<string, EncodedJson>();

  router.get('/styles/:id/style.json', async (req, res) => {
    const entry = deps.styles.require(assertSafeName(req.params.id, 'style'));
    const lang = parseLang(req.query.lang);
    const base = baseUrl(req, res, deps.config);
    const key = `${entry.id}\u0000${entry.generation}\u0000${base}\u0000${lang ?? ''}\u0000${deps.sources.list().map((s) => s.id).join(',')}`;
    let doc = memo.get(key);
    if (!doc) {
      doc = encodeJson(rewriteStyle(entry.style, { baseUrl: base, styleId: entry.id, lang, resolveSource: deps.catalog.sourceResolver(entry) }));
      if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
      memo.set(key, doc);
    }
    await sendEncodedJson(req, res, doc, { cacheControl: deps.config.cache.control.styles });
  });

  return router;
};
