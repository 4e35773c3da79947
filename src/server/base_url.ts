/**
 * The URL clients reach us at: `publicUrl` when configured, else rebuilt from
 * X-Forwarded-Proto/Host (a reverse proxy) or Host. No trailing slash.
 */
import type { Request } from 'express';

export function baseUrl(req: Request, publicUrl: string): string {
  if (publicUrl) return publicUrl;
  const first = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h)?.split(',')[0]?.trim() || undefined;
  const proto = first(req.headers['x-forwarded-proto']) ?? (req.socket && 'encrypted' in req.socket ? 'https' : 'http');
  const host = first(req.headers['x-forwarded-host']) ?? req.headers.host ?? 'localhost';
  const prefix = (first(req.headers['x-forwarded-prefix']) ?? '').replace(/\/+$/, '');
  const safeProto = proto === 'https' ? 'https' : 'http';
  return `${safeProto}://${host}${prefix}`;
}
