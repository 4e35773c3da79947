/**
 * Builds the search index of a vector tile archive: every tile of its deepest
 * zoom is read once (places, streets, POIs, house numbers: ./search_pieces.ts),
 * the pieces go to a staging table in the index file itself, are merged in key
 * order (./search_merge.ts), given the municipality and district they lie in
 * (nearest place point), and indexed in an SQLite FTS5 table whose tokenizer
 * ignores case and accents. Memory stays bounded: pieces live on disk, only the
 * place points (a few per municipality) are held. Written to a temp file and
 * renamed: a failed build leaves no index behind. Runs in a worker thread
 * (./search_build_worker.ts).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { openTileSource } from '../archive/open_tile_source.js';
import { TuilerieError } from '../core/errors.js';
import { foldText } from '../core/text_fold.js';
import { mergePieces, type MergedEntry } from './search_merge.js';
import { searchPiecesOfTile, type SearchPiece } from './search_pieces.js';

/** Format of the index file; bumped when its tables change. */
export const SEARCH_INDEX_FORMAT = '1';

export interface BuildSearchIndexOptions {
  /** The archive (MBTiles or PMTiles file). */
  source: string;
  out: string;
  /** Stored in the index; an index whose version differs is rebuilt. */
  sourceVersion: string;
  progress?: (tilesRead: number, tilesTotal: number | undefined) => void;
}

export interface SearchBuildSummary {
  tiles: number;
  pieces: number;
  entries: number;
  ms: number;
}

const MUNICIPALITY = new Set(['city', 'town', 'village']);
const DISTRICT = new Set(['suburb', 'quarter', 'neighbourhood', 'hamlet']);
const CITY_MAX_DEG = 0.15;
const DISTRICT_MAX_DEG = 0.02;
const GRID = 0.05;
/** Half-size of the extent given to a commune known only by its town hall (about 3 km across). */
const TOWN_HALL_EXTENT_DEG = 0.02;

interface PlacePoint { name: string; lon: number; lat: number }

/** Nearest named place point within a distance, through a grid of GRID degrees. */
class PlaceGrid {
  private readonly cells = new Map<string, PlacePoint[]>();
  add(p: PlacePoint): void {
    const k = `${Math.floor(p.lon / GRID)},${Math.floor(p.lat / GRID)}`;
    const list = this.cells.get(k);
    if (list) list.push(p);
    else this.cells.set(k, [p]);
  }
  nearest(lon: number, lat: number, maxDeg: number): string {
    const r = Math.ceil(maxDeg / GRID);
    const cx = Math.floor(lon / GRID), cy = Math.floor(lat / GRID);
    const k = Math.cos((lat * Math.PI) / 180);
    let best = '', bestD = maxDeg;
    for (let dx = -r; dx <= r; dx++) for (let dy = -r; dy <= r; dy++) {
      for (const p of this.cells.get(`${cx + dx},${cy + dy}`) ?? []) {
        const d = Math.hypot((p.lon - lon) * k, p.lat - lat);
        if (d < bestD) { bestD = d; best = p.name; }
      }
    }
    return best;
  }
}

function createTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE pieces (key TEXT, type TEXT, osm_key TEXT, osm_value TEXT, name TEXT, name_fr TEXT, name_de TEXT, street TEXT, housenumber TEXT,
      importance REAL, minx REAL, miny REAL, maxx REAL, maxy REAL, px REAL, py REAL);
    CREATE TABLE entries (id INTEGER PRIMARY KEY, type TEXT, osm_key TEXT, osm_value TEXT, name TEXT, name_fr TEXT, name_de TEXT, street TEXT,
      housenumber TEXT, city TEXT, district TEXT, importance REAL, lon REAL, lat REAL, minx REAL, miny REAL, maxx REAL, maxy REAL);
    CREATE VIRTUAL TABLE search USING fts5(names, place, content='', tokenize="unicode61 remove_diacritics 2");
  `);
}

async function stagePieces(db: Database.Database, o: BuildSearchIndexOptions): Promise<{ tiles: number; pieces: number }> {
  const source = await openTileSource(o.source);
  try {
    const meta = source.metadata();
    if (meta.format !== 'pbf') throw new TuilerieError('BAD_INPUT', `${o.source} holds ${meta.format} tiles, not vector tiles: nothing to index`);
    if (!source.tiles) throw new TuilerieError('UNSUPPORTED_FORMAT', `${o.source} cannot list its tiles`);
    const insert = db.prepare('INSERT INTO pieces VALUES (@key, @type, @osmKey, @osmValue, @name, @nameFr, @nameDe, @street, @housenumber, @importance, @minx, @miny, @maxx, @maxy, @px, @py)');
    const total = source.tileCount?.();
    let tiles = 0, pieces = 0, read = 0;
    let batch: SearchPiece[] = [];
    const flush = db.transaction((list: SearchPiece[]) => { for (const p of list) insert.run(p); });
    for await (const t of source.tiles()) {
      read++;
      if (read % 2000 === 0) o.progress?.(read, total);
      if (t.z !== meta.maxzoom) continue;
      const bytes = t.tile.encoding === 'gzip' ? zlib.gunzipSync(t.tile.data) : t.tile.data;
      const found = searchPiecesOfTile(bytes, t.z, t.x, t.y);
      tiles++;
      pieces += found.length;
      batch.push(...found);
      if (batch.length >= 5000) { flush(batch); batch = []; }
    }
    flush(batch);
    o.progress?.(read, total);
    return { tiles, pieces };
  } finally {
    await source.close();
  }
}

function rowToPiece(r: Record<string, unknown>): SearchPiece {
  return {
    key: r.key as string, type: r.type as SearchPiece['type'], osmKey: r.osm_key as string, osmValue: r.osm_value as string,
    name: r.name as string, nameFr: r.name_fr as string, nameDe: r.name_de as string, street: r.street as string, housenumber: r.housenumber as string,
    importance: r.importance as number, minx: r.minx as number, miny: r.miny as number, maxx: r.maxx as number, maxy: r.maxy as number, px: r.px as number, py: r.py as number,
  };
}

function* sortedPieces(db: Database.Database, where: string): Generator<SearchPiece> {
  for (const r of db.prepare(`SELECT * FROM pieces WHERE ${where} ORDER BY key, minx`).iterate()) yield rowToPiece(r as Record<string, unknown>);
}

/** The words an entry is found by: its names in every language, its street and number. */
function indexedNames(e: MergedEntry): string {
  const words = [e.name, e.nameFr, e.nameDe, e.street, e.housenumber].filter((w) => w !== '');
  return foldText([...new Set(words)].join(' '));
}

/** "Mairie de Lutterbach", "Rathaus Weil am Rhein" → the commune; a bare "Mairie" names none. */
export function communeOfTownHall(name: string): string {
  const m = /^(?:mairie|h[ôo]tel de ville|maison communale|rathaus|gemeindeverwaltung|stadtverwaltung|b[üu]rgermeisteramt)(?:\s+(?:de\s+la\s+|de\s+l['’]|de\s+|d['’]|du\s+|des\s+|der\s+|von\s+)?(.+))?$/i.exec(name.trim());
  if (!m) return name.trim();
  return (m[1] ?? '').trim();
}

/**
 * Municipalities: place points, and for communes an extract holds no place
 * point of (Mulhouse in a city-centre extract) their town hall, answered as the
 * administrative unit (OSM's boundary=administrative) around it.
 */
function municipalitiesOf(db: Database.Database): { municipalities: PlaceGrid; districts: PlaceGrid; communes: MergedEntry[] } {
  const municipalities = new PlaceGrid(), districts = new PlaceGrid();
  const known = new Set<string>();
  for (const e of mergePieces(sortedPieces(db, "type = 'place'"))) {
    if (MUNICIPALITY.has(e.osmValue)) {
      municipalities.add({ name: e.name, lon: e.px, lat: e.py });
      known.add(foldText(e.name));
    } else if (DISTRICT.has(e.osmValue)) {
      districts.add({ name: e.name, lon: e.px, lat: e.py });
    }
  }
  const communes: MergedEntry[] = [];
  for (const e of mergePieces(sortedPieces(db, "type = 'poi' AND osm_value = 'townhall'"))) {
    const name = communeOfTownHall(e.name);
    if (name === '' || known.has(foldText(name))) continue;
    known.add(foldText(name));
    municipalities.add({ name, lon: e.px, lat: e.py });
    const r = TOWN_HALL_EXTENT_DEG;
    communes.push({ ...e, key: `place|${foldText(name)}|administrative`, type: 'place', osmKey: 'boundary', osmValue: 'administrative', name, nameFr: '', nameDe: '',
      importance: 0.95, minx: e.px - r, maxx: e.px + r, miny: e.py - r * 0.7, maxy: e.py + r * 0.7 });
  }
  return { municipalities, districts, communes };
}

function writeEntries(db: Database.Database): number {
  const { municipalities, districts, communes } = municipalitiesOf(db);
  const insert = db.prepare(`INSERT INTO entries (type, osm_key, osm_value, name, name_fr, name_de, street, housenumber, city, district, importance, lon, lat, minx, miny, maxx, maxy)
    VALUES (@type, @osmKey, @osmValue, @name, @nameFr, @nameDe, @street, @housenumber, @city, @district, @importance, @px, @py, @minx, @miny, @maxx, @maxy)`);
  const fts = db.prepare('INSERT INTO search (rowid, names, place) VALUES (?, ?, ?)');
  let n = 0;
  let batch: MergedEntry[] = [];
  const flush = db.transaction((list: MergedEntry[]) => {
    for (const e of list) {
      const city = e.type === 'place' && (MUNICIPALITY.has(e.osmValue) || e.osmKey === 'boundary') ? '' : municipalities.nearest(e.px, e.py, CITY_MAX_DEG);
      const district = e.type === 'place' ? '' : districts.nearest(e.px, e.py, DISTRICT_MAX_DEG);
      const id = insert.run({ ...e, city, district }).lastInsertRowid;
      fts.run(id, indexedNames(e), foldText(`${city} ${district}`));
      n++;
    }
  });
  for (const e of mergePieces(sortedPieces(db, '1'))) {
    batch.push(e);
    if (batch.length >= 5000) { flush(batch); batch = []; }
  }
  flush([...batch, ...communes]);
  return n;
}

/** Builds the index of `o.source` into `o.out` (temp file, then rename). */
export async function buildSearchIndex(o: BuildSearchIndexOptions): Promise<SearchBuildSummary> {
  const t0 = Date.now();
  const tmp = `${o.out}.tmp-${process.pid}-${Date.now()}`;
  const db = new Database(tmp);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    createTables(db);
    const staged = await stagePieces(db, o);
    const entries = writeEntries(db);
    db.exec('DROP TABLE pieces; CREATE INDEX entries_lon ON entries (lon, lat);');
    db.prepare('INSERT INTO meta VALUES (?, ?), (?, ?), (?, ?)').run('format', SEARCH_INDEX_FORMAT, 'source_version', o.sourceVersion, 'entries', String(entries));
    db.exec('VACUUM');
    db.close();
    fs.renameSync(tmp, o.out);
    return { tiles: staged.tiles, pieces: staged.pieces, entries, ms: Date.now() - t0 };
  } catch (e) {
    if (db.open) db.close();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
