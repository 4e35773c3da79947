/**
 * The web page: `/` lists styles and data sources with copy-ready URLs;
 * `/viewer/style/{id}` opens a style and `/viewer/data/{id}` a tile inspector
 * (both one MapLibre page). MapLibre GL JS is served from node_modules under
 * `/maplibre-gl/` (no CDN). Static files are plain HTML/CSS/JS, no build step;
 * tsc does not copy them, so they are read from `src/server/viewer/static`
 * beside the sources whether this runs from src/ or dist/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import express from 'express';
import { TuilerieError } from '../../core/errors.js';
import { AssetEncoder, type EncodedAsset } from '../asset_encoder.js';
import { sendRepresentation } from '../conditional_http.js';
import { assertSafeName } from '../params.js';
import type { FeatureRouter } from '../server_deps.js';
import { packageRoot } from './package_root.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const STATIC_RE = /^[a-z_]+\.(html|js|css)$/;
const MAPLIBRE_RE = /^maplibre-gl(-[a-z]+)*\.(mjs|css|mjs\.map)$/;

export interface ViewerRouterOptions {
  /** Directory of index.html, map.html and their scripts. */
  staticDir: string;
  /** maplibre-gl's `dist/` directory. */
  maplibreDir: string;
  cacheControl: string;
}

/** Files are few: read once and kept, with their gzip form, for the process lifetime. */
class FileCache {
  private readonly files = new Map<string, EncodedAsset>();
  private readonly encoder = new AssetEncoder();
  read(file: string): EncodedAsset {
    let entry = this.files.get(file);
    if (!entry) {
      let data: Buffer;
      try {
        data = fs.readFileSync(file);
      } catch {
        throw new TuilerieError('NOT_FOUND', `no such file: ${path.basename(file)}`);
      }
      entry = this.encoder.encode(data);
      this.files.set(file, entry);
    }
    return entry;
  }
}

export function createViewerRouter(opts: ViewerRouterOptions): express.Router {
  const router = express.Router();
  const cache = new FileCache();
  const send = async (req: express.Request, res: express.Response, file: string) => {
    const { gzip, identity } = cache.read(file);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    await sendRepresentation(req, res, gzip, { contentType: TYPES[path.extname(file)] ?? 'application/octet-stream', cacheControl: opts.cacheControl, identity: () => identity });
  };

  router.get('/', (req, res) => send(req, res, path.join(opts.staticDir, 'index.html')));
  router.get('/viewer/style/:id', (req, res) => {
    assertSafeName(req.params.id, 'style');
    return send(req, res, path.join(opts.staticDir, 'map.html'));
  });
  router.get('/viewer/data/:id', (req, res) => {
    assertSafeName(req.params.id, 'data source');
    return send(req, res, path.join(opts.staticDir, 'map.html'));
  });
  router.get('/viewer/:file', (req, res, next) => {
    if (!STATIC_RE.test(req.params.file)) return next();
    return send(req, res, path.join(opts.staticDir, req.params.file));
  });
  router.get('/maplibre-gl/:file', (req, res, next) => {
    if (!MAPLIBRE_RE.test(req.params.file)) return next();
    return send(req, res, path.join(opts.maplibreDir, req.params.file));
  });
  return router;
}

export function defaultStaticDir(): string {
  return path.join(packageRoot(), 'src', 'server', 'viewer', 'static');
}

export function maplibreDistDir(): string {
  const require = createRequire(path.join(packageRoot(), 'package.json'));
  return path.dirname(require.resolve('maplibre-gl/package.json')) + path.sep + 'dist';
}

export const viewerRoutes: FeatureRouter = (deps) => createViewerRouter({
  staticDir: defaultStaticDir(),
  maplibreDir: maplibreDistDir(),
  cacheControl: deps.config.cache.control.viewer,
});
