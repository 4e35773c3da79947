/**
 * `/styles/{id}/sprite[@2x].{json,png}`: the style's own sprite when its
 * directory has one, else ours (built from Maki at setup).
 */
import path from 'node:path';
import express from 'express';
import { SpriteStore } from '../styles/sprite_store.js';
import { AssetEncoder } from './asset_encoder.js';
import { sendBytes, sendRepresentation } from './conditional_http.js';
import { assertSafeName } from './params.js';
import type { FeatureRouter } from './server_deps.js';
import type { StyleEntry, StyleRegistry } from './style_registry.js';
import { packageRoot } from './viewer/package_root.js';

const SPRITE_RE = /^sprite(@2x)?\.(json|png)$/;

export interface SpriteRouterOptions {
  store: SpriteStore;
  styles: Pick<StyleRegistry, 'require'>;
  cacheControl: string;
}

/**
 * tileserver-gl's sprite files: the style's relative `sprite` under the configured sprites
 * directory, `{style}` the style file's name and `{styleJsonFolder}` its folder.
 */
export function namedSpriteBase(style: StyleEntry): string | undefined {
  const dir = style.config?.spritesDir;
  const sprite = style.style?.sprite;
  if (!dir || typeof sprite !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(sprite)) return undefined;
  const named = sprite.replace('{style}', path.basename(style.path, '.json')).replace('{styleJsonFolder}', path.relative(dir, style.dir));
  return path.resolve(dir, named);
}

export function createSpriteRouter(opts: SpriteRouterOptions): express.Router {
  const router = express.Router();
  // JSON indexes shrink tenfold with gzip; PNGs do not.
  const encoder = new AssetEncoder();
  router.get('/styles/:id/:file', async (req, res, next) => {
    const m = SPRITE_RE.exec(req.params.file);
    if (!m) return next();
    const style = opts.styles.require(assertSafeName(req.params.id, 'style'));
    const file = opts.store.get({ styleDir: style.dir, base: namedSpriteBase(style), ratio: m[1] ? 2 : 1, format: m[2] as 'json' | 'png' });
    if (m[2] === 'json') {
      const { gzip, identity } = encoder.encode(file.data);
      await sendRepresentation(req, res, gzip, { contentType: file.contentType, cacheControl: opts.cacheControl, identity: () => identity });
    } else {
      await sendBytes(req, res, file.data, { contentType: file.contentType, cacheControl: opts.cacheControl });
    }
  });
  return router;
}

export const spriteRoutes: FeatureRouter = (deps) => createSpriteRouter({
  store: new SpriteStore({ dir: path.join(packageRoot(), 'assets', 'sprites') }),
  styles: deps.styles,
  cacheControl: deps.config.cache.control.sprites,
});
