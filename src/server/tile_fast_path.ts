/**
 * Cached vector tiles answered straight from node's request handler, before
 * Express. Express routing and its request/response decoration cost more than
 * the rest of a cache hit (measured with scripts/bench_serve.ts); tiles are
 * >95% of a map's requests, so the common case skips it. Only the unambiguous
 * case is handled here — GET/HEAD of a valid z/x/y already in the cache —
 * through the same conditional_http functions; anything else (misses, bad
 * input, other formats, query strings) falls through to the Express route,
 * which gives the same answer the slow way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseEncoding, sendEmptyTile, writeRepresentation } from './conditional_http.js';
import { corsApplier } from './cors.js';
import { cacheOutcomeOf } from './access_log.js';
import type { ServerDeps } from './server_deps.js';

const TILE_URL = /^\/data\/([A-Za-z0-9_][A-Za-z0-9_.-]*)\/(\d{1,2})\/(\d{1,10})\/(\d{1,10})\.(pbf|mvt)$/;
/** The Express route pattern, so both paths count under one metrics label. */
export const TILE_ROUTE = '/data/:id/:z/:x/:y.:ext';

export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

export function tileFastPath(deps: ServerDeps): FastPath {
  const cors = corsApplier(deps.config.cors);
  const { cache, config, metrics, tiles } = deps;
  const cacheControl = config.cache.control.tiles;
  return (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url) return false;
    const m = TILE_URL.exec(req.url);
    if (!m) return false;
    const entry = deps.sources.get(m[1]);
    if (!entry || entry.metadata.format !== 'pbf') return false;
    const z = Number(m[2]);
    const x = Number(m[3]);
    const y = Number(m[4]);
    const n = 2 ** z;
    if (z < entry.metadata.minzoom || z > entry.metadata.maxzoom || x >= n || y >= n) return false;
    const rep = cache.get({ sourceId: entry.id, version: entry.version, z, x, y, variant: 'stored' });
    if (rep === undefined) return false;

    const start = process.hrtime.bigint();
    cacheOutcomeOf(res).hit = true;
    cors(req, res);
    if (rep === null) {
      sendEmptyTile(req, res, { status: config.cache.missingTileStatus, cacheControl });
    } else {
      const chosen = chooseEncoding(req, res, rep, () => tiles.identity(entry, z, x, y, rep));
      writeRepresentation(req, res, chosen, { contentType: 'application/x-protobuf', cacheControl });
    }
    const bytes = res.statusCode === 200 && req.method === 'GET' ? Number(res.getHeader('Content-Length') ?? 0) : 0;
    metrics.observe(TILE_ROUTE, res.statusCode, Number(process.hrtime.bigint() - start) / 1e9, bytes);
    return true;
  };
}
