/**
 * The Mapbox/MapLibre glyph protobuf (glyphs.proto): one message per 256-codepoint
 * range, holding fontstacks of SDF glyphs. Encoded and decoded here only, so the
 * builder and the store agree byte for byte.
 */
import { PbfReader, PbfWriter } from 'pbf';

export interface SdfGlyph {
  id: number;
  /** (width + 6) × (height + 6) one-channel SDF, absent for empty glyphs (space). */
  bitmap?: Uint8Array;
  width: number;
  height: number;
  left: number;
  /** Top of the bitmap relative to the baseline, shifted by the font's ascender as fontnik does. */
  top: number;
  advance: number;
}

export interface GlyphRange {
  /** Fontstack name, e.g. `Noto Sans Regular` or `Noto Sans Bold,Noto Sans Regular`. */
  name: string;
  /** `start-end`, e.g. `0-255`. */
  range: string;
  glyphs: SdfGlyph[];
}

function writeGlyph(g: SdfGlyph, pbf: PbfWriter): void {
  pbf.writeVarintField(1, g.id);
  if (g.bitmap && g.bitmap.length > 0) pbf.writeBytesField(2, g.bitmap);
  pbf.writeVarintField(3, g.width);
  pbf.writeVarintField(4, g.height);
  pbf.writeSVarintField(5, g.left);
  pbf.writeSVarintField(6, g.top);
  pbf.writeVarintField(7, g.advance);
}

function writeStack(r: GlyphRange, pbf: PbfWriter): void {
  pbf.writeStringField(1, r.name);
  pbf.writeStringField(2, r.range);
  for (const g of r.glyphs) pbf.writeMessage(3, writeGlyph, g);
}

export function encodeGlyphRange(range: GlyphRange): Buffer {
  const pbf = new PbfWriter();
  pbf.writeMessage(1, writeStack, range);
  const out = pbf.finish();
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

function readGlyph(tag: number, g: SdfGlyph, pbf: PbfReader): void {
  if (tag === 1) g.id = pbf.readVarint();
  else if (tag === 2) g.bitmap = pbf.readBytes();
  else if (tag === 3) g.width = pbf.readVarint();
  else if (tag === 4) g.height = pbf.readVarint();
  else if (tag === 5) g.left = pbf.readSVarint();
  else if (tag === 6) g.top = pbf.readSVarint();
  else if (tag === 7) g.advance = pbf.readVarint();
}

function readStack(tag: number, r: GlyphRange, pbf: PbfReader): void {
  if (tag === 1) r.name = pbf.readString();
  else if (tag === 2) r.range = pbf.readString();
  else if (tag === 3) {
    const g: SdfGlyph = { id: 0, width: 0, height: 0, left: 0, top: 0, advance: 0 };
    pbf.readMessage(readGlyph, g);
    r.glyphs.push(g);
  }
}

/** Decodes a glyph PBF; several fontstacks in one message are merged in order. */
export function decodeGlyphRange(buf: Uint8Array): GlyphRange {
  const out: GlyphRange = { name: '', range: '', glyphs: [] };
  new PbfReader(buf).readFields((tag, acc, pbf) => {
    if (tag !== 1) return;
    const r: GlyphRange = { name: '', range: '', glyphs: [] };
    pbf.readMessage(readStack, r);
    acc.name = acc.name ? `${acc.name},${r.name}` : r.name;
    acc.range = r.range;
    acc.glyphs.push(...r.glyphs);
  }, out);
  return out;
}
