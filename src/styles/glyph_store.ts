/**
 * Glyph ranges for `/fonts/{fontstack}/{start}-{end}.pbf`. A stack of several
 * fonts is combined glyph by glyph (the first font that has a codepoint wins,
 * as MapLibre expects); unknown fonts fall back to one we have; a range no font
 * covers is a valid empty PBF, never a 404, because a failed glyph request stalls
 * label placement in renderers. Combined ranges are kept in a bounded LRU.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { TuilerieError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { decodeGlyphRange, encodeGlyphRange, type SdfGlyph } from './glyph_pbf.js';
import { resolveFontName } from './glyph_font_map.js';

export interface GlyphStoreOptions {
  /** Directory holding one sub-directory of `<start>-<end>.pbf` files per font. */
  dir: string;
  logger?: Logger;
  /** Bytes of combined ranges kept in memory. */
  cacheBytes?: number;
}

const MAX_FONTS_IN_STACK = 8;
const RESCAN_EMPTY_MS = 10_000;

export class GlyphStore {
  private readonly dir: string;
  private readonly logger: Logger;
  private readonly cache: LRUCache<string, Buffer>;
  private available?: Set<string>;
  private scannedAt = 0;

  constructor(opts: GlyphStoreOptions) {
    this.dir = opts.dir;
    this.logger = opts.logger ?? silentLogger;
    this.cache = new LRUCache<string, Buffer>({ maxSize: opts.cacheBytes ?? 32 * 1024 * 1024, sizeCalculation: (b) => Math.max(1, b.length) });
  }

  /** Font names we have glyphs for, sorted. */
  fonts(): string[] {
    return [...this.availableFonts()].sort();
  }

  private availableFonts(): Set<string> {
    // An empty directory is looked at again now and then: assets may be built while the server runs.
    if (this.available && this.available.size === 0 && Date.now() - this.scannedAt > RESCAN_EMPTY_MS) this.available = undefined;
    if (!this.available) {
      this.scannedAt = Date.now();
      let names: string[] = [];
      try {
        names = fs.readdirSync(this.dir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && !d.name.includes('.tmp-'))
          .map((d) => d.name);
      } catch {
        this.logger.warn(`no glyphs in ${this.dir}: run \`npm run setup\` (or node dist/scripts/build_assets.js) to build them`);
      }
      this.available = new Set(names);
    }
    return this.available;
  }

  /** Forgets the font list and cached ranges (after a rebuild of the assets). */
  reload(): void {
    this.available = undefined;
    this.cache.clear();
  }

  /** The combined glyph PBF of a comma-separated stack for one 256-codepoint range. */
  getRange(fontstack: string, start: number, end: number): Buffer {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start % 256 !== 0 || end !== start + 255 || end > 65535) {
      throw new TuilerieError('BAD_REQUEST', `invalid glyph range ${start}-${end}: use N-(N+255) with N a multiple of 256 up to 65280`);
    }
    const names = fontstack.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    if (names.length === 0) throw new TuilerieError('BAD_REQUEST', 'empty fontstack: name at least one font, e.g. "Noto Sans Regular"');
    if (names.length > MAX_FONTS_IN_STACK) throw new TuilerieError('BAD_REQUEST', `fontstack has ${names.length} fonts; at most ${MAX_FONTS_IN_STACK} are combined`);
    for (const n of names) {
      if (n.includes('/') || n.includes('\\') || n.includes('..') || /[\u0000-\u001f]/.test(n)) {
        throw new TuilerieError('BAD_REQUEST', `invalid font name "${n.slice(0, 64)}": no '/', '\\' or '..' allowed`);
      }
    }
    const key = `${names.join(',')}\u0000${start}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const available = this.availableFonts();
    const resolved = [...new Set(names.map((n) => resolveFontName(n, available)))];
    const range = `${start}-${end}`;
    const merged = new Map<number, SdfGlyph>();
    for (const font of resolved) {
      for (const g of this.readFontRange(font, range)) if (!merged.has(g.id)) merged.set(g.id, g);
    }
    const glyphs = [...merged.values()].sort((a, b) => a.id - b.id);
    const out = encodeGlyphRange({ name: names.join(','), range, glyphs });
    // Without fonts every answer is empty; not caching it lets glyphs appear once the assets are built.
    if (available.size > 0) this.cache.set(key, out);
    return out;
  }

  private readFontRange(font: string, range: string): SdfGlyph[] {
    const file = path.join(this.dir, font, `${range}.pbf`);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      return [];
    }
    try {
      return decodeGlyphRange(buf).glyphs;
    } catch (e) {
      this.logger.warn(`corrupt glyph file ${file} skipped: ${(e as Error).message}; rebuild the assets`);
      return [];
    }
  }
}
