/**
 * The one place that turns errors into HTTP responses. Codes map to statuses;
 * clients get the message of our own errors and nothing of a bug (no stack, no
 * internal message), which goes to the log instead.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { TuilerieError, type ErrorCode } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

const STATUS: Record<ErrorCode, number> = {
  BAD_INPUT: 400,
  UNSUPPORTED_FORMAT: 400,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  IO_ERROR: 500,
  CONFIG_ERROR: 500,
  OVERLOADED: 503,
  TIMEOUT: 504,
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

export function errorHandler(logger: Logger): ErrorRequestHandler {
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
    if (status >= 500) logger.error('request failed', { method: req.method, url: req.originalUrl, error: String(err?.stack ?? err) });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status);
    res.setHeader('Cache-Control', 'no-store');
    if (code === 'OVERLOADED') res.setHeader('Retry-After', '5');
    res.json(errorBody(status, code, message));
  };
}

/** The fallback for paths no router claimed. */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new TuilerieError('NOT_FOUND', `no such endpoint: ${req.method} ${req.path}`));
}
