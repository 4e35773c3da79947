/**
 * Queries over a search index file: every word of the query must start a word
 * of the entry's names (or of its municipality or district), case and accents
 * ignored (FTS5 prefix queries on folded text). Candidates are fetched by
 * importance, plus the nearest ones when a position biases the search, then
 * ranked: kind and importance, how well the name matches (whole name, start),
 * distance to the bias point.
 */
import Database from 'better-sqlite3';
import { TuilerieError } from '../core/errors.js';
import { foldText } from '../core/text_fold.js';
import { SEARCH_INDEX_FORMAT } from './search_index_builder.js';
import type { SearchType } from './search_pieces.js';

export interface SearchQuery {
  q: string;
  limit: number;
  /** Results near this point rank higher. */
  bias?: { lon: number; lat: number };
  /** Language of the answered names (`name:fr`, `name:de`), else the local name. */
  lang?: string;
}

export interface SearchHit {
  type: SearchType;
  osmKey: string;
  osmValue: string;
  name: string;
  street: string;
  housenumber: string;
  city: string;
  district: string;
  lon: number;
  lat: number;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
  score: number;
}

interface EntryRow {
  id: number; type: SearchType; osm_key: string; osm_value: string; name: string; name_fr: string; name_de: string; street: string; housenumber: string;
  city: string; district: string; importance: number; lon: number; lat: number; minx: number; miny: number; maxx: number; maxy: number;
}

const CANDIDATES = 400;
const NEAR_CANDIDATES = 200;
const NEAR_DEG = 0.3;
const MAX_WORDS = 8;

export class SearchIndex {
  private readonly db: Database.Database;
  private readonly byImportance: Database.Statement;
  private readonly nearby: Database.Statement;
  readonly sourceVersion: string;

  constructor(readonly file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    const meta = new Map((this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    if (meta.get('format') !== SEARCH_INDEX_FORMAT) {
      this.db.close();
      throw new TuilerieError('BAD_INPUT', `${file} is not a search index of format ${SEARCH_INDEX_FORMAT}`);
    }
    this.sourceVersion = meta.get('source_version') ?? '';
    const select = 'SELECT e.* FROM search JOIN entries e ON e.id = search.rowid WHERE search MATCH ?';
    this.byImportance = this.db.prepare(`${select} ORDER BY e.importance DESC LIMIT ${CANDIDATES}`);
    this.nearby = this.db.prepare(`${select} AND e.lon BETWEEN ? AND ? AND e.lat BETWEEN ? AND ? ORDER BY e.importance DESC LIMIT ${NEAR_CANDIDATES}`);
  }

  search(query: SearchQuery): SearchHit[] {
    const words = foldText(query.q).split(' ').filter((w) => w !== '').slice(0, MAX_WORDS);
    if (words.length === 0) return [];
    const match = words.map((w) => `"${w}"*`).join(' ');
    const rows = new Map<number, EntryRow>();
    for (const r of this.byImportance.all(match) as EntryRow[]) rows.set(r.id, r);
    if (query.bias) {
      const { lon, lat } = query.bias;
      for (const r of this.nearby.all(match, lon - NEAR_DEG, lon + NEAR_DEG, lat - NEAR_DEG, lat + NEAR_DEG) as EntryRow[]) rows.set(r.id, r);
    }
    const folded = words.join(' ');
    const hits = [...rows.values()].map((r) => this.hitOf(r, { folded, words, query }));
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, query.limit);
  }

  close(): void {
    this.db.close();
  }

  private hitOf(r: EntryRow, o: { folded: string; words: string[]; query: SearchQuery }): SearchHit {
    const label = r.type === 'house' ? `${r.street} ${r.housenumber}` : r.name;
    const names = [r.name, r.name_fr, r.name_de].filter((n) => n !== '').map(foldText);
    const houseNames = r.type === 'house' ? [foldText(`${r.housenumber} ${r.street}`), foldText(`${r.street} ${r.housenumber}`)] : [];
    const all = [...names, ...houseNames];
    let score = r.importance;
    if (all.some((n) => n === o.folded)) score += 1;
    else if (all.some((n) => n.startsWith(o.folded))) score += 0.5;
    else if (all.some((n) => o.words.every((w) => n.split(' ').some((t) => t.startsWith(w))))) score += 0.25;
    if (o.query.bias) {
      const k = Math.cos((o.query.bias.lat * Math.PI) / 180);
      const km = Math.hypot((r.lon - o.query.bias.lon) * k, r.lat - o.query.bias.lat) * 111.2;
      score += 0.6 / (1 + km / 5);
    }
    const lang = o.query.lang;
    const name = (lang === 'fr' && r.name_fr) || (lang === 'de' && r.name_de) || label;
    return {
      type: r.type, osmKey: r.osm_key, osmValue: r.osm_value, name, street: r.type === 'street' ? '' : r.street, housenumber: r.housenumber,
      city: r.city, district: r.district, lon: r.lon, lat: r.lat, bbox: [r.minx, r.miny, r.maxx, r.maxy], score,
    };
  }
}
