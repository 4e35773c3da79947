/**
 * WMS GetLegendGraphic: the symbols a style draws (./styles/style_legend.ts
 * finds them among its layers, with their colours) as a small PNG, one row a
 * symbol. The SVG is rasterised by sharp (libvips' thread pool), off the event
 * loop. A style that draws none of the listed symbols (the transparent labels
 * overlay) gets one row for its labels in their text colour.
 */
import sharp from 'sharp';
import { cssColorToHex, legendFromStyle, type LegendItem, type LegendLang } from '../styles/style_legend.js';
import { xmlEscape as x } from './xml_text.js';

const ROW = 20;
const PAD = 6;
const SWATCH = 28;
const CHAR_WIDTH = 7;

export interface LegendRow {
  label: string;
  kind: 'line' | 'area' | 'text';
  color: string;
  casing?: string;
  dashed?: boolean;
}

interface StyleLayerLike { type?: string; paint?: Record<string, unknown> }

function textColor(style: Readonly<Record<string, unknown>>): string {
  const layers = (Array.isArray(style.layers) ? style.layers : []) as StyleLayerLike[];
  const paint = layers.find((l) => l.type === 'symbol' && typeof l.paint?.['text-color'] === 'string')?.paint?.['text-color'];
  return (typeof paint === 'string' ? cssColorToHex(paint) : undefined) ?? '#333333';
}

/** The rows of a style's legend, in the given language. */
export function legendRows(style: Readonly<Record<string, unknown>>, lang: LegendLang): LegendRow[] {
  const rows = legendFromStyle(style as Record<string, unknown>)
    .filter((i: LegendItem) => i.found)
    .map((i): LegendRow => ({ label: i.label[lang], kind: i.kind, color: i.color, casing: i.casing, dashed: i.dashed }));
  if (rows.length > 0) return rows;
  return [{ label: lang === 'de' ? 'Namen und Beschriftungen' : 'Noms et étiquettes', kind: 'text', color: textColor(style) }];
}

/** Pixel size of the legend image of these rows. */
export function legendSize(rows: readonly LegendRow[]): { width: number; height: number } {
  const longest = rows.reduce((m, r) => Math.max(m, r.label.length), 0);
  return { width: PAD * 3 + SWATCH + longest * CHAR_WIDTH, height: PAD * 2 + rows.length * ROW };
}

function swatch(r: LegendRow, y: number): string {
  const mid = y + ROW / 2;
  if (r.kind === 'area') return `<rect x="${PAD}" y="${y + 4}" width="${SWATCH}" height="${ROW - 8}" fill="${r.color}" stroke="#999999" stroke-width="0.5"/>`;
  if (r.kind === 'text') return `<text x="${PAD}" y="${mid + 4}" font-family="DejaVu Sans, Noto Sans, sans-serif" font-size="11" font-weight="bold" fill="${r.color}">Abc</text>`;
  const casing = r.casing ? `<line x1="${PAD}" y1="${mid}" x2="${PAD + SWATCH}" y2="${mid}" stroke="${r.casing}" stroke-width="6"/>` : '';
  const dash = r.dashed ? ' stroke-dasharray="4 3"' : '';
  return `${casing}<line x1="${PAD}" y1="${mid}" x2="${PAD + SWATCH}" y2="${mid}" stroke="${r.color}" stroke-width="${r.casing ? 4 : 2}"${dash}/>`;
}

/** The legend as SVG: white background, a swatch and a label a row. */
export function legendSvg(rows: readonly LegendRow[]): string {
  const { width, height } = legendSize(rows);
  const body = rows.map((r, i) => {
    const y = PAD + i * ROW;
    return `${swatch(r, y)}<text x="${PAD * 2 + SWATCH}" y="${y + ROW / 2 + 4}" font-family="DejaVu Sans, Noto Sans, sans-serif" font-size="11" fill="#222222">${x(r.label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#ffffff"/>${body.join('')}</svg>`;
}

/** The legend of a style as PNG. */
export async function renderLegendPng(style: Readonly<Record<string, unknown>>, lang: LegendLang): Promise<Buffer> {
  return sharp(Buffer.from(legendSvg(legendRows(style, lang)))).png().toBuffer();
}
