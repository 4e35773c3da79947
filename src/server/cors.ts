/** CORS for map clients on other origins: GET/HEAD only, preflights answered here. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { addVary } from './conditional_http.js';

/** Sets the CORS headers of a response; true when it answered a preflight (OPTIONS) itself. */
export type CorsApplier = (req: IncomingMessage, res: ServerResponse) => boolean;

export function corsApplier(origins: readonly string[]): CorsApplier {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (req, res) => {
    if (origins.length === 0) return false;
    const origin = req.headers.origin;
    if (any) res.setHeader('Access-Control-Allow-Origin', '*');
    else {
      addVary(res, 'Origin');
      if (origin && allowed.has(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
    }
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Content-Length, Content-Encoding');
    if (req.method !== 'OPTIONS') return false;
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', String(req.headers['access-control-request-headers'] ?? 'If-None-Match, Content-Type'));
    res.setHeader('Access-Control-Max-Age', '86400');
    res.statusCode = 204;
    res.end();
    return true;
  };
}

export function corsMiddleware(origins: readonly string[]): RequestHandler {
  const apply = corsApplier(origins);
  return (req, res, next) => {
    if (!apply(req, res)) next();
  };
}
