/**
 * How a street is listed in a city-plan index. French plans put the type word
 * and its article after the name, "Rue de la Paix" → "Paix (Rue de la)", so
 * the index is sorted by what people look for; German names stay as they are
 * ("Hauptstraße"). Sorting uses French collation (accents after base letters).
 */
import type { PlanLang } from './plan_options.js';

const TYPE_WORDS = [
  'allée', 'allee', 'avenue', 'boulevard', 'chaussée', 'chemin', 'cité', 'clos', 'cour', 'cours', 'degrés', 'esplanade',
  'faubourg', 'galerie', 'impasse', 'montée', 'parc', 'parvis', 'passage', 'passerelle', 'place', 'placette', 'pont',
  'port', 'porte', 'promenade', 'quai', 'rampe', 'rond-point', 'route', 'rue', 'ruelle', 'sente', 'sentier', 'square',
  'traverse', 'villa', 'voie',
];

/** Articles after a type word, longest first so "de la" wins over "de". */
const ARTICLES = ["de la ", "de l'", "de l’", 'des ', 'du ', 'de ', "d'", 'd’', 'à la ', "à l'", 'aux ', 'au ', 'la ', 'le ', 'les ', "l'", 'l’'];

/** "Rue de la Paix" → "Paix (Rue de la)"; names without a known type word are kept. */
export function frenchIndexName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  const m = /^(\S+)\s+(.+)$/.exec(trimmed);
  if (!m || !TYPE_WORDS.includes(m[1].toLowerCase())) return trimmed;
  const type = m[1];
  let rest = m[2];
  let article = '';
  const lower = rest.toLowerCase();
  for (const a of ARTICLES) {
    if (lower.startsWith(a) && rest.length > a.length) {
      article = rest.slice(0, a.length).trimEnd();
      rest = rest.slice(a.length);
      break;
    }
  }
  if (!rest) return trimmed;
  const head = rest.charAt(0).toLocaleUpperCase('fr') + rest.slice(1);
  return `${head} (${article ? `${type} ${article}` : type})`;
}

export function indexName(name: string, lang: PlanLang): string {
  return lang === 'fr' ? frenchIndexName(name) : name.trim();
}

const COLLATORS: Record<PlanLang, Intl.Collator> = {
  fr: new Intl.Collator('fr', { sensitivity: 'base', numeric: true }),
  de: new Intl.Collator('de', { sensitivity: 'base', numeric: true }),
};

/** Collation order of index names; ties broken by exact comparison so that the order is total. */
export function compareIndexNames(lang: PlanLang): (a: string, b: string) => number {
  const c = COLLATORS[lang];
  return (a, b) => c.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The heading letter of an index name: "É" files under "E". */
export function indexLetter(name: string): string {
  const ch = name.normalize('NFD').replace(/\p{M}/gu, '').charAt(0).toUpperCase();
  return /[A-Z]/.test(ch) ? ch : '#';
}
