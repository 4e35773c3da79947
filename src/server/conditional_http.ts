/**
 * THE one place for conditional and negotiated HTTP. Every route answers through
 * these functions, so ETag / If-None-Match → 304, Cache-Control, Vary,
 * Accept-Encoding (stored gzip passed through untouched, or decompressed for
 * clients that cannot take it), empty-tile statuses and HEAD behave the same
 * everywhere.
 */
import zlib from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContentEncoding } from '../archive/tile_source.js';
import { strongEtag } from '../cache/etag.js';

/** One complete representation of a resource. */
export interface Representation {
  data: Buffer;
  encoding: ContentEncoding;
  /** Strong ETag, quoted; each encoding of the same content has its own. */
  etag: string;
}

export interface SendOptions {
  contentType: string;
  cacheControl: string;
  /**
   * Supplies the decompressed form of a gzip representation for clients that do
   * not accept gzip; callers pass a cached provider. Default: gunzip on the spot.
   */
  identity?: () => Representation | Promise<Representation>;
}

interface Coding { name: string; q: number }

function parseAcceptEncoding(header: string): Coding[] {
  return header.split(',').map((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    return { name: name.trim(), q: Number.isFinite(q) ? q : 0 };
  }).filter((c) => c.name.length > 0);
}

/**
 * Whether the client takes gzip. No header at all means identity: clients that
 * omit it (curl without --compressed, some GIS tools) cannot decode gzip.
 */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (!header) return false;
  const text = Array.isArray(header) ? header.join(',') : header;
  // Clients send a handful of distinct headers; parsing each once keeps the hot path cheap.
  let verdict = gzipVerdicts.get(text);
  if (verdict === undefined) {
    const codings = parseAcceptEncoding(text);
    const gzip = codings.find((c) => c.name === 'gzip' || c.name === 'x-gzip');
    const star = codings.find((c) => c.name === '*');
    verdict = gzip ? gzip.q > 0 : star !== undefined && star.q > 0;
    if (gzipVerdicts.size > 256) gzipVerdicts.clear();
    gzipVerdicts.set(text, verdict);
  }
  return verdict;
}
const gzipVerdicts = new Map<string, boolean>();

/** If-None-Match against an ETag with the weak comparison RFC 9110 §13.1.2 prescribes; handles lists and `*`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const trimmed = ifNoneMatch.trim();
  if (trimmed === '*') return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  const want = opaque(etag);
  // ETags may contain commas only inside quotes; split on commas outside quotes
  const tags = trimmed.match(/(?:W\/)?"[^"]*"|[^,\s]+/g) ?? [];
  return tags.some((t) => opaque(t) === want);
}

function ifNoneMatch(req: IncomingMessage): string | undefined {
  const h = req.headers['if-none-match'];
  return Array.isArray(h) ? h.join(',') : h;
}

/** Adds a field to Vary without dropping what other layers (CORS) put there. */
export function addVary(res: ServerResponse, field: string): void {
  const current = res.getHeader('Vary');
  if (!current) res.setHeader('Vary', field);
  else if (!String(current).split(/\s*,\s*/).includes(field)) res.setHeader('Vary', `${String(current)}, ${field}`);
}

/** The representation a client gets: the stored gzip bytes if it takes gzip, else the identity form. */
export function chooseEncoding(req: IncomingMessage, res: ServerResponse, rep: Representation, identity: () => Representation): Representation {
  if (rep.encoding !== 'gzip') return rep;
  addVary(res, 'Accept-Encoding');
  return acceptsGzip(req) ? rep : identity();
}

/** Writes a chosen representation: ETag, Cache-Control, 304 on a matching If-None-Match, HEAD without body. */
export function writeRepresentation(req: IncomingMessage, res: ServerResponse, chosen: Representation, opts: Omit<SendOptions, 'identity'>): void {
  res.setHeader('ETag', chosen.etag);
  res.setHeader('Cache-Control', opts.cacheControl);
  if (etagMatches(ifNoneMatch(req), chosen.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('Content-Type', opts.contentType);
  if (chosen.encoding === 'gzip') res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', chosen.data.length);
  res.statusCode = 200;
  if (req.method === 'HEAD') res.end();
  else res.end(chosen.data);
}

/** Sends a representation with content negotiation and conditional handling. */
export async function sendRepresentation(req: IncomingMessage, res: ServerResponse, rep: Representation, opts: SendOptions): Promise<void> {
  let chosen = rep;
  if (rep.encoding === 'gzip') {
    addVary(res, 'Accept-Encoding');
    if (!acceptsGzip(req)) chosen = opts.identity ? await opts.identity() : gunzipRepresentation(rep);
  }
  writeRepresentation(req, res, chosen, opts);
}

/** The decompressed form of a gzip representation, with its own ETag. */
export function gunzipRepresentation(rep: Representation): Representation {
  if (rep.encoding !== 'gzip') return rep;
  const data = zlib.gunzipSync(rep.data);
  return { data, encoding: 'identity', etag: strongEtag(data) };
}

/** Bytes held uncompressed (glyphs, sprites, rendered images): ETag from content unless the caller has it already. */
export async function sendBytes(req: IncomingMessage, res: ServerResponse, data: Buffer, opts: SendOptions & { etag?: string }): Promise<void> {
  await sendRepresentation(req, res, { data, encoding: 'identity', etag: opts.etag ?? strongEtag(data) }, opts);
}

/** A JSON document, conditional on its content. */
export async function sendJson(req: IncomingMessage, res: ServerResponse, value: unknown, opts: { cacheControl: string; contentType?: string }): Promise<void> {
  const data = Buffer.from(JSON.stringify(value));
  await sendBytes(req, res, data, { contentType: opts.contentType ?? 'application/json; charset=utf-8', cacheControl: opts.cacheControl });
}

/** Both encodings of a JSON document worth compressing (styles run to 100+ kB), for callers that memoise them. */
export interface EncodedJson {
  gzip: Representation;
  identity: Representation;
}

export function encodeJson(value: unknown): EncodedJson {
  const data = Buffer.from(JSON.stringify(value));
  const gz = zlib.gzipSync(data);
  return { identity: { data, encoding: 'identity', etag: strongEtag(data) }, gzip: { data: gz, encoding: 'gzip', etag: strongEtag(gz) } };
}

/** A memoised JSON document: gzip to clients that take it, identity to the others. */
export async function sendEncodedJson(req: IncomingMessage, res: ServerResponse, doc: EncodedJson, opts: { cacheControl: string }): Promise<void> {
  await sendRepresentation(req, res, doc.gzip, { contentType: 'application/json; charset=utf-8', cacheControl: opts.cacheControl, identity: () => doc.identity });
}

/** An empty or missing tile: 204 (what map clients expect) or 404 by configuration. */
export function sendEmptyTile(req: IncomingMessage, res: ServerResponse, opts: { status: 204 | 404; cacheControl: string }): void {
  res.setHeader('Cache-Control', opts.cacheControl);
  if (opts.status === 404) {
    const body = '{"error":"no tile here","code":"NOT_FOUND"}';
    res.statusCode = 404;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    if (req.method === 'HEAD') res.end();
    else res.end(body);
    return;
  }
  res.statusCode = 204;
  res.end();
}

/** ServerResponses that must never be stored (health, metrics). */
export function sendUncached(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.statusCode = status;
  res.end(body);
}
