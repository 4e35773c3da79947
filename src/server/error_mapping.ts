/**
 * The one place that turns errors into HTTP responses. Codes map to statuses;
 * clients get the message of our own errors and nothing of a bug (no stack, no
 * internal message), which goes to the log instead.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { TuilerieError, type ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Metrics } from './metrics.js';

const STATUS: Record<ErrorCode, number> = {
  BAD_INPUT: 400,
  UNSUPPORTED_FORMAT: 400,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  IO_ERROR: 500,
  CONFIG_ERROR: 500,
  OVERLOADED: 503,
  TIMEOUT: 504,
  // nginx's "client closed request": nobody reads it, but logs and metrics tell it apart
  CANCELLED: 499,
  TOO_BIG: 413,
  NO_ROUTE: 404,
  NO_SEGMENT: 400,
  INTERNAL: 500,
};

export function statusForCode(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/** Body sent for an error: our message for client errors, a generic one for server faults. */
export function errorBody(status: number, code: string, message: string): { error: string; code: string } {
  return { error: status >= 500 && code !== 'OVERLOADED' && code !== 'TIMEOUT' ? 'internal server error' : message, code };
}

/** Seconds a refused client should wait: the error's own hint, else 5. */
export function retryAfterOf(err: unknown): number {
  const hint = err instanceof TuilerieError ? err.details?.retryAfter : undefined;
  return typeof hint === 'number' && Number.isFinite(hint) && hint > 0 ? Math.ceil(hint) : 5;
}

export interface FailedRequest {
  method: string;
  url: string;
  status: number;
  code: string;
  error: unknown;
}

/**
 * Logs and counts a failed request by how much it says about us: a bug (5xx
 * other than load) is an error with its stack; load shedding (503) and time
 * limits (504) are warnings; the client's own mistakes (4xx) are debug lines.
 * Only bugs carry a stack: the others are expected and would drown the log.
 */
export function recordFailure(f: FailedRequest, sink: { logger: Logger; metrics?: Metrics }): void {
  sink.metrics?.countError(f.code, f.status);
  const fields = { method: f.method, url: f.url, status: f.status, code: f.code };
  const message = f.error instanceof Error ? f.error.message : String(f.error);
  // 501: an operation this server does not implement, asked by a client (WMS DescribeLayer…): a refusal, not a failure
  if (f.status === 503 || f.status === 504 || f.status === 501) sink.logger.warn('request refused or cut short', { ...fields, error: message });
  else if (f.status >= 500) sink.logger.error('request failed', { ...fields, error: String((f.error as Error)?.stack ?? f.error) });
  else sink.logger.debug('request rejected', { ...fields, error: message });
}

export function errorHandler(logger: Logger, metrics?: Metrics): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status: number;
    let code: string;
    let message: string;
    if (err instanceof TuilerieError) {
      status = statusForCode(err.code);
      code = err.code;
      message = err.message;
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      // body-parser and friends: their message describes the client's mistake
      status = err.status;
      code = 'BAD_REQUEST';
      message = String(err.expose ? err.message : 'bad request');
    } else {
      status = 500;
      code = 'INTERNAL';
      message = 'internal server error';
    }
    recordFailure({ method: req.method, url: req.originalUrl, status, code, error: err }, { logger, metrics });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status);
    res.setHeader('Cache-Control', 'no-store');
    if (status === 503) res.setHeader('Retry-After', String(retryAfterOf(err)));
    res.json(errorBody(status, code, message));
  };
}

/** The fallback for paths no router claimed. */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new TuilerieError('NOT_FOUND', `no such endpoint: ${req.method} ${req.path}`));
}
