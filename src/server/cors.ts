/** CORS for map clients on other origins: GET/HEAD only, preflights answered here. */
import type { RequestHandler } from 'express';

export function corsMiddleware(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (req, res, next) => {
    if (origins.length === 0) return next();
    const origin = req.headers.origin;
    if (any) res.setHeader('Access-Control-Allow-Origin', '*');
    else {
      res.append('Vary', 'Origin');
      if (origin && allowed.has(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
    }
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Content-Length, Content-Encoding');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', String(req.headers['access-control-request-headers'] ?? 'If-None-Match, Content-Type'));
      res.setHeader('Access-Control-Max-Age', '86400');
      res.status(204).end();
      return;
    }
    next();
  };
}
