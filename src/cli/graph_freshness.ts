/**
 * Whether the routing graph beside an updatable archive holds the archive's roads. The
 * store records the update generation that last changed roads (ROADS_GENERATION_KEY, in
 * the update's transaction); a graph built by `start` or after an update gets a note beside
 * it (`X.routing.built-from`: the store's lineage and that generation, read before the
 * build began, and the graph file's identity). An update that changed no road leaves the
 * graph current even though the archive is newer; one run with `--no-routing` that
 * changed roads leaves it behind. Without a note that matches the graph file (an older
 * graph, a graph written by hand with route-build), the graph is current when it is newer
 * than the archive, as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { OsmStore } from '../importer/update/osm_store.js';
import { ROADS_GENERATION_KEY, STORE_FILE, STORE_ID_KEY, storeDirFor } from '../importer/update/store_builder.js';

/** The roads an updatable archive holds now: its import (lineage) and the last update that changed roads. */
export interface RoadsVersion {
  lineage: string;
  roadsGeneration: number;
}

interface BuiltFrom extends RoadsVersion {
  /** size and mtime of the graph file the note is about. */
  graph: string;
}

function noteOf(graph: string): string {
  return `${graph}.built-from`;
}

function identity(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${st.size}-${Math.round(st.mtimeMs)}`;
  } catch {
    return undefined;
  }
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

function archiveLineage(archive: string): string | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(archive, { readonly: true, fileMustExist: true });
    return (db.prepare('SELECT value FROM metadata WHERE name = ?').get(STORE_ID_KEY) as { value: string } | undefined)?.value;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

/** Undefined when the archive has no update store of its own (none, or one a later import left behind). */
export function roadsVersionOf(archive: string): RoadsVersion | undefined {
  const file = path.join(storeDirFor(archive), STORE_FILE);
  if (!fs.existsSync(file)) return undefined;
  const store = OsmStore.open(file);
  try {
    const lineage = store.meta('id');
    if (lineage === undefined || lineage !== archiveLineage(archive)) return undefined;
    return { lineage, roadsGeneration: Number(store.meta(ROADS_GENERATION_KEY) ?? 0) };
  } finally {
    store.close();
  }
}

/** After a successful build from the data `from` describes (read before the build started). */
export function noteGraphBuiltFrom(graph: string, from: RoadsVersion): void {
  const id = identity(graph);
  if (id === undefined) return;
  const note: BuiltFrom = { ...from, graph: id };
  const tmp = `${noteOf(graph)}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(note));
  fs.renameSync(tmp, noteOf(graph));
}

/** Whether the graph lacks roads the archive has (a missing graph does). */
export function graphBehindArchive(graph: string, archive: string): boolean {
  if (!fs.existsSync(graph)) return true;
  let note: BuiltFrom | undefined;
  try {
    note = JSON.parse(fs.readFileSync(noteOf(graph), 'utf8')) as BuiltFrom;
  } catch {
    note = undefined;
  }
  const now = note && note.graph === identity(graph) ? roadsVersionOf(archive) : undefined;
  if (!note || !now) return mtime(graph) < mtime(archive);
  return note.lineage !== now.lineage || !(note.roadsGeneration >= now.roadsGeneration);
}
