import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { graphBehindArchive, noteGraphBuiltFrom, roadsVersionOf } from '../../../src/cli/graph_freshness.js';
import { OsmStore } from '../../../src/importer/update/osm_store.js';
import { ROADS_GENERATION_KEY, STORE_FILE, STORE_ID_KEY, storeDirFor } from '../../../src/importer/update/store_builder.js';
import { tempDir } from '../../helpers/paths.js';

/** An archive (metadata only) naming its store, and the store. */
function updatableArchive(file: string, lineage: string, storeLineage = lineage): void {
  const db = new Database(file);
  db.exec('CREATE TABLE IF NOT EXISTS metadata (name TEXT, value TEXT); DELETE FROM metadata');
  db.prepare('INSERT INTO metadata VALUES (?, ?)').run(STORE_ID_KEY, lineage);
  db.close();
  fs.rmSync(storeDirFor(file), { recursive: true, force: true });
  fs.mkdirSync(storeDirFor(file), { recursive: true });
  const store = OsmStore.create(path.join(storeDirFor(file), STORE_FILE));
  store.setMeta('id', storeLineage);
  store.close();
}

function setRoadsGeneration(archive: string, g: number): void {
  const store = OsmStore.open(path.join(storeDirFor(archive), STORE_FILE));
  store.setMeta(ROADS_GENERATION_KEY, String(g));
  store.close();
}

/** The archive written `seconds` after the graph (as an update writes it in place). */
function touch(file: string, seconds: number, graph: string): void {
  const t = fs.statSync(graph).mtime.getTime() / 1000 + seconds;
  fs.utimesSync(file, t, t);
}

describe('graph freshness (start: rebuild the routing graph only when roads changed)', () => {
  let dir: string, archive: string, graph: string;
  beforeEach(() => {
    dir = tempDir('graph-fresh');
    archive = path.join(dir, 'a.mbtiles');
    graph = path.join(dir, 'a.routing');
    updatableArchive(archive, 'L1');
    fs.writeFileSync(graph, 'graph');
    fs.utimesSync(graph, 1_000_000, 1_000_000);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a graph built from the current roads is current although updates without roads made the archive newer', () => {
    noteGraphBuiltFrom(graph, roadsVersionOf(archive)!);
    touch(archive, 3600, graph);
    assert.equal(graphBehindArchive(graph, archive), false);
  });

  it('an update that changed roads without rebuilding (update --no-routing) leaves the graph behind', () => {
    noteGraphBuiltFrom(graph, roadsVersionOf(archive)!);
    touch(archive, 3600, graph);
    setRoadsGeneration(archive, 3);
    assert.equal(graphBehindArchive(graph, archive), true);
    // built again from generation 3: current
    noteGraphBuiltFrom(graph, roadsVersionOf(archive)!);
    assert.equal(graphBehindArchive(graph, archive), false);
  });

  it('a new import (another lineage) leaves the graph behind', () => {
    noteGraphBuiltFrom(graph, roadsVersionOf(archive)!);
    updatableArchive(archive, 'L2');
    touch(archive, 3600, graph);
    assert.equal(graphBehindArchive(graph, archive), true);
  });

  it('a store a later import left behind does not vouch for the graph', () => {
    noteGraphBuiltFrom(graph, roadsVersionOf(archive)!);
    updatableArchive(archive, 'L3', 'L1');
    touch(archive, 3600, graph);
    assert.equal(roadsVersionOf(archive), undefined);
    assert.equal(graphBehindArchive(graph, archive), true);
  });

  it('without a note matching the graph file, a graph older than the archive is behind and a newer one is not', () => {
    noteGraphBuiltFrom(graph, roadsVersionOf(archive)!);
    fs.writeFileSync(graph, 'another graph, written by route-build');
    touch(archive, 3600, graph);
    assert.equal(graphBehindArchive(graph, archive), true);
    touch(archive, -3600, graph);
    assert.equal(graphBehindArchive(graph, archive), false);
    fs.rmSync(graph);
    assert.equal(graphBehindArchive(graph, archive), true, 'a missing graph');
  });
});
