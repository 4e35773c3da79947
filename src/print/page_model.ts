/**
 * A plan page as drawing operations in millimetres (origin top-left, y down):
 * the layout produces these once, and the PDF, SVG and PNG writers each draw
 * them, so the three outputs cannot drift apart.
 */
export type FontFace = 'regular' | 'bold';

export interface TextOp {
  kind: 'text';
  /** Anchor point; `y` is the baseline. */
  x: number;
  y: number;
  text: string;
  /** Points. */
  size: number;
  font: FontFace;
  align: 'left' | 'center' | 'right';
  color: string;
}

export interface LineOp {
  kind: 'line';
  points: [number, number][];
  /** Millimetres. */
  width: number;
  color: string;
  opacity?: number;
}

export interface RectOp {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill?: string;
  stroke?: string;
  width?: number;
}

export interface PolygonOp {
  kind: 'polygon';
  points: [number, number][];
  fill: string;
}

export interface ImageOp {
  kind: 'image';
  x: number;
  y: number;
  w: number;
  h: number;
  /** JPEG bytes. */
  jpeg: Buffer;
  pxWidth: number;
  pxHeight: number;
}

export type PageOp = TextOp | LineOp | RectOp | PolygonOp | ImageOp;

export interface PageModel {
  widthMm: number;
  heightMm: number;
  ops: PageOp[];
}

export interface PlanDocument {
  title: string;
  subject: string;
  /** Machine-readable facts (frame bounds, grid) for checks and GIS tools. */
  keywords?: string;
  pages: PageModel[];
}

export function text(x: number, y: number, s: string, o: { size: number; font?: FontFace; align?: TextOp['align']; color?: string }): TextOp {
  return { kind: 'text', x, y, text: s, size: o.size, font: o.font ?? 'regular', align: o.align ?? 'left', color: o.color ?? '#000000' };
}
