/**
 * Turns a stored style into the document a client gets from this server:
 * sources, glyphs and sprite pointed at us, and labels switched to a language.
 * Pure: the input is never mutated, no HTTP in here.
 *
 * URL placeholders understood (the first two are tileserver-gl's, so its
 * styles move over unchanged):
 * - `mbtiles://{id}`, `mbtiles://id`, `pmtiles://{id}` → this server's TileJSON of data source `id`.
 * - relative glyphs such as `{fontstack}/{range}.pbf` and relative sprites → our font and sprite routes.
 * - Tuilerie's own, used by the styles in /styles: `tuilerie://data/{id}` → TileJSON of
 *   source `id`; any other `tuilerie://PATH` → `{base}/PATH` (e.g.
 *   `tuilerie://fonts/{fontstack}/{range}.pbf`, `tuilerie://styles/tuilerie-bright/sprite`).
 * - any other (remote) vector or raster source → the data source chosen by `resolveSource`
 *   (e.g. upstream OpenMapTiles styles pointing at MapTiler), or left as is.
 */

export interface StyleRewriteOptions {
  /** Absolute base URL of this server, no trailing slash. */
  baseUrl: string;
  /** Id under which the style is served (its sprite lives at /styles/{id}/sprite). */
  styleId: string;
  /** Data source id for a style source that does not name one of ours, or undefined to keep it. */
  resolveSource?: (name: string, source: Readonly<Record<string, unknown>>) => string | undefined;
  /**
   * The served data source id an archive URL names: tileserver-gl styles name a source by its
   * id (`mbtiles://{id}`) or by its file (`mbtiles://zurich.mbtiles`). Default: the name as written.
   */
  archiveSource?: (ref: string) => string;
  /** Language for labels (`fr`, `de`, `gsw`, …): label fields become `name:{lang}`, falling back to `name`. */
  lang?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const OURS = 'tuilerie://';

/** The data source id an archive URL names (`mbtiles://{id}`, `pmtiles://id`, `tuilerie://data/id`), if any. */
export function archiveUrlSourceId(url: string): string | undefined {
  const m = /^(?:mbtiles|pmtiles):\/\/\{?([^{}/]+?)\}?(?:\.(?:mbtiles|pmtiles))?$/.exec(url) ?? /^tuilerie:\/\/data\/\{?([^{}/]+?)\}?(?:\.json)?$/.exec(url);
  return m?.[1];
}

function rewriteSources(sources: JsonObject, opts: StyleRewriteOptions): JsonObject {
  const out: JsonObject = {};
  for (const [name, src0] of Object.entries(sources)) {
    if (typeof src0 !== 'object' || src0 === null || Array.isArray(src0)) {
      out[name] = src0;
      continue;
    }
    const src: JsonObject = { ...src0 };
    const url = typeof src.url === 'string' ? src.url : undefined;
    const ref = url ? archiveUrlSourceId(url) : undefined;
    let id = ref !== undefined && opts.archiveSource ? opts.archiveSource(ref) : ref;
    if (id === undefined && (src.type === 'vector' || src.type === 'raster' || src.type === 'raster-dem')) {
      id = opts.resolveSource?.(name, src0);
    }
    if (id !== undefined) {
      src.url = `${opts.baseUrl}/data/${encodeURIComponent(id)}.json`;
      delete src.tiles;
    } else if (url?.startsWith(OURS)) {
      src.url = opts.baseUrl + '/' + url.slice(OURS.length);
    }
    if (Array.isArray(src.tiles)) {
      src.tiles = src.tiles.map((t) => (typeof t === 'string' && t.startsWith(OURS) ? opts.baseUrl + '/' + t.slice(OURS.length) : t));
    }
    out[name] = src;
  }
  return out;
}

function rewriteSprite(sprite: Json, opts: StyleRewriteOptions): Json {
  const ours = `${opts.baseUrl}/styles/${encodeURIComponent(opts.styleId)}/sprite`;
  if (typeof sprite === 'string') return sprite.startsWith(OURS) ? opts.baseUrl + '/' + sprite.slice(OURS.length) : ours;
  if (Array.isArray(sprite)) {
    return sprite.map((s) => {
      if (typeof s !== 'object' || s === null || Array.isArray(s) || typeof s.url !== 'string') return s;
      return { ...s, url: s.url.startsWith(OURS) ? opts.baseUrl + '/' + s.url.slice(OURS.length) : `${ours}/${encodeURIComponent(String(s.id))}` };
    });
  }
  return sprite;
}

// ---- labels -------------------------------------------------------------------------------

const NAME_FIELD = /^name(?::latin|_int|_en|_de|:[a-z]{2,3}(?:[-_][A-Za-z0-9]+)?)?$/;
const NONLATIN = 'name:nonlatin';

/**
 * name:xx, else name. name:latin comes last for archives without a plain
 * `name` (tilemaker's OpenMapTiles example writes only name:latin), where the
 * label would otherwise vanish.
 */
function localized(lang: string): Json {
  return ['coalesce', ['get', `name:${lang}`], ['get', 'name'], ['get', 'name:latin']];
}

const isWhitespaceLiteral = (v: Json): boolean => typeof v === 'string' && v.trim() === '';

/** Concat parts without the non-latin name and the separator that introduced it. */
function dropNonLatin(parts: Json[], isNonLatin: (p: Json) => boolean): Json[] {
  const out: Json[] = [];
  for (const p of parts) {
    if (isNonLatin(p)) {
      if (out.length > 0 && isWhitespaceLiteral(out[out.length - 1])) out.pop();
      continue;
    }
    out.push(p);
  }
  return out;
}

const isNonLatinGet = (p: Json): boolean => Array.isArray(p) && p[0] === 'get' && p[1] === NONLATIN && p.length === 2;

/** Legacy `{field}` token strings → an expression, or undefined when no name field is involved. */
function localizeTokenString(text: string, lang: string): Json | undefined {
  const parts: Json[] = [];
  let named = false;
  const re = /\{([^{}]+)\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const field = m[1];
    if (field === NONLATIN) {
      named = true;
      parts.push(['get', NONLATIN]);
    } else if (NAME_FIELD.test(field)) {
      named = true;
      parts.push(localized(lang));
    } else parts.push(['to-string', ['get', field]]);
    last = re.lastIndex;
  }
  if (!named) return undefined;
  if (last < text.length) parts.push(text.slice(last));
  const kept = dropNonLatin(parts, isNonLatinGet).filter((p, i, all) => !(i === all.length - 1 && isWhitespaceLiteral(p) && all.length > 1));
  if (kept.length === 0) return '';
  return kept.length === 1 ? kept[0] : ['concat', ...kept];
}

/** Walks an expression replacing name lookups. */
function localizeExpression(expr: Json, lang: string): Json {
  if (!Array.isArray(expr)) return expr;
  if (expr[0] === 'get' && expr.length === 2 && typeof expr[1] === 'string') {
    if (expr[1] === NONLATIN) return '';
    if (NAME_FIELD.test(expr[1])) return localized(lang);
    return expr;
  }
  if (expr[0] === 'literal') return expr;
  if (expr[0] === 'concat') {
    const kept = dropNonLatin(expr.slice(1), isNonLatinGet).map((p) => localizeExpression(p, lang));
    return kept.length === 1 ? ['to-string', kept[0]] : ['concat', ...kept];
  }
  return expr.map((e, i) => (i === 0 ? e : localizeExpression(e, lang)));
}

function localizeTextField(value: Json, lang: string): Json {
  if (typeof value === 'string') return localizeTokenString(value, lang) ?? value;
  if (Array.isArray(value)) return localizeExpression(value, lang);
  if (value && typeof value === 'object' && Array.isArray(value.stops)) {
    // A legacy zoom function cannot output expressions: rewrite it as a step expression.
    const stops = value.stops as Json[];
    const outs = stops.map((s) => (Array.isArray(s) ? localizeTextField(s[1], lang) : s));
    if (!stops.every((s) => Array.isArray(s) && typeof s[0] === 'number') || value.property !== undefined) return value;
    const expr: Json[] = ['step', ['zoom'], outs[0]];
    for (let i = 1; i < stops.length; i++) expr.push((stops[i] as Json[])[0], outs[i]);
    return expr;
  }
  return value;
}

function localizeLayers(layers: Json[], lang: string): Json[] {
  return layers.map((layer) => {
    if (typeof layer !== 'object' || layer === null || Array.isArray(layer)) return layer;
    const layout = layer.layout;
    if (typeof layout !== 'object' || layout === null || Array.isArray(layout) || layout['text-field'] === undefined) return layer;
    return { ...layer, layout: { ...layout, 'text-field': localizeTextField(layout['text-field'], lang) } };
  });
}

/** A copy of `style` ready to hand to a client of this server. */
export function rewriteStyle(style: Readonly<Record<string, unknown>>, opts: StyleRewriteOptions): Record<string, unknown> {
  const src = style as JsonObject;
  const out: JsonObject = { ...src };
  if (src.sources && typeof src.sources === 'object' && !Array.isArray(src.sources)) out.sources = rewriteSources(src.sources, opts);
  if (typeof src.glyphs === 'string' || Array.isArray(src.layers)) {
    out.glyphs = typeof src.glyphs === 'string' && src.glyphs.startsWith(OURS) ? opts.baseUrl + '/' + src.glyphs.slice(OURS.length) : `${opts.baseUrl}/fonts/{fontstack}/{range}.pbf`;
  }
  if (src.sprite !== undefined) out.sprite = rewriteSprite(src.sprite, opts);
  if (opts.lang && Array.isArray(src.layers)) out.layers = localizeLayers(src.layers, opts.lang);
  return out;
}
