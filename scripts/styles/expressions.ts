/**
 * Small builders of MapLibre expressions shared by the layer builders, so the
 * layers read as design decisions (widths per zoom, classes) rather than JSON.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Layer = { [k: string]: Json };

/** An exponential zoom ramp through `[zoom, value]` stops. */
export function ramp(stops: Array<[number, Json]>, base = 1.5): Json[] {
  return ['interpolate', ['exponential', base], ['zoom'], ...stops.flat()];
}

/** A linear zoom ramp (opacities, colours). */
export function linear(stops: Array<[number, Json]>): Json[] {
  return ['interpolate', ['linear'], ['zoom'], ...stops.flat()];
}

/** `value` of `field` is one of `values` (a missing field matches none). */
export function isIn(field: string, values: readonly string[]): Json[] {
  return ['match', ['coalesce', ['get', field], ''], [...values], true, false];
}

export function eq(field: string, value: string | number): Json[] {
  return ['==', ['get', field], value];
}

/** Line features, single or multi (`geometry-type` tells them apart). */
export const IS_LINE: Json[] = ['match', ['geometry-type'], ['LineString', 'MultiLineString'], true, false];
export const IS_POLYGON: Json[] = ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false];
export const IS_POINT: Json[] = ['match', ['geometry-type'], ['Point', 'MultiPoint'], true, false];

/** `match` on `input` from a `{label: output}` table, with a fallback. */
export function matchTable(input: Json, table: Record<string, Json>, fallback: Json): Json[] {
  const out: Json[] = ['match', input];
  for (const [k, v] of Object.entries(table)) out.push(k, v);
  out.push(fallback);
  return out;
}

export const FONT_REGULAR = ['Noto Sans Regular'];
export const FONT_BOLD = ['Noto Sans Bold'];
export const FONT_ITALIC = ['Noto Sans Italic'];

/**
 * The local name; name:latin for archives that have no plain `name` (tilemaker's).
 * The server's `?lang=` rewrites both lookups to the chosen language with fallback.
 */
export const NAME: Json[] = ['coalesce', ['get', 'name'], ['get', 'name:latin']];

/**
 * "Basel / Bâle": the local name followed by the other of name:fr / name:de,
 * when the place has both and they differ. Under `?lang=xx` the server turns
 * every name lookup into the same `name:xx` fallback chain, so the two sides
 * compare equal and the label falls back to the single chosen name.
 */
export const BILINGUAL_NAME: Json[] = [
  'case',
  ['all', ['has', 'name:fr'], ['has', 'name:de'], ['!=', ['get', 'name:fr'], ['get', 'name:de']]],
  [
    'case',
    ['==', ['get', 'name'], ['get', 'name:de']], ['concat', ['get', 'name'], ' / ', ['get', 'name:fr']],
    ['==', ['get', 'name'], ['get', 'name:fr']], ['concat', ['get', 'name'], ' / ', ['get', 'name:de']],
    NAME,
  ],
  NAME,
];
