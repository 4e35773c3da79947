import { strict as assert } from 'node:assert';
import { packShelves, type PackedItem } from '../../../src/styles/sprite_packer.js';

function overlaps(a: PackedItem, b: PackedItem): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('packShelves', () => {
  const items = Array.from({ length: 60 }, (_, i) => ({ id: `i${i}`, width: 10 + (i * 7) % 23, height: 8 + (i * 5) % 17 }));

  it('places every item without overlap, padding included', () => {
    const r = packShelves(items, { maxWidth: 128, padding: 1 });
    assert.equal(r.items.length, items.length);
    for (let i = 0; i < r.items.length; i++) {
      for (let j = i + 1; j < r.items.length; j++) {
        const a = r.items[i];
        const b = r.items[j];
        assert.ok(!overlaps({ ...a, width: a.width + 1, height: a.height + 1 }, b), `${a.id} overlaps ${b.id}`);
      }
    }
  });

  it('keeps every item inside the sheet and the sheet within maxWidth', () => {
    const r = packShelves(items, { maxWidth: 128, padding: 1 });
    assert.ok(r.width <= 128);
    for (const it of r.items) assert.ok(it.x + it.width <= r.width && it.y + it.height <= r.height, it.id);
  });

  it('gives an item wider than maxWidth a shelf of its own', () => {
    const r = packShelves([{ id: 'wide', width: 300, height: 5 }, { id: 'a', width: 5, height: 5 }], { maxWidth: 100, padding: 0 });
    const wide = r.items.find((i) => i.id === 'wide')!;
    const a = r.items.find((i) => i.id === 'a')!;
    assert.notEqual(wide.y, a.y);
    assert.equal(r.width, 300);
  });

  it('is deterministic', () => {
    assert.deepEqual(packShelves(items, { maxWidth: 128, padding: 1 }), packShelves([...items].reverse(), { maxWidth: 128, padding: 1 }));
  });
});
