/**
 * The store `import --updatable` keeps beside the archive (FILE.mbtiles.store/osm.sqlite) and
 * `update` changes: every node (location, tags when the profile wants them), every way
 * (node refs, tags when wanted, whether it is coastline), the relations the import
 * collects (members, tags), the reverse indexes node → ways and way → relations, and the
 * reach index: for each OSM object (and sea polygon) whose features reached tiles, the box
 * of the geometry it tiled and the zooms it was written at (an R*Tree), so the tiles an
 * object touches, and the objects a tile holds, are found without re-reading anything;
 * and per tile, its features before generalisation and encoding, by source object
 * (tile_feature_blob.ts), so an update runs only the objects that changed.
 */
import Database from 'better-sqlite3';
import { TuilerieError } from '../../core/errors.js';
import type { OsmMember, OsmNode, OsmRelation, OsmTags, OsmWay } from '../../osm/types.js';

/** Kinds of objects in the reach index (a key is id * 4 + kind). */
export const KIND = { node: 0, way: 1, relation: 2, sea: 3 } as const;
export type ReachKind = (typeof KIND)[keyof typeof KIND];

export interface ReachEntry {
  kind: ReachKind;
  id: number;
  minzoom: number;
  maxzoom: number;
  /** World coordinates (0..1, y down) of the box of everything the object tiled. */
  box: [number, number, number, number];
  /** The largest tile buffer (pixels of a 256 px tile) of the layers it was written in. */
  bufferPx: number;
  /**
   * What the object handed the tiler (update/feature_signature.ts): equal before and after a change, its tile features
   * are the same. Absent in stores written before signatures were kept (format 3 without the `sig` column).
   */
  signature?: number;
}

export const STORE_FORMAT = '3';

export function reachKey(kind: ReachKind, id: number): number {
  return id * 4 + kind;
}

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE nodes (id INTEGER PRIMARY KEY, lon REAL NOT NULL, lat REAL NOT NULL, tags TEXT);
  CREATE TABLE ways (id INTEGER PRIMARY KEY, refs BLOB NOT NULL, tags TEXT, coast INTEGER NOT NULL);
  CREATE TABLE way_nodes (node INTEGER NOT NULL, way INTEGER NOT NULL);
  CREATE TABLE relations (id INTEGER PRIMARY KEY, members TEXT NOT NULL, tags TEXT NOT NULL);
  CREATE TABLE rel_ways (way INTEGER NOT NULL, rel INTEGER NOT NULL);
  CREATE VIRTUAL TABLE reach USING rtree(key, minX, maxX, minY, maxY, minz, maxz, +buf REAL, +sig INTEGER);
  CREATE TABLE tile_features (key INTEGER PRIMARY KEY, data BLOB NOT NULL);
  CREATE TABLE sea_keys (key INTEGER PRIMARY KEY);
`;
/** Built at the end of the import (faster than kept up to date row by row). */
const INDEXES = `
  CREATE INDEX way_nodes_node ON way_nodes (node);
  CREATE INDEX way_nodes_way ON way_nodes (way);
  CREATE INDEX rel_ways_way ON rel_ways (way);
  CREATE INDEX rel_ways_rel ON rel_ways (rel);
  CREATE INDEX ways_coast ON ways (id) WHERE coast = 1;
