/**
 * The first page of a plan as PNG, drawn with @napi-rs/canvas from the same page
 * operations as the PDF. The page is drawn at the plan's dpi, lowered when the
 * page would pass `maxPixels` (an A0 at 300 dpi would be 140 megapixels).
 */
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { PLAN_FONT_FILES } from './plan_fonts.js';
import type { PageOp, PlanDocument } from './page_model.js';

let registered = false;

function registerFonts(): void {
  if (registered) return;
  GlobalFonts.registerFromPath(PLAN_FONT_FILES.regular, 'Plan Noto Sans');
  GlobalFonts.registerFromPath(PLAN_FONT_FILES.bold, 'Plan Noto Sans Bold');
  registered = true;
}

export async function writePng(plan: PlanDocument, opts: { dpi: number; maxPixels?: number }): Promise<Buffer> {
  registerFonts();
  const page = plan.pages[0];
  const maxPixels = opts.maxPixels ?? 40e6;
  let pxPerMm = opts.dpi / 25.4;
  const area = page.widthMm * page.heightMm * pxPerMm * pxPerMm;
  if (area > maxPixels) pxPerMm *= Math.sqrt(maxPixels / area);
  const canvas = createCanvas(Math.round(page.widthMm * pxPerMm), Math.round(page.heightMm * pxPerMm));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(pxPerMm, pxPerMm);
  const mmPerPt = 25.4 / 72;
  for (const op of page.ops as PageOp[]) {
    switch (op.kind) {
      case 'image': {
        const img = await loadImage(op.jpeg);
        ctx.drawImage(img, op.x, op.y, op.w, op.h);
        break;
      }
      case 'rect':
        if (op.fill) {
          ctx.fillStyle = op.fill;
          ctx.fillRect(op.x, op.y, op.w, op.h);
        }
        if (op.stroke) {
          ctx.strokeStyle = op.stroke;
          ctx.lineWidth = op.width ?? 0.2;
          ctx.strokeRect(op.x, op.y, op.w, op.h);
        }
        break;
      case 'line':
        ctx.globalAlpha = op.opacity ?? 1;
        ctx.strokeStyle = op.color;
        ctx.lineWidth = op.width;
        ctx.beginPath();
        op.points.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
        ctx.stroke();
        ctx.globalAlpha = 1;
        break;
      case 'polygon':
        ctx.fillStyle = op.fill;
        ctx.beginPath();
        op.points.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
        ctx.closePath();
        ctx.fill();
        break;
      case 'text':
        ctx.fillStyle = op.color;
        ctx.font = `${op.size * mmPerPt}px "${op.font === 'bold' ? 'Plan Noto Sans Bold' : 'Plan Noto Sans'}"`;
        ctx.textAlign = op.align;
        ctx.textBaseline = 'alphabetic';
        ctx.fillText(op.text, op.x, op.y);
        break;
    }
  }
  return canvas.encode('png');
}

