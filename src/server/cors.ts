/**
 * CORS for map clients on other origins. Reads (GET/HEAD) are open to
 * `cors.origins`; POST (plan jobs) only to `cors.postOrigins`, empty by default,
 * so that a page on any site cannot queue renders in its visitors' name and read
 * the answer. Preflights are answered here with a fixed list of request headers,
 * never a copy of what the browser asked for.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { addVary } from './conditional_http.js';

export interface CorsSettings {
  /** Origins allowed to read (GET, HEAD); '*' for any; empty: no CORS headers at all. */
  readonly origins: readonly string[];
  /** Origins allowed to POST; '*' for any. */
  readonly postOrigins: readonly string[];
}

/** The request headers a cross-origin client may send: conditional and range requests, and JSON bodies. */
export const CORS_ALLOWED_HEADERS = 'Content-Type, If-None-Match, If-Modified-Since, Range';
const EXPOSED_HEADERS = 'ETag, Content-Length, Content-Encoding, Retry-After, Location';

/** Sets the CORS headers of a response; true when it answered a preflight (OPTIONS) itself. */
export type CorsApplier = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Whether an origin is in a list; adds `Vary: Origin` when the answer depends on it. */
function allowOrigin(list: readonly string[], origin: string | undefined, res: ServerResponse): string | undefined {
  if (list.includes('*')) return '*';
  if (list.length === 0) return undefined;
  addVary(res, 'Origin');
  return origin !== undefined && list.includes(origin) ? origin : undefined;
}

export function corsApplier(settings: CorsSettings): CorsApplier {
  return (req, res) => {
    if (settings.origins.length === 0 && settings.postOrigins.length === 0) return false;
    const origin = req.headers.origin;
    const requested = String(req.headers['access-control-request-method'] ?? '').toUpperCase();
    const preflight = req.method === 'OPTIONS';
    const post = req.method === 'POST' || (preflight && requested === 'POST');
    const allowed = allowOrigin(post ? settings.postOrigins : settings.origins, origin, res);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', allowed);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (!preflight) return false;
    if (allowed) {
      res.setHeader('Access-Control-Allow-Methods', post ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '86400');
    }
    res.statusCode = 204;
    res.end();
    return true;
  };
}

export function corsMiddleware(settings: CorsSettings): RequestHandler {
  const apply = corsApplier(settings);
  return (req, res, next) => {
    if (!apply(req, res)) next();
  };
}
