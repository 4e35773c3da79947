/**
 * Builds the glyph PBFs of a set of fonts: one directory per font name, one
 * `start-end.pbf` per 256-codepoint range that has at least one glyph. A font
 * takes about a second (2,800 codepoints of Noto Sans), so fonts are built one
 * after the other; each font's directory is written beside the old one and
 * renamed into place, so a failed build never leaves half a font.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { Progress } from '../core/progress.js';
import { TuilerieError } from '../core/errors.js';
import { GlyphRasterizer } from './glyph_rasterizer.js';
import { encodeGlyphRange } from './glyph_pbf.js';
import type { SdfGlyph } from './glyph_pbf.js';

export interface FontSource {
  /** Fontstack name clients ask for, e.g. `Noto Sans Regular`. */
  name: string;
  /** TrueType/OpenType file. */
  file: string;
}

export interface GlyphBuildOptions {
  fonts: FontSource[];
  /** Output root: `<outDir>/<font name>/<start>-<end>.pbf`. */
  outDir: string;
  logger: Logger;
  /** Only codepoints inside one of these inclusive [first, last] blocks; all of the BMP when absent. */
  blocks?: Array<[number, number]>;
  tty?: NodeJS.WriteStream;
}

export interface FontBuildSummary { name: string; glyphs: number; ranges: number; ms: number }

function wanted(cp: number, blocks?: Array<[number, number]>): boolean {
  return !blocks || blocks.some(([a, b]) => cp >= a && cp <= b);
}

function buildFont(font: FontSource, opts: GlyphBuildOptions): FontBuildSummary {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(font.file);
  } catch (e) {
    throw new TuilerieError('IO_ERROR', `cannot read font ${font.file}: ${(e as Error).message}; install Debian fonts-noto-core`, { cause: e });
  }
  const raster = new GlyphRasterizer(bytes);
  const codepoints = raster.codepoints().filter((cp) => wanted(cp, opts.blocks));
  const progress = new Progress({ name: `glyphs ${font.name}`, unit: 'glyphs', total: codepoints.length, logger: opts.logger, tty: opts.tty });
  const byRange = new Map<number, SdfGlyph[]>();
  for (const cp of codepoints) {
    const g = raster.render(cp);
    progress.tick();
    if (!g) continue;
    const start = cp - (cp % 256);
    let list = byRange.get(start);
    if (!list) byRange.set(start, (list = []));
    list.push(g);
  }
  const finalDir = path.join(opts.outDir, font.name);
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  for (const [start, glyphs] of byRange) {
    const range = `${start}-${start + 255}`;
    fs.writeFileSync(path.join(tmpDir, `${range}.pbf`), encodeGlyphRange({ name: font.name, range, glyphs }));
  }
  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.renameSync(tmpDir, finalDir);
  const ms = progress.finish();
  return { name: font.name, glyphs: codepoints.length, ranges: byRange.size, ms };
}

export function buildGlyphs(opts: GlyphBuildOptions): FontBuildSummary[] {
  fs.mkdirSync(opts.outDir, { recursive: true });
  return opts.fonts.map((f) => buildFont(f, opts));
}
