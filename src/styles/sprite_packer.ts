/**
 * Shelf packing of sprite images: tallest first, left to right on shelves of a
 * fixed width, a new shelf when a row is full. Good enough for a few hundred
 * icons of similar size, and deterministic, so sprites rebuild byte-identical.
 */
export interface PackItem { id: string; width: number; height: number }
export interface PackedItem extends PackItem { x: number; y: number }
export interface PackResult { width: number; height: number; items: PackedItem[] }

export interface PackOptions {
  /** Shelf width in pixels; wider items get a shelf of their own width. */
  maxWidth: number;
  /** Empty pixels kept around every item so linear filtering never bleeds between icons. */
  padding: number;
}

export function packShelves(items: PackItem[], opts: PackOptions): PackResult {
  const sorted = [...items].sort((a, b) => b.height - a.height || b.width - a.width || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const pad = opts.padding;
  const out: PackedItem[] = [];
  let x = pad;
  let y = pad;
  let shelfHeight = 0;
  let width = 0;
  for (const it of sorted) {
    if (x > pad && x + it.width + pad > opts.maxWidth) {
      y += shelfHeight + pad;
      x = pad;
      shelfHeight = 0;
    }
    out.push({ ...it, x, y });
    x += it.width + pad;
    width = Math.max(width, x);
    shelfHeight = Math.max(shelfHeight, it.height);
  }
  const height = out.length ? y + shelfHeight + pad : 0;
  return { width, height, items: out };
}
