/**
 * What a style reads from the tiles: for each layer, its source-layer and
 * every feature field its filter, layout and paint look at (`get`, `has`,
 * `!has`, legacy filters' keys, `{field}` tokens of text-field and icon-image).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface FieldUse {
  layerId: string;
  sourceLayer: string;
  field: string;
}

const LEGACY_FILTER_OPS = new Set(['==', '!=', '<', '<=', '>', '>=', 'in', '!in', 'has', '!has']);
// geometry type and id are not attributes
const NOT_FIELDS = new Set(['$type', '$id']);

function walk(v: Json, out: Set<string>, inFilter: boolean): void {
  if (typeof v === 'string') {
    for (const m of v.matchAll(/\{([^{}]+)\}/g)) out.add(m[1]);
    return;
  }
  if (Array.isArray(v)) {
    const op = v[0];
    if (op === 'literal') return;
    if ((op === 'get' || op === 'has' || op === '!has') && typeof v[1] === 'string' && v.length === 2) {
      out.add(v[1]);
      return;
    }
    // legacy filter: ["==", "class", "x"] names a field as its second element
    if (inFilter && typeof op === 'string' && LEGACY_FILTER_OPS.has(op) && typeof v[1] === 'string' && !Array.isArray(v[1])) {
      out.add(v[1]);
      for (const e of v.slice(2)) if (Array.isArray(e)) walk(e, out, inFilter);
      return;
    }
    for (const e of v.slice(1)) if (Array.isArray(e) || (e !== null && typeof e === 'object')) walk(e, out, inFilter);
    return;
  }
  if (v !== null && typeof v === 'object') for (const e of Object.values(v)) walk(e, out, inFilter);
}

/** Every (layer, source-layer, field) a style reads, `$type` and the like left out. */
export function fieldsReadBy(style: { layers: Array<Record<string, Json>> }): FieldUse[] {
  const uses: FieldUse[] = [];
  for (const layer of style.layers) {
    const sourceLayer = layer['source-layer'];
    if (typeof sourceLayer !== 'string') continue;
    const fields = new Set<string>();
    if (layer.filter !== undefined) walk(layer.filter, fields, true);
    const layout = (layer.layout ?? {}) as Record<string, Json>;
    for (const [k, v] of Object.entries(layout)) {
      if (typeof v === 'string' && k !== 'text-field' && k !== 'icon-image') continue;
      walk(v, fields, false);
    }
    for (const v of Object.values((layer.paint ?? {}) as Record<string, Json>)) if (typeof v !== 'string') walk(v, fields, false);
    for (const field of fields) if (!NOT_FIELDS.has(field)) uses.push({ layerId: String(layer.id), sourceLayer, field });
  }
  return uses;
}
