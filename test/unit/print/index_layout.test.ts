import assert from 'node:assert/strict';
import { layoutIndex, packSquares, wrapWords } from '../../../src/print/index_layout.js';
import { TextMeasure } from '../../../src/print/plan_fonts.js';
import type { IndexEntry } from '../../../src/print/plan_index.js';
import type { TextOp } from '../../../src/print/page_model.js';

const measure = new TextMeasure();

function streets(n: number): IndexEntry[] {
  return Array.from({ length: n }, (_, i) => ({ name: `Rue ${i}`, label: `Rue numéro ${String(i).padStart(4, '0')}`, squares: [[i % 5, i % 4], [(i + 1) % 5, i % 4]] as [number, number][] }));
}

const texts = (ops: { kind: string }[]) => ops.filter((o): o is TextOp => o.kind === 'text').map((o) => o.text);

describe('print/index_layout', () => {
  it('packs square lists into lines at commas', () => {
    const lines = packSquares('A1, A2, B3, C4, D5', 20, (s) => s.length * 2);
    assert.ok(lines.length > 1);
    assert.equal(lines.join(' ').replace(/,\s*/g, ','), 'A1,A2,B3,C4,D5');
  });
  it('wraps long names at spaces', () => {
    assert.deepEqual(wrapWords('a bb ccc dddd', 7, (s) => s.length), ['a bb', 'ccc', 'dddd']);
  });
  it('continues on following pages when the side column is full, losing no entry', () => {
    const list = streets(600);
    const out = layoutIndex({ streets: list, pois: [], lang: 'fr', f: 1, side: { x: 300, y: 30, w: 100, h: 200 }, page: { widthMm: 420, heightMm: 297 }, title: 'Test' }, measure);
    assert.ok(out.pages.length >= 1, 'overflow pages');
    const all = [...texts(out.sideOps), ...out.pages.flatMap((p) => texts(p.ops))];
    for (const e of list) assert.ok(all.includes(e.label), `${e.label} is missing`);
  });
  it('keeps every entry inside its page', () => {
    const out = layoutIndex({ streets: streets(400), pois: [], lang: 'fr', f: 1, page: { widthMm: 210, heightMm: 297 }, title: 'Test' }, measure);
    for (const p of out.pages) {
      for (const o of p.ops) if (o.kind === 'text') assert.ok(o.y > 0 && o.y < 297 - 5 && o.x >= 0 && o.x <= 210, `${o.text} at ${o.x},${o.y}`);
    }
  });
});
