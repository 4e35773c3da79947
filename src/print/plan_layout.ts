/**
 * Where things go on the map page: title band, map frame with its grid labels
 * around it, side column for the index, footer with scale bar, north arrow,
 * legend and attribution. Sizes grow with the paper so that an A0 reads like
 * an A4 from further away.
 */
import type { PaperSize } from './paper.js';
import type { IndexPlacement, PlanLang } from './plan_options.js';
import { text, type PageOp } from './page_model.js';
import { columnLabel, type PlanGrid } from './plan_grid.js';
import type { LegendItem } from '../styles/style_legend.js';
import type { TextMeasure } from './plan_fonts.js';

export interface Box { x: number; y: number; w: number; h: number }

export interface PlanBoxes {
  page: { widthMm: number; heightMm: number };
  /** Type size factor: 1 on A4, larger on bigger paper. */
  f: number;
  header: Box;
  /** The map frame itself (grid labels go around it). */
  frame: Box;
  footer: Box;
  /** Index column beside the map (`--index side`). */
  side?: Box;
  /** Width of the grid label band around the frame. */
  band: number;
}

export const GRID_CELL_MM = 45;

export function planBoxes(paper: PaperSize, index: IndexPlacement): PlanBoxes {
  const W = paper.widthMm, H = paper.heightMm;
  const f = Math.sqrt(Math.min(W, H) / 210);
  const m = 10 * f, band = 5 * f, headerH = 15 * f, footerH = 24 * f, gap = 6 * f;
  const sideW = index === 'side' ? Math.max(70, Math.round(0.24 * W)) : 0;
  const header: Box = { x: m, y: m, w: W - 2 * m, h: headerH };
  const top = m + headerH + band;
  const frameW = W - 2 * m - 2 * band - (sideW ? sideW + gap : 0);
  const frameH = H - top - band - footerH - m;
  const frame: Box = { x: m + band, y: top, w: frameW, h: frameH };
  const footer: Box = { x: m, y: frame.y + frame.h + band, w: frameW + 2 * band, h: footerH };
  const side: Box | undefined = sideW ? { x: W - m - sideW, y: top - band, w: sideW, h: frameH + 2 * band + footerH } : undefined;
  return { page: { widthMm: W, heightMm: H }, f, header, frame, footer, side, band };
}

const SCALE_STEPS_M = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000];

/** A round ground length whose bar is at most `maxMm` long on paper. */
export function scaleBarLength(scale: number, maxMm: number): { metres: number; mm: number } {
  let best = SCALE_STEPS_M[0];
  for (const s of SCALE_STEPS_M) if ((s * 1000) / scale <= maxMm) best = s;
  return { metres: best, mm: (best * 1000) / scale };
}

export function formatDistance(m: number): { value: string; unit: string } {
  return m >= 1000 ? { value: String(m / 1000), unit: 'km' } : { value: String(m), unit: 'm' };
}

export interface MapPageContent {
  title: string;
  subtitle: string;
  scale: number;
  grid: PlanGrid;
  legend: LegendItem[];
  lang: PlanLang;
  attribution: string;
}

const GRID_COLOR = '#3b5b8c';

/** Frame, grid lines and their labels (the map image itself is added by the caller). */
function frameOps(b: PlanBoxes, grid: PlanGrid): PageOp[] {
  const { frame, band, f } = b;
  const ops: PageOp[] = [];
  const cw = frame.w / grid.cols, ch = frame.h / grid.rows;
  for (let c = 1; c < grid.cols; c++) ops.push({ kind: 'line', points: [[frame.x + c * cw, frame.y], [frame.x + c * cw, frame.y + frame.h]], width: 0.25 * f, color: GRID_COLOR, opacity: 0.6 });
  for (let r = 1; r < grid.rows; r++) ops.push({ kind: 'line', points: [[frame.x, frame.y + r * ch], [frame.x + frame.w, frame.y + r * ch]], width: 0.25 * f, color: GRID_COLOR, opacity: 0.6 });
  ops.push({ kind: 'rect', x: frame.x - band, y: frame.y - band, w: frame.w + 2 * band, h: frame.h + 2 * band, stroke: GRID_COLOR, width: 0.3 * f });
  ops.push({ kind: 'rect', x: frame.x, y: frame.y, w: frame.w, h: frame.h, stroke: '#000000', width: 0.4 * f });
  const size = 8 * f;
  const lift = (band - (size * 25.4) / 72 * 0.72) / 2;
  for (let c = 0; c < grid.cols; c++) {
    const x = frame.x + (c + 0.5) * cw;
    ops.push(text(x, frame.y - lift, columnLabel(c), { size, font: 'bold', align: 'center', color: GRID_COLOR }));
    ops.push(text(x, frame.y + frame.h + band - lift, columnLabel(c), { size, font: 'bold', align: 'center', color: GRID_COLOR }));
  }
  for (let r = 0; r < grid.rows; r++) {
    const y = frame.y + (r + 0.5) * ch + (size * 25.4) / 72 * 0.36;
    ops.push(text(frame.x - band / 2, y, String(r + 1), { size, font: 'bold', align: 'center', color: GRID_COLOR }));
    ops.push(text(frame.x + frame.w + band / 2, y, String(r + 1), { size, font: 'bold', align: 'center', color: GRID_COLOR }));
  }
  return ops;
}

