/**
 * One log line per HTTP request, written when the response is finished:
 *   … INFO  [serve:access] request method=GET path=/data/openmaptiles/14/8529/5850.pbf status=200 bytes=10234 ms=1.8 cache=hit
 * (the same fields in JSON with logFormat "json"). Status 499: the client went away first.
 * `cache` says whether a tile came from a cache (memory, disk or shared tier:
 * "hit") or had to be read or rendered ("miss"); "-" for other routes. Routes
 * tell it through cacheOutcomeOf(res), the fast paths answer only hits.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.js';

/** Filled by whoever looks a tile up for this response. */
export interface CacheOutcome {
  hit?: boolean;
}

const outcomes = new WeakMap<object, CacheOutcome>();

/** The cache outcome record of a response (created on first use). */
export function cacheOutcomeOf(res: object): CacheOutcome {
  let o = outcomes.get(res);
  if (!o) outcomes.set(res, (o = {}));
  return o;
}

function cacheLabel(res: object): string {
  const hit = outcomes.get(res)?.hit;
  return hit === undefined ? '-' : hit ? 'hit' : 'miss';
}

/** Starts timing a request; logs it once its response is finished or aborted. */
export function accessLogger(logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const start = process.hrtime.bigint();
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      const ms = Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100;
      const len = Number(res.getHeader('content-length'));
      const bytes = req.method === 'HEAD' || !Number.isFinite(len) ? 0 : len;
      const status = res.writableFinished ? res.statusCode : 499;
      logger.info('request', { method: req.method, path: req.url, status, bytes, ms, cache: cacheLabel(res) });
    };
    res.on('finish', done);
    res.on('close', done);
  };
}
