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

/** Latin letters of a mixed name removed, for `name:nonlatin` ("Straße 東京" → "東京"). */
function removeLatin(s: string): string {
  return s.replace(/[\p{Script=Latin}]+/gu, '').replace(/\s+/g, ' ').trim();
}

/**
 * Every name attribute for the tags, as openmaptiles-tools' zzz_language.sql:
 * name:latin is name when Latin, else the first Latin of name:en, int_name,
 * name:de and the other name:xx; name_int is int_name, name:en, name:latin or
 * name. Empty when the object has no name at all.
 */
export function omtNames(tags: OsmTags): Attrs {
  const out: Attrs = {};
  const name = nonEmpty(tags.name);
  const en = nonEmpty(tags['name:en']);
  const de = nonEmpty(tags['name:de']);
  const int = nonEmpty(tags.int_name) ?? nonEmpty(tags['name:int']);
  const others: string[] = [];
  for (const k in tags) {
    const m = LANG_KEY.exec(k);
    if (m === null) continue;
    const v = nonEmpty(tags[k]);
    if (v === undefined) continue;
    out[k] = v;
    if (k !== 'name:en' && k !== 'name:de') others.push(v);
  }
  if (name === undefined && en === undefined && de === undefined && int === undefined) return out;
  const nameIsLatin = name !== undefined && isLatin(name);
  const latin = nameIsLatin ? name : [en, int, de, ...others].find((v) => v !== undefined && isLatin(v));
  let nonLatin = name !== undefined && !nameIsLatin ? removeLatin(name) : undefined;
  if (nonLatin === '' || nonLatin === latin) nonLatin = undefined;
  if (name !== undefined) out.name = name;
  const nameEn = en ?? name;
  if (nameEn !== undefined) out.name_en = nameEn;
  const nameDe = de ?? name ?? en;
  if (nameDe !== undefined) out.name_de = nameDe;
  if (latin !== undefined) out['name:latin'] = latin;
  if (nonLatin !== undefined) out['name:nonlatin'] = nonLatin;
  const nameInt = int ?? en ?? latin ?? name;
  if (nameInt !== undefined) out.name_int = nameInt;
  return out;
}
