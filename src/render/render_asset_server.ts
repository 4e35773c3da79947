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
import { acceptReadbackSocket } from './readback_socket.js';

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
  private readonly uploads = new Map<number, Buffer>();
  private readonly waiters = new Map<number, (b: Buffer) => void>();

  /**
   * The pixels the page sent for upload `id` (see readback_socket.ts), waiting
   * up to `timeoutMs` for them to arrive.
   */
  takeUpload(id: number, timeoutMs = 10_000): Promise<Buffer> {
    const ready = this.uploads.get(id);
    if (ready) {
      this.uploads.delete(id);
      return Promise.resolve(ready);
    }
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        reject(new TuilerieError('TIMEOUT', `rendered pixels of upload ${id} did not arrive within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(id, (b) => {
        clearTimeout(timer);
        resolve(b);
      });
    });
  }

  private deliver(id: number, pixels: Buffer): void {
    const w = this.waiters.get(id);
    if (w) {
      this.waiters.delete(id);
      w(pixels);
      return;
    }
    // an upload nobody waits for any more (its render timed out) must not pile up
    if (this.uploads.size >= 4) this.uploads.clear();
    this.uploads.set(id, pixels);
  }

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
    server.on('upgrade', (req, socket) => acceptReadbackSocket(req, socket, (id, px) => this.deliver(id, px)));
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
