/**
 * A loopback HTTP server for the render page and maplibre-gl's files. v6 is
 * ESM-only and starts module workers from URLs relative to its own, so it must
 * come from a real http origin; this keeps that origin ours and local.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { TuilerieError } from '../core/errors.js';
import { RENDER_PAGE_HTML, RENDER_PAGE_SCRIPT } from './render_page.js';

interface Asset { body: Buffer; type: string }

function maplibreDist(): string {
  // package.json is exported for require; the entry point itself is import-only
  return path.join(path.dirname(createRequire(import.meta.url).resolve('maplibre-gl/package.json')), 'dist');
}

function loadAssets(): Map<string, Asset> {
  const dist = maplibreDist();
  const file = (name: string, type: string): Asset => {
    try {
      return { body: fs.readFileSync(path.join(dist, name)), type };
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot read ${name} from maplibre-gl (${dist}): reinstall dependencies with npm ci`, { cause: e });
    }
  };
  return new Map<string, Asset>([
    ['/', { body: Buffer.from(RENDER_PAGE_HTML), type: 'text/html; charset=utf-8' }],
    ['/render.js', { body: Buffer.from(RENDER_PAGE_SCRIPT), type: 'text/javascript; charset=utf-8' }],
    ['/maplibre-gl.mjs', file('maplibre-gl.mjs', 'text/javascript; charset=utf-8')],
    ['/maplibre-gl-worker.mjs', file('maplibre-gl-worker.mjs', 'text/javascript; charset=utf-8')],
    ['/maplibre-gl.css', file('maplibre-gl.css', 'text/css; charset=utf-8')],
  ]);
}

let cachedAssets: Map<string, Asset> | undefined;

export class RenderAssetServer {
  private server?: http.Server;
  private origin?: string;
  /** Starts listening on 127.0.0.1 (random port) and returns the origin, e.g. `http://127.0.0.1:40123`. */
  async start(): Promise<string> {
    if (this.origin) return this.origin;
    cachedAssets ??= loadAssets();
    const assets = cachedAssets;
    const server = http.createServer((req, res) => {
      const p = (req.url ?? '/').split('?')[0];
      const a = assets.get(p);
      if (!a || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('Content-Type', a.type);
      res.setHeader('Content-Length', String(a.body.length));
      res.setHeader('Cache-Control', 'max-age=86400');
      res.end(req.method === 'HEAD' ? undefined : a.body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.origin;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    this.origin = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
