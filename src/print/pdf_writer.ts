/** A plan document as PDF: vector text (Noto Sans embedded), lines and shapes, the map as JPEG. */
import PDFDocument from 'pdfkit';
import { PLAN_FONT_FILES } from './plan_fonts.js';
import { PT_PER_MM } from './paper.js';
import type { PageModel, PageOp, PlanDocument } from './page_model.js';
import type { TextMeasure } from './plan_fonts.js';

const pt = (mm: number) => mm * PT_PER_MM;

function drawOp(doc: PDFKit.PDFDocument, op: PageOp, measure: TextMeasure): void {
  switch (op.kind) {
    case 'image':
      doc.image(op.jpeg, pt(op.x), pt(op.y), { width: pt(op.w), height: pt(op.h) });
      return;
    case 'rect':
      doc.save();
      doc.rect(pt(op.x), pt(op.y), pt(op.w), pt(op.h));
      if (op.fill && op.stroke) doc.lineWidth(pt(op.width ?? 0.2)).fillAndStroke(op.fill, op.stroke);
      else if (op.fill) doc.fill(op.fill);
      else if (op.stroke) doc.lineWidth(pt(op.width ?? 0.2)).stroke(op.stroke);
      doc.restore();
      return;
    case 'line':
      doc.save();
      doc.moveTo(pt(op.points[0][0]), pt(op.points[0][1]));
      for (const p of op.points.slice(1)) doc.lineTo(pt(p[0]), pt(p[1]));
      doc.lineWidth(pt(op.width)).lineCap('butt').strokeOpacity(op.opacity ?? 1).stroke(op.color);
      doc.restore();
      return;
    case 'polygon':
      doc.save();
      doc.moveTo(pt(op.points[0][0]), pt(op.points[0][1]));
      for (const p of op.points.slice(1)) doc.lineTo(pt(p[0]), pt(p[1]));
      doc.closePath().fill(op.fill);
      doc.restore();
      return;
    case 'text': {
      const w = measure.width(op.text, op.size, op.font);
      const x = op.align === 'left' ? op.x : op.align === 'center' ? op.x - w / 2 : op.x - w;
      doc.font(op.font).fontSize(op.size).fillColor(op.color).text(op.text, pt(x), pt(op.y), { lineBreak: false, baseline: 'alphabetic' });
      return;
    }
  }
}

function drawPage(doc: PDFKit.PDFDocument, page: PageModel, measure: TextMeasure): void {
  doc.addPage({ size: [pt(page.widthMm), pt(page.heightMm)], margin: 0 });
  for (const op of page.ops) drawOp(doc, op, measure);
}

export function writePdf(plan: PlanDocument, measure: TextMeasure): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, compress: true, info: { Title: plan.title, Subject: plan.subject, Keywords: plan.keywords ?? '', Creator: 'Tuilerie', Producer: 'Tuilerie (pdfkit)' } });
  for (const [face, file] of Object.entries(PLAN_FONT_FILES)) doc.registerFont(face, file);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const page of plan.pages) drawPage(doc, page, measure);
  doc.end();
  return done;
}
