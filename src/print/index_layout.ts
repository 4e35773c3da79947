/**
 * The indexes set in columns: first in the side column of the map page (when
 * there is one), then on as many following pages as they need. Each entry is
 * the name on the left and its squares on the right; squares that do not fit
 * beside the name go on a second line.
 */
import { text, type PageModel, type PageOp } from './page_model.js';
import { formatSquares, type IndexEntry, type PoiCategory } from './plan_index.js';
import { indexLetter } from './street_name.js';
import type { PlanLang } from './plan_options.js';
import type { TextMeasure } from './plan_fonts.js';
import type { Box } from './plan_layout.js';

export interface IndexLayoutInput {
  streets: IndexEntry[];
  pois: PoiCategory[];
  lang: PlanLang;
  /** Type size factor of the page. */
  f: number;
  /** The side column of the map page, if any. */
  side?: Box;
  page: { widthMm: number; heightMm: number };
  /** Heading of continuation pages. */
  title: string;
}

type Item =
  | { kind: 'section'; text: string }
  | { kind: 'letter'; text: string }
  | { kind: 'entry'; name: string; squares: string };

const TITLES: Record<PlanLang, { streets: string; places: string; cont: string }> = {
  fr: { streets: 'Index des rues', places: 'Lieux remarquables', cont: 'index' },
  de: { streets: 'Straßenverzeichnis', places: 'Wichtige Orte', cont: 'Verzeichnis' },
};

function items(input: IndexLayoutInput): Item[] {
  const out: Item[] = [{ kind: 'section', text: TITLES[input.lang].streets }];
  let letter = '';
  for (const e of input.streets) {
    const l = indexLetter(e.label);
    if (l !== letter) out.push({ kind: 'letter', text: (letter = l) });
    out.push({ kind: 'entry', name: e.label, squares: formatSquares(e.squares) });
  }
  if (input.pois.length) {
    out.push({ kind: 'section', text: TITLES[input.lang].places });
    for (const cat of input.pois) {
      out.push({ kind: 'letter', text: cat.title[input.lang] });
      for (const e of cat.entries) out.push({ kind: 'entry', name: e.label, squares: formatSquares(e.squares) });
    }
  }
  return out;
}

function splitColumns(box: Box, minColW: number, gap: number): Box[] {
  const n = Math.max(1, Math.floor((box.w + gap) / (minColW + gap)));
  const w = (box.w - (n - 1) * gap) / n;
  return Array.from({ length: n }, (_, i) => ({ x: box.x + i * (w + gap), y: box.y, w, h: box.h }));
}

/** "A1, A2, B2, …" cut into lines no wider than `maxMm`, at commas. */
export function packSquares(squares: string, maxMm: number, width: (s: string) => number): string[] {
  const parts = squares.split(', ');
  const lines: string[] = [];
  let cur = '';
  for (const p of parts) {
    const next = cur ? `${cur}, ${p}` : p;
    if (cur && width(next + ',') > maxMm) {
      lines.push(cur + ',');
      cur = p;
    } else cur = next;
  }
  lines.push(cur);
  return lines;
}

/** Words of `s` in lines no wider than `maxMm` (continuation lines are indented by the caller). */
export function wrapWords(s: string, maxMm: number, width: (s: string) => number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of s.split(' ')) {
    const next = cur ? `${cur} ${w}` : w;
    if (cur && width(next) > maxMm * (lines.length ? 0.95 : 1)) {
      lines.push(cur);
      cur = w;
    } else cur = next;
  }
  lines.push(cur);
  return lines;
}

export interface IndexLayout {
  /** Ops for the side column of the map page. */
  sideOps: PageOp[];
  /** Pages after the map page. */
  pages: PageModel[];
}

export function layoutIndex(input: IndexLayoutInput, measure: TextMeasure): IndexLayout {
  const { f, page } = input;
  const size = 6.5 * Math.sqrt(f);
  const mmPt = 25.4 / 72;
  const lh = size * 1.3 * mmPt;
  const gap = 4 * f, minColW = 44 * Math.sqrt(f);
  const margin = 10 * f;
  const list = items(input);
  const sideOps: PageOp[] = [];
  const pages: PageModel[] = [];
  let columns: Box[] = input.side ? splitColumns(input.side, minColW, gap) : [];
  let ops: PageOp[] = sideOps;
  let col = 0, y = columns[0]?.y ?? 0;

  const nextColumn = (): void => {
    col++;
    if (col < columns.length) {
      y = columns[col].y;
      return;
    }
    const pageOps: PageOp[] = [];
    pageOps.push(text(margin, margin + 5 * f, `${input.title} — ${TITLES[input.lang].cont}`, { size: 11 * f, font: 'bold' }));
    pages.push({ widthMm: page.widthMm, heightMm: page.heightMm, ops: pageOps });
    ops = pageOps;
    columns = splitColumns({ x: margin, y: margin + 10 * f, w: page.widthMm - 2 * margin, h: page.heightMm - 2 * margin - 10 * f }, minColW, gap);
    col = 0;
    y = columns[0].y;
  };
  if (!columns.length) {
    col = -1;
    nextColumn();
  }
  const room = (mm: number) => y + mm <= columns[col].y + columns[col].h;

  for (let i = 0; i < list.length; i++) {
    const it = list[i];
    if (it.kind === 'section' || it.kind === 'letter') {
      const h = it.kind === 'section' ? 2.2 * lh : 1.5 * lh;
      // a heading never ends a column
      if (!room(h + lh)) nextColumn();
      if (it.kind === 'section' && y > columns[col].y) y += 0.6 * lh;
      const c = columns[col];
      const sz = it.kind === 'section' ? size * 1.35 : size;
      ops.push(text(c.x, y + h - 0.45 * lh, measure.fit(it.text, sz, c.w, 'bold'), { size: sz, font: 'bold', color: it.kind === 'section' ? '#000000' : '#3b5b8c' }));
      if (it.kind === 'section') ops.push({ kind: 'line', points: [[c.x, y + h - 0.15 * lh], [c.x + c.w, y + h - 0.15 * lh]], width: 0.2 * f, color: '#000000' });
      y += h;
      continue;
    }
    const c = columns[col];
    const sqLines = packSquares(it.squares, c.w - 4 * f, (t) => measure.width(t, size, 'bold'));
    const lastW = measure.width(sqLines[sqLines.length - 1], size, 'bold');
    const nameW = measure.width(it.name, size);
    const beside = sqLines.length === 1 && nameW + lastW + 2 * f <= c.w;
    const nameLines = beside ? [it.name] : wrapWords(it.name, c.w, (t) => measure.width(t, size));
    // a wrapped name takes its squares on its last line when they fit there
    const indent = 2 * f;
    const tail = !beside && sqLines.length === 1 && nameLines.length > 1 && indent + measure.width(nameLines[nameLines.length - 1], size) + lastW + 2 * f <= c.w;
    const sqFirst = beside || tail ? nameLines.length - 1 : nameLines.length;
    const h = (sqFirst + sqLines.length) * lh;
    if (!room(h)) nextColumn();
    const cc = columns[col];
    const base = y + lh * 0.75;
    nameLines.forEach((line, k) => ops.push(text(cc.x + (k ? indent : 0), base + k * lh, measure.fit(line, size, cc.w - (k ? indent : 0)), { size })));
    sqLines.forEach((line, k) => ops.push(text(cc.x + cc.w, base + (sqFirst + k) * lh, line, { size, font: 'bold', align: 'right' })));
    y += h;
  }
  return { sideOps, pages };
}