/** Scale bar in four alternating parts; its end labels are centred on its ends (tests read them). */
function scaleBarOps(x: number, y: number, scale: number, maxMm: number, f: number): { ops: PageOp[]; width: number } {
  const { metres, mm } = scaleBarLength(scale, maxMm);
  const h = 1.6 * f, parts = 4;
  const ops: PageOp[] = [];
  for (let i = 0; i < parts; i++) ops.push({ kind: 'rect', x: x + (i * mm) / parts, y, w: mm / parts, h, fill: i % 2 ? '#ffffff' : '#000000' });
  ops.push({ kind: 'rect', x, y, w: mm, h, stroke: '#000000', width: 0.2 * f });
  const d = formatDistance(metres);
  const size = 7 * f;
  ops.push(text(x, y - 1.2 * f, '0', { size, align: 'center' }));
  ops.push(text(x + mm / 2, y - 1.2 * f, formatDistance(metres / 2).value, { size, align: 'center' }));
  ops.push(text(x + mm, y - 1.2 * f, d.value, { size, align: 'center' }));
  ops.push(text(x + mm + 2.5 * f, y + h, d.unit, { size, align: 'left' }));
  ops.push(text(x, y + h + 4 * f, `1:${scale.toLocaleString('fr-FR').replace(/\u202f|\u00a0/g, ' ')}`, { size, align: 'left' }));
  return { ops, width: mm + 8 * f };
}

function northArrowOps(cx: number, top: number, f: number): PageOp[] {
  const h = 12 * f, w = 5 * f;
  return [
    text(cx, top + 3 * f, 'N', { size: 9 * f, font: 'bold', align: 'center' }),
    { kind: 'polygon', points: [[cx, top + 4 * f], [cx - w / 2, top + h], [cx, top + h - 2.5 * f]], fill: '#000000' },
    { kind: 'line', points: [[cx, top + 4 * f], [cx + w / 2, top + h], [cx, top + h - 2.5 * f], [cx, top + 4 * f]], width: 0.25 * f, color: '#000000' },
  ];
}

function legendOps(box: Box, items: LegendItem[], lang: PlanLang, f: number, measure: TextMeasure): PageOp[] {
  const ops: PageOp[] = [];
  const size = 7 * f, row = 4.2 * f, sw = 8 * f;
  const rows = Math.max(1, Math.floor(box.h / row));
  const colW = Math.max(...items.map((i) => measure.width(i.label[lang], size))) + sw + 5 * f;
  items.forEach((item, k) => {
    const col = Math.floor(k / rows), r = k % rows;
    const x = box.x + col * colW, y = box.y + r * row;
    if (x + colW > box.x + box.w + 1e-6) return;
    const mid = y + row / 2;
    if (item.kind === 'area') ops.push({ kind: 'rect', x, y: mid - 1.4 * f, w: sw, h: 2.8 * f, fill: item.color, stroke: '#888888', width: 0.1 * f });
    else {
      if (item.casing) ops.push({ kind: 'line', points: [[x, mid], [x + sw, mid]], width: 2.2 * f, color: item.casing });
      ops.push({ kind: 'line', points: [[x, mid], [x + sw, mid]], width: (item.casing ? 1.5 : item.dashed ? 0.5 : 1) * f, color: item.color });
    }
    ops.push(text(x + sw + 2 * f, mid + 1.1 * f, item.label[lang], { size }));
  });
  return ops;
}

/** Everything on the map page but the map image and the side index. */
export function mapPageOps(b: PlanBoxes, c: MapPageContent, measure: TextMeasure): PageOp[] {
  const { f, header, footer } = b;
  const ops: PageOp[] = [];
  const titleSize = 20 * f;
  ops.push(text(header.x, header.y + (titleSize * 25.4) / 72 * 0.75, measure.fit(c.title, titleSize, header.w, 'bold'), { size: titleSize, font: 'bold' }));
  ops.push(text(header.x, header.y + header.h - 2 * f, c.subtitle, { size: 9 * f, color: '#333333' }));
  ops.push(...frameOps(b, c.grid));
  const bar = scaleBarOps(footer.x, footer.y + 6 * f, c.scale, Math.min(60 * f, footer.w / 4), f);
  ops.push(...bar.ops);
  const arrowX = footer.x + bar.width + 8 * f;
  ops.push(...northArrowOps(arrowX, footer.y + 1.5 * f, f));
  const legendBox: Box = { x: arrowX + 10 * f, y: footer.y + 1 * f, w: footer.w - (arrowX + 10 * f - footer.x), h: footer.h - 7 * f };
  ops.push(...legendOps(legendBox, c.legend, c.lang, f, measure));
  ops.push(text(footer.x + footer.w, footer.y + footer.h - 1 * f, c.attribution, { size: 7 * f, align: 'right', color: '#333333' }));
  return ops;
}
