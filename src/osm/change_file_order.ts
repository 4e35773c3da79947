/**
 * The order osmChange files are applied in: by name, with every run of digits compared
 * by its value, so `000012-10000.osc` comes after `000012-2.osc` and a generation past
 * 999,999 after 999,999 — whatever the padding the names were written with.
 */

function chunks(name: string): Array<string | bigint> {
  return (name.match(/\d+|\D+/g) ?? []).map((c) => (/^\d/.test(c) ? BigInt(c) : c));
}

export function compareChangeFileNames(a: string, b: string): number {
  const ca = chunks(a);
  const cb = chunks(b);
  for (let k = 0; k < Math.min(ca.length, cb.length); k++) {
    const x = ca[k];
    const y = cb[k];
    if (x === y) continue;
    if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : 1;
    // A number sorts before text at the same place; two texts compare by code unit.
    if (typeof x === 'bigint') return -1;
    if (typeof y === 'bigint') return 1;
    return x < y ? -1 : 1;
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `names` in application order. */
export function sortChangeFiles(names: readonly string[]): string[] {
  return [...names].sort(compareChangeFileNames);
}
