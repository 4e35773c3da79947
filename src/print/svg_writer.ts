/**
 * A plan document as SVG, one document per page (pages after the first are
 * stacked below it): the map as an embedded JPEG, everything else as vector.
 */
import type { PageOp, PlanDocument } from './page_model.js';
import type { TextMeasure } from './plan_fonts.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => Number(v.toFixed(3));
const MM_PER_PT = 25.4 / 72;

function opSvg(op: PageOp, dy: number): string {
  switch (op.kind) {
    case 'image':
      return `<image x="${n(op.x)}" y="${n(op.y + dy)}" width="${n(op.w)}" height="${n(op.h)}" preserveAspectRatio="none" href="data:image/jpeg;base64,${op.jpeg.toString('base64')}"/>`;
    case 'rect':
      return `<rect x="${n(op.x)}" y="${n(op.y + dy)}" width="${n(op.w)}" height="${n(op.h)}" fill="${op.fill ?? 'none'}"${op.stroke ? ` stroke="${op.stroke}" stroke-width="${n(op.width ?? 0.2)}"` : ''}/>`;
    case 'line':
      return `<polyline points="${op.points.map((p) => `${n(p[0])},${n(p[1] + dy)}`).join(' ')}" fill="none" stroke="${op.color}" stroke-width="${n(op.width)}"${op.opacity !== undefined ? ` stroke-opacity="${op.opacity}"` : ''}/>`;
    case 'polygon':
      return `<polygon points="${op.points.map((p) => `${n(p[0])},${n(p[1] + dy)}`).join(' ')}" fill="${op.fill}"/>`;
    case 'text': {
      const anchor = op.align === 'left' ? 'start' : op.align === 'center' ? 'middle' : 'end';
      return `<text x="${n(op.x)}" y="${n(op.y + dy)}" font-size="${n(op.size * MM_PER_PT)}" font-weight="${op.font === 'bold' ? 700 : 400}" text-anchor="${anchor}" fill="${op.color}">${esc(op.text)}</text>`;
    }
  }
}

export function writeSvg(plan: PlanDocument, _measure?: TextMeasure): Buffer {
  const w = Math.max(...plan.pages.map((p) => p.widthMm));
  const h = plan.pages.reduce((s, p) => s + p.heightMm, 0);
  const parts: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}mm" height="${h}mm" viewBox="0 0 ${w} ${h}" font-family="Noto Sans, sans-serif">`,
    `<title>${esc(plan.title)}</title>`,
  ];
  let dy = 0;
  for (const page of plan.pages) {
    parts.push(`<rect x="0" y="${dy}" width="${page.widthMm}" height="${page.heightMm}" fill="#ffffff"/>`);
    for (const op of page.ops) parts.push(opSvg(op, dy));
    dy += page.heightMm;
  }
  parts.push('</svg>');
  return Buffer.from(parts.join('\n'));
}
