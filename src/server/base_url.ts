/**
 * The one function that says which URL clients reach us at, for every document
 * that embeds absolute URLs (TileJSON, style.json, capabilities, plan results):
 * `publicUrl` when configured; else, when `trustProxy` is on, what a reverse proxy
 * forwarded (Forwarded, X-Forwarded-Host/Proto/Prefix), each value checked and
 * dropped when malformed; else Host. No trailing slash.
 *
 * Forwarded values come from whoever talks to us, so they are only read when an
 * operator says a proxy sets them, and a document built from them varies on them
 * (a shared cache must not hand one client's URLs to another).
 */
import net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addVary } from './conditional_http.js';

export interface BaseUrlSettings {
  /** Configured public URL, no trailing slash; empty when not set. */
  readonly publicUrl: string;
  /** Whether forwarded headers come from a proxy we trust. */
  readonly trustProxy: boolean;
}

/** The request headers a base URL depends on when forwarded headers are trusted. */
export const FORWARDED_HEADERS: readonly string[] = ['Forwarded', 'X-Forwarded-Host', 'X-Forwarded-Proto', 'X-Forwarded-Prefix'];

export interface RequestBase {
  url: string;
  /** Request headers the URL was computed from, for `Vary`. */
  vary: readonly string[];
}

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
// RFC 3986 path characters without '@' (it would read as userinfo if a prefix ever led the authority)
const PREFIX_SEGMENT = /^[A-Za-z0-9\-._~!$&'()*+,;=:%]+$/;

/** `host[:port]` with a DNS name, IPv4 address or bracketed IPv6 address; normalised, or undefined when invalid. */
export function validHost(raw: string | undefined): string | undefined {
  if (!raw || raw.length > 260) return undefined;
  let name: string;
  let port: string | undefined;
  if (raw.startsWith('[')) {
    const end = raw.indexOf(']');
    if (end < 0) return undefined;
    name = raw.slice(0, end + 1);
    const rest = raw.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    port = rest ? rest.slice(1) : undefined;
    if (!net.isIPv6(name.slice(1, -1))) return undefined;
  } else {
    const colon = raw.indexOf(':');
    if (colon !== raw.lastIndexOf(':')) return undefined; // a bare IPv6 address is not a Host
    name = colon < 0 ? raw : raw.slice(0, colon);
    port = colon < 0 ? undefined : raw.slice(colon + 1);
    if (name.length > 253 || !name.split('.').every((l) => LABEL.test(l))) return undefined;
  }
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) return undefined;
  return (port !== undefined ? `${name}:${Number(port)}` : name).toLowerCase();
}

/** `http` or `https` (any case), lower-cased; undefined for anything else. */
export function validProto(raw: string | undefined): 'http' | 'https' | undefined {
  const p = raw?.toLowerCase();
  return p === 'http' || p === 'https' ? p : undefined;
}

/**
 * A path prefix: starts with '/', plain path characters only (no '@', '?', '#',
 * backslash, space or control character), no empty ('//'), '.' or '..' segment.
 * Returned without its trailing slash ('' for '/'); undefined when invalid.
 */
export function validPrefix(raw: string | undefined): string | undefined {
  if (raw === undefined || !raw.startsWith('/') || raw.length > 1024) return undefined;
  const trimmed = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  if (trimmed === '') return '';
  const segments = trimmed.slice(1).split('/');
  if (!segments.every((s) => PREFIX_SEGMENT.test(s) && s !== '.' && s !== '..')) return undefined;
  return trimmed;
}

/** First value of a comma-separated header (the client-most proxy's). */
function firstValue(h: string | string[] | undefined): string | undefined {
  const v = (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim();
  return v || undefined;
}

/** The parameters of the first element of an RFC 7239 `Forwarded` header (names lower-cased, quotes removed). */
export function parseForwarded(header: string | string[] | undefined): Record<string, string> {
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  const out: Record<string, string> = Object.create(null);
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === ';') i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const name = text.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ';' && text[i] !== ',') value += text[i++];
      value = value.trim();
    }
    if (/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name) && !(name in out)) out[name] = value;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === ',') break; // only the first element: the proxy nearest the client
  }
  return out;
}

/** The base URL of a request and the headers it came from. */
export function requestBase(req: IncomingMessage, settings: BaseUrlSettings): RequestBase {
  if (settings.publicUrl) return { url: settings.publicUrl, vary: [] };
  const socket = req.socket as (IncomingMessage['socket'] & { encrypted?: boolean }) | undefined;
  let proto: string = socket?.encrypted ? 'https' : 'http';
  const local = socket?.localPort ? validHost(`${socket.localAddress?.includes(':') ? `[${socket.localAddress}]` : socket.localAddress}:${socket.localPort}`) : undefined;
  let host = validHost(req.headers.host) ?? local ?? 'localhost';
  let prefix = '';
  if (!settings.trustProxy) return { url: `${proto}://${host}`, vary: [] };
  const fwd = parseForwarded(req.headers.forwarded);
  const fHost = 'host' in fwd ? fwd.host : firstValue(req.headers['x-forwarded-host']);
  const fProto = 'proto' in fwd ? fwd.proto : firstValue(req.headers['x-forwarded-proto']);
  const fPrefix = firstValue(req.headers['x-forwarded-prefix']);
  host = validHost(fHost) ?? host;
  proto = validProto(fProto) ?? proto;
  prefix = validPrefix(fPrefix) ?? prefix;
  // the answer depends on these headers even when they are absent
  return { url: `${proto}://${host}${prefix}`, vary: FORWARDED_HEADERS };
}

/** The base URL for a response: computes it and adds the headers it depends on to the response's `Vary`. */
export function baseUrl(req: IncomingMessage, res: ServerResponse, settings: BaseUrlSettings): string {
  const b = requestBase(req, settings);
  for (const h of b.vary) addVary(res, h);
  return b.url;
}
