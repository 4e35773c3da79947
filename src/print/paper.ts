/** ISO 216 paper sizes, exact, in millimetres. */
import { TuilerieError } from '../core/errors.js';

export type PaperName = 'A0' | 'A1' | 'A2' | 'A3' | 'A4';
export type Orientation = 'portrait' | 'landscape';

const PORTRAIT_MM: Record<PaperName, [number, number]> = {
  A0: [841, 1189],
  A1: [594, 841],
  A2: [420, 594],
  A3: [297, 420],
  A4: [210, 297],
};

export const PAPER_NAMES = Object.keys(PORTRAIT_MM) as PaperName[];

/** PDF points per millimetre (72 pt to the inch). */
export const PT_PER_MM = 72 / 25.4;

export interface PaperSize {
  name: PaperName;
  orientation: Orientation;
  widthMm: number;
  heightMm: number;
}

export function paperSize(name: string, orientation: Orientation): PaperSize {
  const key = name.toUpperCase() as PaperName;
  const p = PORTRAIT_MM[key];
  if (!p) throw new TuilerieError('BAD_REQUEST', `unknown paper "${name}": use one of ${PAPER_NAMES.join(', ')}`);
  const [w, h] = orientation === 'landscape' ? [p[1], p[0]] : p;
  return { name: key, orientation, widthMm: w, heightMm: h };
}