`;

/** A coordinate as the import's node store holds it (1e-7 degree fixed point), so extents and outlines match. */
function fixed(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

function refsBlob(refs: Float64Array): Buffer {
  return Buffer.from(refs.buffer, refs.byteOffset, refs.byteLength);
}
function blobRefs(b: Buffer): Float64Array {
  // a copy: the blob's offset need not be 8-aligned
  return new Float64Array(new Uint8Array(b).buffer);
}
function tagsText(tags: OsmTags | null): string | null {
  return tags ? JSON.stringify(tags) : null;
}

export class OsmStore implements TileFeatureRows {
  readonly db: Database.Database;
  private readonly st: Record<string, Database.Statement>;

  /** Whether the reach index keeps signatures (stores of earlier versions of format 3 do not: their objects always run again). */
  readonly signatures: boolean;

  private constructor(db: Database.Database) {
    this.db = db;
    const p = (sql: string): Database.Statement => db.prepare(sql);
    this.signatures = (db.prepare('PRAGMA table_info(reach)').all() as { name: string }[]).some((c) => c.name === 'sig');
    const sig = this.signatures ? ', sig' : '';
    this.st = {
      putNode: p('INSERT OR REPLACE INTO nodes (id, lon, lat, tags) VALUES (?, ?, ?, ?)'),
      addNode: p('INSERT OR IGNORE INTO nodes (id, lon, lat, tags) VALUES (?, ?, ?, NULL)'),
      tagNode: p('UPDATE nodes SET tags = ? WHERE id = ?'),
      getNode: p('SELECT id, lon, lat, tags FROM nodes WHERE id = ?'),
      getLocation: p('SELECT lon, lat FROM nodes WHERE id = ?'),
      delNode: p('DELETE FROM nodes WHERE id = ?'),
      putWay: p('INSERT OR REPLACE INTO ways (id, refs, tags, coast) VALUES (?, ?, ?, ?)'),
      addWay: p('INSERT OR IGNORE INTO ways (id, refs, tags, coast) VALUES (?, ?, ?, ?)'),
      getWay: p('SELECT id, refs, tags, coast FROM ways WHERE id = ?'),
      delWay: p('DELETE FROM ways WHERE id = ?'),
      addWayNode: p('INSERT INTO way_nodes (node, way) VALUES (?, ?)'),
      delWayNodes: p('DELETE FROM way_nodes WHERE way = ?'),
      delWayNode: p('DELETE FROM way_nodes WHERE node = ? AND way = ?'),
      waysOfNode: p('SELECT DISTINCT way FROM way_nodes WHERE node = ?'),
      putRel: p('INSERT OR REPLACE INTO relations (id, members, tags) VALUES (?, ?, ?)'),
      addRel: p('INSERT OR IGNORE INTO relations (id, members, tags) VALUES (?, ?, ?)'),
      getRel: p('SELECT id, members, tags FROM relations WHERE id = ?'),
      delRel: p('DELETE FROM relations WHERE id = ?'),
      addRelWay: p('INSERT INTO rel_ways (way, rel) VALUES (?, ?)'),
      delRelWays: p('DELETE FROM rel_ways WHERE rel = ?'),
      relsOfWay: p('SELECT DISTINCT rel FROM rel_ways WHERE way = ?'),
      coastWays: p('SELECT id, refs FROM ways WHERE coast = 1 ORDER BY id'),
      getMeta: p('SELECT value FROM meta WHERE key = ?'),
      putMeta: p('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      putReach: p(`INSERT OR REPLACE INTO reach (key, minX, maxX, minY, maxY, minz, maxz, buf${sig}) VALUES (?, ?, ?, ?, ?, ?, ?, ?${this.signatures ? ', ?' : ''})`),
      getReach: p(`SELECT key, minX, maxX, minY, maxY, minz, maxz, buf${sig} FROM reach WHERE key = ?`),
      delReach: p('DELETE FROM reach WHERE key = ?'),
      reachIn: p('SELECT key, minX, maxX, minY, maxY, minz, maxz, buf FROM reach WHERE minX <= ? AND maxX >= ? AND minY <= ? AND maxY >= ? AND minz <= ? AND maxz >= ?'),
      seaKeys: p('SELECT key FROM sea_keys'),
      putSeaKey: p('INSERT OR IGNORE INTO sea_keys (key) VALUES (?)'),
      delSeaKey: p('DELETE FROM sea_keys WHERE key = ?'),
      extent: p('SELECT min(lon) AS w, min(lat) AS s, max(lon) AS e, max(lat) AS n FROM nodes'),
      hasCoast: p('SELECT 1 FROM ways WHERE coast = 1 LIMIT 1'),
      allNodes: p('SELECT lon, lat FROM nodes'),
      getTile: p('SELECT data FROM tile_features WHERE key = ?'),
      putTile: p('INSERT OR REPLACE INTO tile_features (key, data) VALUES (?, ?)'),
      delTile: p('DELETE FROM tile_features WHERE key = ?'),
    };
  }

  /** A new, empty store at `file` (the import's temporary directory), tuned for bulk loading. */
  static create(file: string): OsmStore {
    const db = new Database(file);
    db.unsafeMode(true);
    db.pragma('journal_mode = OFF');
    db.unsafeMode(false);
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -65536');
    db.exec(SCHEMA);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('format', STORE_FORMAT);
    return new OsmStore(db);
  }

  /** An existing store, for an update (rollback journal: one transaction can span it and the attached archive). */
  static open(file: string): OsmStore {
    let db: Database.Database;
    try {
      db = new Database(file, { fileMustExist: true });
      db.pragma('journal_mode = DELETE');
      db.pragma('busy_timeout = 30000');
      db.pragma('cache_size = -65536');
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot open the update store ${file}: ${(e as Error).message}. Re-import with --updatable.`, { cause: e });
    }
    const store = new OsmStore(db);
    let format: string | undefined;
    try {
      format = store.meta('format');
    } catch (e) {
      db.close();
      throw new TuilerieError('BAD_INPUT', `${file} is not an update store (${(e as Error).message}). Re-import with --updatable.`, { cause: e });
    }
    if (format !== STORE_FORMAT) {
      db.close();
      throw new TuilerieError('BAD_INPUT', `${file}: update store format ${format ?? 'unknown'}, this version reads ${STORE_FORMAT}. Re-import with --updatable.`);
    }
    return store;
  }

  /** Ends bulk loading: builds the reverse indexes, makes the file a normal (journalled) database. */
  finishBulk(): void {
    this.db.exec(INDEXES);
    this.db.exec('ANALYZE');
    this.db.pragma('journal_mode = DELETE');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  meta(key: string): string | undefined {
    return (this.st.getMeta.get(key) as { value: string } | undefined)?.value;
  }
  setMeta(key: string, value: string): void {
    this.st.putMeta.run(key, value);
  }

  // --- bulk loading at import (first copy of an object wins, as in the import) ---

  addNodes(ids: Float64Array, lons: Float64Array, lats: Float64Array): void {
    for (let i = 0; i < ids.length; i++) this.st.addNode.run(ids[i], lons[i], lats[i]);
  }
  tagNode(id: number, tags: OsmTags): void {
    this.st.tagNode.run(JSON.stringify(tags), id);
  }
  addWay(way: OsmWay, tags: OsmTags | null, coast: boolean): void {
    if (this.st.addWay.run(way.id, refsBlob(way.refs), tagsText(tags), coast ? 1 : 0).changes === 0) return;
    for (const n of new Set(way.refs)) this.st.addWayNode.run(n, way.id);
  }
  addRelation(rel: OsmRelation): void {
    if (this.st.addRel.run(rel.id, JSON.stringify(rel.members), JSON.stringify(rel.tags)).changes === 0) return;
    this.indexMembers(rel);
  }

  // --- changes at update ---

  putNode(node: OsmNode, tags: OsmTags | null): void {
    this.st.putNode.run(node.id, node.lon, node.lat, tagsText(tags));
  }
  deleteNode(id: number): boolean {
    return this.st.delNode.run(id).changes > 0;
  }
  /**
   * `before`: the node refs the store has for the way (undefined: none). Only the node → way pairs that change are
   * written: most changes keep a way's nodes, and each pair is a random page of the reverse index.
   */
  putWay(way: OsmWay, tags: OsmTags | null, coast: boolean, before: Float64Array | undefined): void {
    this.st.putWay.run(way.id, refsBlob(way.refs), tagsText(tags), coast ? 1 : 0);
    const now = new Set(way.refs), was = new Set(before ?? []);
    for (const n of was) if (!now.has(n)) this.st.delWayNode.run(n, way.id);
    for (const n of now) if (!was.has(n)) this.st.addWayNode.run(n, way.id);
  }
  deleteWay(id: number): boolean {
    this.st.delWayNodes.run(id);
    return this.st.delWay.run(id).changes > 0;
  }
  putRelation(rel: OsmRelation): void {
    this.st.delRelWays.run(rel.id);
    this.st.putRel.run(rel.id, JSON.stringify(rel.members), JSON.stringify(rel.tags));
    this.indexMembers(rel);
  }
  deleteRelation(id: number): boolean {
    this.st.delRelWays.run(id);
    return this.st.delRel.run(id).changes > 0;
  }
  private indexMembers(rel: OsmRelation): void {
    const ways = new Set<number>();
    for (const m of rel.members) if (m.type === 'way') ways.add(m.ref);
    for (const w of ways) this.st.addRelWay.run(w, rel.id);
  }

  // --- reads ---

  node(id: number): OsmNode | undefined {
    const r = this.st.getNode.get(id) as { id: number; lon: number; lat: number; tags: string | null } | undefined;
    return r && { type: 'node', id: r.id, lon: r.lon, lat: r.lat, tags: r.tags ? JSON.parse(r.tags) as OsmTags : {} };
  }
  /** The node's location only (way geometry needs no tags). */
  location(id: number): { lon: number; lat: number } | undefined {
    return this.st.getLocation.get(id) as { lon: number; lat: number } | undefined;
  }
  /** The way, `wanted` false when the profile does not want its tags (they were not kept). */
  way(id: number): { way: OsmWay; wanted: boolean; coast: boolean } | undefined {
    const r = this.st.getWay.get(id) as { id: number; refs: Buffer; tags: string | null; coast: number } | undefined;
    if (!r) return undefined;
    return { way: { type: 'way', id: r.id, refs: blobRefs(r.refs), tags: r.tags ? JSON.parse(r.tags) as OsmTags : {} }, wanted: r.tags !== null, coast: r.coast === 1 };
  }
  relation(id: number): OsmRelation | undefined {
    const r = this.st.getRel.get(id) as { id: number; members: string; tags: string } | undefined;
    return r && { type: 'relation', id: r.id, members: JSON.parse(r.members) as OsmMember[], tags: JSON.parse(r.tags) as OsmTags };
  }
  waysOfNode(id: number): number[] {
    return (this.st.waysOfNode.all(id) as { way: number }[]).map((r) => r.way);
  }
  relationsOfWay(id: number): number[] {
    return (this.st.relsOfWay.all(id) as { rel: number }[]).map((r) => r.rel);
  }
  coastlineWays(): OsmWay[] {
    return (this.st.coastWays.all() as { id: number; refs: Buffer }[]).map((r) => ({ type: 'way', id: r.id, refs: blobRefs(r.refs), tags: { natural: 'coastline' } }));
  }
  hasCoastline(): boolean {
    return this.st.hasCoast.get() !== undefined;
  }
  /** Every node's location (the sea's outline when no extent was given is drawn around them all). */
  allNodePoints(): { size: number; lon(i: number): number; lat(i: number): number } {
    const lons: number[] = [], lats: number[] = [];
    for (const r of this.st.allNodes.iterate() as Iterable<{ lon: number; lat: number }>) { lons.push(fixed(r.lon)); lats.push(fixed(r.lat)); }
    return { size: lons.length, lon: (i) => lons[i], lat: (i) => lats[i] };
  }
  /** [west, south, east, north] of every node, at the import's node store precision, or undefined when there is none. */
  nodeExtent(): [number, number, number, number] | undefined {
    const r = this.st.extent.get() as { w: number | null; s: number; e: number; n: number };
    return r.w === null ? undefined : [fixed(r.w), fixed(r.s), fixed(r.e), fixed(r.n)];
  }

  // --- reach index ---

  putReach(e: ReachEntry): void {
    const [x0, y0, x1, y1] = e.box;
    const row: (number | null)[] = [reachKey(e.kind, e.id), x0, x1, y0, y1, e.minzoom, e.maxzoom, e.bufferPx];
    if (this.signatures) row.push(e.signature ?? null);
    this.st.putReach.run(...row);
    // the sea's entries are listed apart: finding them in the R*Tree would read all of it
    if (e.kind === KIND.sea) this.st.putSeaKey.run(reachKey(e.kind, e.id));
  }
  reach(kind: ReachKind, id: number): ReachEntry | undefined {
    const r = this.st.getReach.get(reachKey(kind, id)) as ReachRow | undefined;
    return r && rowEntry(r);
  }
  deleteReach(kind: ReachKind, id: number): void {
    this.st.delReach.run(reachKey(kind, id));
    if (kind === KIND.sea) this.st.delSeaKey.run(reachKey(kind, id));
  }
  seaReach(): ReachEntry[] {
    // key by key: a join lets SQLite read the whole R*Tree
    const out: ReachEntry[] = [];
    for (const { key } of this.st.seaKeys.all() as { key: number }[]) {
      const r = this.st.getReach.get(key) as ReachRow | undefined;
      if (r) out.push(rowEntry(r));
    }
    return out;
  }
  // --- per-tile features ---

  tileFeatures(key: number): Buffer | undefined {
    return (this.st.getTile.get(key) as { data: Buffer } | undefined)?.data;
  }
  putTileFeatures(key: number, blob: Buffer): void {
    this.st.putTile.run(key, blob);
  }
  deleteTileFeatures(key: number): void {
    this.st.delTile.run(key);
  }

  /** The objects whose box meets the world box [x0, y0, x1, y1] and that were written at zoom z. */
  reachingBox(x0: number, y0: number, x1: number, y1: number, z: number): ReachEntry[] {
    return (this.st.reachIn.all(x1, x0, y1, y0, z, z) as ReachRow[]).map(rowEntry);
  }
}

export interface TileFeatureRows {
  /** The blob of tile `key` (tileKey), or undefined when the tile has no features. */
  tileFeatures(key: number): Buffer | undefined;
  putTileFeatures(key: number, blob: Buffer): void;
  deleteTileFeatures(key: number): void;
}

interface ReachRow { key: number; minX: number; maxX: number; minY: number; maxY: number; minz: number; maxz: number; buf: number; sig?: number | null }

function rowEntry(r: ReachRow): ReachEntry {
  const kind = (((r.key % 4) + 4) % 4) as ReachKind;
  const e: ReachEntry = { kind, id: (r.key - kind) / 4, minzoom: r.minz, maxzoom: r.maxz, box: [r.minX, r.minY, r.maxX, r.maxY], bufferPx: r.buf };
  if (typeof r.sig === 'number') e.signature = r.sig;
  return e;
}
