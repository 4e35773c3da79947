import assert from 'node:assert/strict';
import { paperSize, PT_PER_MM } from '../../../src/print/paper.js';
import { isTuilerieError } from '../../../src/core/errors.js';

describe('print/paper', () => {
  it('A3 landscape is 420 × 297 mm', () => {
    const p = paperSize('A3', 'landscape');
    assert.deepEqual([p.widthMm, p.heightMm], [420, 297]);
  });
  it('A0 portrait is 841 × 1189 mm and A4 portrait 210 × 297 mm', () => {
    assert.deepEqual([paperSize('A0', 'portrait').widthMm, paperSize('A0', 'portrait').heightMm], [841, 1189]);
    assert.deepEqual([paperSize('a4', 'portrait').widthMm, paperSize('a4', 'portrait').heightMm], [210, 297]);
  });
  it('A3 landscape in points is what pdfinfo reports for A3 (1190.55 × 841.89)', () => {
    const p = paperSize('A3', 'landscape');
    assert.equal((p.widthMm * PT_PER_MM).toFixed(2), '1190.55');
    assert.equal((p.heightMm * PT_PER_MM).toFixed(2), '841.89');
  });
  it('an unknown paper is a BAD_REQUEST naming the valid ones', () => {
    assert.throws(() => paperSize('B5', 'portrait'), (e) => isTuilerieError(e, 'BAD_REQUEST') && /A0, A1/.test(e.message));
  });
});
