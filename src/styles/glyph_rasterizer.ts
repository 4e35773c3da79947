/**
 * Turns one codepoint of a TrueType/OpenType font into an SDF glyph with the
 * metrics fontnik (node-fontnik / sdf-glyph-foundry) gives, so MapLibre places
 * our glyphs exactly as it places the glyphs of any other glyph server:
 * 24 px em, bbox rounded to whole pixels, `top` minus the ascender rounded up,
 * advance truncated, 3 px buffer, radius 8, cutoff 0.25. One departure: word spaces carry a halo-only box
 * (SPACE_HALO_VALUE) so halos run across the gaps between words.
 *
 * Outlines come from opentype.js (unhinted, like FT_LOAD_NO_HINTING); Skia
 * (@napi-rs/canvas) fills them antialiased; computeSdf turns coverage into distance.
 */
import opentype from 'opentype.js';
import type { Font, PathCommand } from 'opentype.js';
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { TuilerieError } from '../core/errors.js';
import { computeSdf } from './glyph_sdf.js';
import type { SdfGlyph } from './glyph_pbf.js';

export const GLYPH_FONT_SIZE = 24;
export const GLYPH_BUFFER = 3;
export const GLYPH_RADIUS = 8;
export const GLYPH_CUTOFF = 0.25;
/**
 * Distance value of a word space's box: below the fill edge (192, cutoff 0.25) by more than MapLibre's antialiasing
 * ramp at label sizes, above the edge of a halo of a pixel or more. So spaces draw no ink but carry the halo across
 * the gap between words, which glyph quads (bitmap + 3 px buffer) leave open: road casing showed through there.
 */
export const SPACE_HALO_VALUE = 128;
/** Spaces that get a halo box: space and no-break space. */
export const HALO_SPACES: ReadonlySet<number> = new Set([0x20, 0xa0]);
/** Larger glyphs than this (very rare at 24 px) get a canvas of their own. */
const SCRATCH_SIZE = 96;

export class GlyphRasterizer {
  private readonly font: Font;
  private readonly scale: number;
  private readonly ascender: number;
  private readonly scratch: Canvas;
  private readonly ctx: SKRSContext2D;

  constructor(fontBytes: Uint8Array) {
    try {
      const ab = fontBytes.buffer.slice(fontBytes.byteOffset, fontBytes.byteOffset + fontBytes.byteLength) as ArrayBuffer;
      this.font = opentype.parse(ab);
    } catch (e) {
      throw new TuilerieError('BAD_INPUT', `cannot parse font: ${(e as Error).message}; give a TrueType or OpenType file`, { cause: e });
    }
    this.scale = GLYPH_FONT_SIZE / this.font.unitsPerEm;
    // FreeType rounds the scaled ascender up to whole pixels; fontnik then subtracts it from `top`.
    this.ascender = Math.ceil(this.font.tables.hhea.ascender * this.scale);
    this.scratch = createCanvas(SCRATCH_SIZE, SCRATCH_SIZE);
    this.ctx = this.scratch.getContext('2d');
  }

  /** Codepoints of the Basic Multilingual Plane the font maps to a glyph, ascending. */
  codepoints(): number[] {
    return Object.keys(this.font.tables.cmap.glyphIndexMap)
      .map(Number)
      .filter((cp) => cp >= 0 && cp <= 0xffff && this.font.tables.cmap.glyphIndexMap[String(cp)] !== 0)
      .sort((a, b) => a - b);
  }

  /** The SDF glyph of a codepoint, or undefined when the font lacks it. */
  render(codepoint: number): SdfGlyph | undefined {
    const index = this.font.tables.cmap.glyphIndexMap[String(codepoint)];
    if (!index) return undefined;
    const glyph = this.font.glyphs.get(index);
    const advance = Math.floor((glyph.advanceWidth ?? 0) * this.scale);
    const empty: SdfGlyph = { id: codepoint, width: 0, height: 0, left: 0, top: -this.ascender, advance };
    const path = glyph.getPath(0, 0, GLYPH_FONT_SIZE);
    if (path.commands.length === 0) return HALO_SPACES.has(codepoint) && advance > 0 ? this.spaceBox(codepoint, advance) : empty;
    const bb = glyph.getBoundingBox();
    const left = Math.round(bb.x1 * this.scale);
    const right = Math.round(bb.x2 * this.scale);
    const bottom = Math.round(bb.y1 * this.scale);
    const top = Math.round(bb.y2 * this.scale);
    const width = right - left;
    const height = top - bottom;
    if (width <= 0 || height <= 0) return empty;
    const bw = width + 2 * GLYPH_BUFFER;
    const bh = height + 2 * GLYPH_BUFFER;
    const alpha = this.coverage(path.commands, { dx: GLYPH_BUFFER - left, dy: GLYPH_BUFFER + top, w: bw, h: bh });
    const bitmap = computeSdf({ alpha, width: bw, height: bh, buffer: GLYPH_BUFFER, radius: GLYPH_RADIUS, cutoff: GLYPH_CUTOFF });
    return { id: codepoint, bitmap, width, height, left, top: top - this.ascender, advance };
  }

  /** A space as a box of SPACE_HALO_VALUE from the baseline to the x-height (halo only, see SPACE_HALO_VALUE). */
  private spaceBox(codepoint: number, advance: number): SdfGlyph {
    const xIndex = this.font.tables.cmap.glyphIndexMap[String('x'.charCodeAt(0))];
    const xTop = xIndex ? this.font.glyphs.get(xIndex).getBoundingBox().y2 : this.font.unitsPerEm / 2;
    const xHeight = Math.max(1, Math.round(xTop * this.scale));
    const bitmap = new Uint8Array((advance + 2 * GLYPH_BUFFER) * (xHeight + 2 * GLYPH_BUFFER)).fill(SPACE_HALO_VALUE);
    return { id: codepoint, bitmap, width: advance, height: xHeight, left: 0, top: xHeight - this.ascender, advance };
  }

  /** Antialiased coverage of a path (in px, y down, origin at the pen) moved by dx, dy. */
  private coverage(commands: PathCommand[], box: { dx: number; dy: number; w: number; h: number }): Uint8Array {
    const fits = box.w <= SCRATCH_SIZE && box.h <= SCRATCH_SIZE;
    const ctx = fits ? this.ctx : createCanvas(box.w, box.h).getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, box.w, box.h);
    ctx.setTransform(1, 0, 0, 1, box.dx, box.dy);
    ctx.beginPath();
    for (const c of commands) {
      if (c.type === 'M') ctx.moveTo(c.x!, c.y!);
      else if (c.type === 'L') ctx.lineTo(c.x!, c.y!);
      else if (c.type === 'Q') ctx.quadraticCurveTo(c.x1!, c.y1!, c.x!, c.y!);
      else if (c.type === 'C') ctx.bezierCurveTo(c.x1!, c.y1!, c.x2!, c.y2!, c.x!, c.y!);
      else ctx.closePath();
    }
    ctx.fillStyle = '#000';
    ctx.fill('nonzero');
    const rgba = ctx.getImageData(0, 0, box.w, box.h).data;
    const alpha = new Uint8Array(box.w * box.h);
    for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3];
    return alpha;
  }
}
