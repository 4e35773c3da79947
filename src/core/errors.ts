/**
 * One base class for every error Tuilerie raises on purpose. The `code` drives
 * behaviour (HTTP status in the server, exit status in the CLI); the message says
 * what was wrong and what to do about it.
 */
export type ErrorCode =
  | 'BAD_INPUT'          // an input file is not what it claims (not OSM, truncated, corrupt archive)
  | 'UNSUPPORTED_FORMAT' // unknown extension or archive format
  | 'NOT_FOUND'          // unknown source, style, tile, place, file
  | 'BAD_REQUEST'        // malformed parameters (HTTP 400, CLI usage)
  | 'IO_ERROR'           // unreadable input, unwritable output
  | 'CONFIG_ERROR'       // invalid configuration key or value
  | 'OVERLOADED'         // queue full: retry later (HTTP 503)
  | 'TIMEOUT'            // a job exceeded its time budget
  | 'CANCELLED'          // nobody waits for the result any more (the client disconnected)
  | 'TOO_BIG'            // a request past a size limit
  | 'NO_ROUTE'           // routing: no path between the points
  | 'NO_SEGMENT'         // routing: a point could not be snapped
  | 'INTERNAL';          // a bug: never shown to clients in detail

export class TuilerieError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'TuilerieError';
    this.code = code;
    this.details = options?.details;
  }
}

export function isTuilerieError(e: unknown, code?: ErrorCode): e is TuilerieError {
  return e instanceof TuilerieError && (code === undefined || e.code === code);
}

/** Wraps an unknown thrown value into a TuilerieError, keeping ours untouched. */
export function asTuilerieError(e: unknown, fallback: ErrorCode = 'INTERNAL'): TuilerieError {
  if (e instanceof TuilerieError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new TuilerieError(fallback, msg, { cause: e });
}
