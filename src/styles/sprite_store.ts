/**
 * Sprite files for `/styles/{id}/sprite[@2x].{json,png}`: a style whose
 * directory holds its own sprite files (the upstream OpenMapTiles styles) gets
 * those; every other style gets ours, built at setup from Maki.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';

export type SpriteFormat = 'json' | 'png';

export interface SpriteRequest {
  /** Directory of the style document, or undefined for a style without one. */
  styleDir?: string;
  /** Sprite files named by the style itself, without suffix (`<base>[@2x].{json,png}`): tileserver-gl's layout. */
  base?: string;
  /** 1 or 2 (`@2x`). */
  ratio: 1 | 2;
  format: SpriteFormat;
}

export interface SpriteFile {
  data: Buffer;
  contentType: string;
  /** Where it came from: `style` (the style's own) or `tuilerie` (ours). */
  origin: 'style' | 'tuilerie';
}

export interface SpriteStoreOptions {
  /** Our built sprites: `sprite.json`, `sprite.png`, `sprite@2x.json`, `sprite@2x.png`. */
  dir: string;
}

interface Cached { mtimeMs: number; size: number; data: Buffer }

export class SpriteStore {
  private readonly dir: string;
  private readonly files = new Map<string, Cached>();

  constructor(opts: SpriteStoreOptions) {
    this.dir = opts.dir;
  }

  static fileName(ratio: 1 | 2, format: SpriteFormat): string {
    return `sprite${ratio === 2 ? '@2x' : ''}.${format}`;
  }

  get(req: SpriteRequest): SpriteFile {
    const name = SpriteStore.fileName(req.ratio, req.format);
    const contentType = req.format === 'json' ? 'application/json; charset=utf-8' : 'image/png';
    if (req.base) {
      const named = this.read(`${req.base}${req.ratio === 2 ? '@2x' : ''}.${req.format}`);
      if (named) return { data: named, contentType, origin: 'style' };
    }
    if (req.styleDir) {
      const own = this.read(path.join(req.styleDir, name));
      if (own) return { data: own, contentType, origin: 'style' };
    }
    const ours = this.read(path.join(this.dir, name));
    if (!ours) throw new TuilerieError('NOT_FOUND', `sprite ${name} has not been built: run \`npm run setup\` (node dist/scripts/build_assets.js)`);
    return { data: ours, contentType, origin: 'tuilerie' };
  }

  /** The file's bytes, re-read only when its size or mtime changed; undefined when absent. */
  private read(file: string): Buffer | undefined {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const hit = this.files.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.data;
    const data = fs.readFileSync(file);
    this.files.set(file, { mtimeMs: st.mtimeMs, size: st.size, data });
    return data;
  }
}
