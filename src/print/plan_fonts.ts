/**
 * The fonts of a plan (Noto Sans, so that French and German accents render)
 * and text measurement with the same font files the writers embed.
 */
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import { TuilerieError } from '../core/errors.js';
import type { FontFace } from './page_model.js';

/** Where Debian's fonts-noto-core puts them (installed by `npm run setup`). */
const NOTO_DIR = '/usr/share/fonts/truetype/noto';

export const PLAN_FONT_FILES: Record<FontFace, string> = {
  regular: `${NOTO_DIR}/NotoSans-Regular.ttf`,
  bold: `${NOTO_DIR}/NotoSans-Bold.ttf`,
};

export function checkPlanFonts(): void {
  for (const f of Object.values(PLAN_FONT_FILES)) {
    if (!fs.existsSync(f)) throw new TuilerieError('CONFIG_ERROR', `font ${f} is missing: install the Debian package fonts-noto-core (npm run setup does)`);
  }
}

const MM_PER_PT = 25.4 / 72;

/** Widths of strings in millimetres, measured with pdfkit's font engine. */
export class TextMeasure {
  private readonly doc: PDFKit.PDFDocument;

  constructor() {
    checkPlanFonts();
    this.doc = new PDFDocument({ autoFirstPage: false });
    for (const [face, file] of Object.entries(PLAN_FONT_FILES)) this.doc.registerFont(face, file);
  }

  width(s: string, size: number, font: FontFace = 'regular'): number {
    return this.doc.font(font).fontSize(size).widthOfString(s) * MM_PER_PT;
  }

  /** `s`, cut with an ellipsis to fit `maxMm`. */
  fit(s: string, size: number, maxMm: number, font: FontFace = 'regular'): string {
    if (this.width(s, size, font) <= maxMm) return s;
    let lo = 0, hi = s.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.width(s.slice(0, mid) + '…', size, font) <= maxMm) lo = mid;
      else hi = mid - 1;
    }
    return s.slice(0, lo).trimEnd() + '…';
  }
}
