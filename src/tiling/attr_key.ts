/**
 * A string identifying an attribute set regardless of key order, so features with
 * identical attributes can be grouped before merging (types are part of the key:
 * the string "1" and the number 1 are different MVT values).
 */

/** Attribute values as they go into a tile (tiling imports only core, so not schema's Attrs). */
export type TileAttrs = Readonly<Record<string, string | number | boolean | null | undefined>>;

export function attrKey(attrs: TileAttrs): string {
  const keys = Object.keys(attrs).sort();
  let s = '';
  for (const k of keys) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    s += `${k}\u0001${typeof v === 'string' ? 's' : typeof v === 'number' ? 'n' : 'b'}${String(v)}\u0002`;
  }
  return s;
}
