/**
 * Name attributes as OpenMapTiles writes them: `name`, `name_en`, `name_de`,
 * `name_int`, `name:latin`, `name:nonlatin` and one `name:xx` per `name:xx` tag.
 * Styles label with `{name:latin}` and `{name:nonlatin}`, so those two must be
 * right for bilingual places (Alsace: name:fr / name:de / name:gsw / name:als).
 */
import type { Attrs } from './profile.js';
import type { OsmTags } from '../osm/types.js';

/** Languages OpenMapTiles lists, plus the regional ones of the Upper Rhine. */
export const OMT_LANGUAGES: readonly string[] = [
  'am', 'ar', 'az', 'be', 'bg', 'br', 'bs', 'ca', 'co', 'cs', 'cy', 'da', 'de', 'el', 'en', 'eo', 'es', 'et', 'eu',
  'fi', 'fr', 'fy', 'ga', 'gd', 'he', 'hi', 'hr', 'hu', 'hy', 'id', 'is', 'it', 'ja', 'ja_kana', 'ja_rm', 'ja-Latn',
  'ja-Hira', 'ka', 'kk', 'kn', 'ko', 'ko-Latn', 'ku', 'la', 'lb', 'lt', 'lv', 'mk', 'mt', 'ml', 'nl', 'no', 'oc',
  'pl', 'pt', 'rm', 'ro', 'ru', 'sk', 'sl', 'sq', 'sr', 'sr-Latn', 'sv', 'ta', 'te', 'th', 'tr', 'uk', 'zh',
  'gsw', 'als', 'frk', 'lmo', 'wa',
];

/** Field declarations for the name attributes of a layer's `vector_layers` entry. */
export function nameFieldSpecs(): Record<string, 'String'> {
  const f: Record<string, 'String'> = {
    name: 'String', name_en: 'String', name_de: 'String', name_int: 'String',
    'name:latin': 'String', 'name:nonlatin': 'String',
  };
  for (const l of OMT_LANGUAGES) f[`name:${l}`] = 'String';
  return f;
}

// A language suffix: `fr`, `gsw`, `sr-Latn`, `ja_rm`, `zh-Hant-TW`; excludes `name:left`, `name:etymology` and the like.
const LANG_KEY = /^name:([a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)$/;
// Latin script, with the Latin-1 supplement and extended blocks, digits, punctuation and spaces.
const LATIN = /^[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]*$/u;
const HAS_LETTER = /\p{L}/u;

export function isLatin(s: string): boolean {
  return LATIN.test(s) && HAS_LETTER.test(s);
}

function nonEmpty(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** Every name attribute for the tags; empty when the object has no name at all. */
export function omtNames(tags: OsmTags): Attrs {
  const out: Attrs = {};
  const name = nonEmpty(tags.name);
  const en = nonEmpty(tags['name:en']);
  const de = nonEmpty(tags['name:de']);
  const int = nonEmpty(tags['name:int']) ?? nonEmpty(tags.int_name);
  let anyTranslation: string | undefined;
  let latinTranslation: string | undefined;
  for (const k in tags) {
    const m = LANG_KEY.exec(k);
    if (m === null) continue;
    const v = nonEmpty(tags[k]);
    if (v === undefined) continue;
    out[k] = v;
    anyTranslation ??= v;
    if (latinTranslation === undefined && isLatin(v)) latinTranslation = v;
  }
  const base = name ?? en ?? anyTranslation;
  if (base === undefined) return out;
  out.name = base;
  out.name_en = en ?? base;
  out.name_de = de ?? base;
  out.name_int = int ?? en ?? base;
  if (isLatin(base)) {
    out['name:latin'] = base;
  } else {
    out['name:nonlatin'] = base;
    const latin = [int, en, latinTranslation].find((v) => v !== undefined && isLatin(v));
    if (latin !== undefined) out['name:latin'] = latin;
  }
  return out;
}
