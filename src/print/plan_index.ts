/**
 * The plan's indexes: named streets with the grid squares each crosses, and
 * notable places (town hall, stations, schools, hospitals, places of worship,
 * museums) with their square. Computed from the decoded tile geometry clipped
 * to the frame, never from the rendered image.
 */
import type { DecodedFeature, FeatureProps } from './tile_features.js';
import { addSquaresCrossed, compareSquares, squareLabel, squareOfPoint, type PlanGrid } from './plan_grid.js';
import { compareIndexNames, indexName } from './street_name.js';
import type { PlanLang } from './plan_options.js';

export interface IndexEntry {
  /** As listed, e.g. "Paix (Rue de la)". */
  label: string;
  /** As in the data, e.g. "Rue de la Paix". */
  name: string;
  /** [col, row] pairs, column-first order. */
  squares: [number, number][];
}

export interface PoiCategory {
  id: string;
  title: Record<PlanLang, string>;
  entries: IndexEntry[];
}

/** transportation_name classes that are not streets. */
const NOT_STREETS = new Set(['rail', 'transit', 'ferry', 'aerialway']);

/** Notable place categories in listing order: how poi class/subclass map onto them. */
export const POI_CATEGORIES: { id: string; title: Record<PlanLang, string>; match: (p: FeatureProps) => boolean }[] = [
  { id: 'town_hall', title: { fr: 'Mairie', de: 'Rathaus' }, match: (p) => p.class === 'town_hall' && (p.subclass === 'townhall' || p.subclass === 'town_hall') },
  { id: 'station', title: { fr: 'Gares', de: 'Bahnhöfe' }, match: (p) => p.class === 'railway' && (p.subclass === 'station' || p.subclass === 'halt') },
  { id: 'education', title: { fr: 'Enseignement', de: 'Schulen' }, match: (p) => p.class === 'school' || p.class === 'college' },
  { id: 'hospital', title: { fr: 'Hôpitaux', de: 'Krankenhäuser' }, match: (p) => p.class === 'hospital' },
  { id: 'worship', title: { fr: 'Lieux de culte', de: 'Gotteshäuser' }, match: (p) => p.class === 'place_of_worship' },
  { id: 'museum', title: { fr: 'Musées', de: 'Museen' }, match: (p) => p.class === 'museum' },
];

/** The name of a feature in the plan's language, falling back to the local name. */
export function featureName(p: FeatureProps, lang: PlanLang): string | undefined {
  const v = p[`name:${lang}`] ?? p[`name_${lang}`] ?? p.name;
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export function formatSquares(squares: [number, number][]): string {
  return squares.map(([c, r]) => squareLabel(c, r)).join(', ');
}

function toEntries(byName: Map<string, Set<string>>, lang: PlanLang): IndexEntry[] {
  const cmp = compareIndexNames(lang);
  return [...byName]
    .filter(([, set]) => set.size > 0)
    .map(([name, set]) => ({
      name,
      label: indexName(name, lang),
      squares: [...set].map((k) => k.split(',').map(Number) as [number, number]).sort(compareSquares),
    }))
    .sort((a, b) => cmp(a.label, b.label));
}

/** Named streets grouped by name, each with every square its lines cross inside the frame. */
export function buildStreetIndex(features: readonly DecodedFeature[], grid: PlanGrid, lang: PlanLang): IndexEntry[] {
  const byName = new Map<string, Set<string>>();
  for (const f of features) {
    if (f.layer !== 'transportation_name' || f.type !== 2 || NOT_STREETS.has(String(f.properties.class))) continue;
    const name = featureName(f.properties, lang);
    if (!name) continue;
    let set = byName.get(name);
    if (!set) byName.set(name, (set = new Set()));
    for (const line of f.geometry) addSquaresCrossed(line, grid, set);
  }
  return toEntries(byName, lang);
}

/** Notable places inside the frame by category, each named place with its square(s). */
export function buildPoiIndex(features: readonly DecodedFeature[], grid: PlanGrid, lang: PlanLang): PoiCategory[] {
  const out: PoiCategory[] = [];
  for (const cat of POI_CATEGORIES) {
    const byName = new Map<string, Set<string>>();
    for (const f of features) {
      if (f.layer !== 'poi' || f.type !== 1 || !cat.match(f.properties)) continue;
      const name = featureName(f.properties, lang);
      if (!name) continue;
      for (const part of f.geometry) {
        for (const [x, y] of part) {
          const sq = squareOfPoint(x, y, grid);
          if (!sq) continue;
          let set = byName.get(name);
          if (!set) byName.set(name, (set = new Set()));
          set.add(`${sq[0]},${sq[1]}`);
        }
      }
    }
    const cmp = compareIndexNames(lang);
    const entries = toEntries(byName, lang).map((e) => ({ ...e, label: e.name })).sort((a, b) => cmp(a.label, b.label));
    if (entries.length) out.push({ id: cat.id, title: cat.title, entries });
  }
  return out;
}
