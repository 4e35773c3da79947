/**
 * End-to-end: `import --updatable` of a real extract, then `update` with changes made by
 * `osmium derive-changes` between edited versions of it, must give the same tiles (every
 * tile, every zoom, features decoded in order with geometry) as a full import of the new
 * version; and a failed update leaves archive and store as they were.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { CLI, NATURAL_EARTH_DIR, osmFile, tempDir } from '../helpers/paths.js';
import { exactTileContents } from '../helpers/tile_contents.js';
import { tileFromKey, tileKey } from '../../src/core/tile_math.js';
import { encodeTileFeatures } from '../../src/importer/tile_encoder.js';
import { decodeTileBlob } from '../../src/importer/update/tile_feature_blob.js';
import { createProfile } from '../../src/schema/profiles.js';
import { copyObjects, deriveChanges, readOsmObjects, writeOsmObjects, type OsmObject } from '../helpers/osm_versions.js';

function runCli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 600_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI without blocking this process (the replication directory is served from here). */
function runCliAsync(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** A static file server over `root` on a free port. */
async function serveDir(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404).end(); return; }
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/repl`, close: () => new Promise((r) => server.close(() => r())) };
}

function assertSameTiles(actual: string, expected: string, what: string): void {
  const a = exactTileContents(actual), e = exactTileContents(expected);
  const missing = [...e.keys()].filter((k) => !a.has(k));
  const extra = [...a.keys()].filter((k) => !e.has(k));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${what}: tile sets differ`);
  for (const [k, v] of e) assert.equal(a.get(k), v, `${what}: tile ${k} differs`);
}

/** One thread: with several, features of equal sort key may come out in another order from one import to the next. */
const IMPORT = ['--threads', '1', '--natural-earth', NATURAL_EARTH_DIR];

const ROADS = new Set(['residential', 'tertiary', 'secondary', 'primary', 'unclassified']);

function memberWays(objs: OsmObject[]): Set<number> {
  const s = new Set<number>();
  for (const o of objs) if (o.type === 'relation') for (const m of o.members!) if (m.type === 'way') s.add(m.ref);
  return s;
}

/** v2: a street renamed, a building moved, a road node moved, a building deleted, a road and a café added, a POI deleted. */
function editV2(v1: OsmObject[]): OsmObject[] {
  const v = copyObjects(v1);
  const byKey = new Map(v.map((o) => [`${o.type}/${o.id}`, o]));
  const inRelation = memberWays(v);
  const ways = v.filter((o) => o.type === 'way');
  const street = ways.find((w) => ROADS.has(w.tags.highway) && w.tags.name && w.refs!.length >= 3)!;
  street.tags.name = 'Tuilerie-Straße';
  street.version++;
  const buildings = ways.filter((w) => w.tags.building && !inRelation.has(w.id) && w.refs!.length >= 5);
  const [moved, deleted] = [buildings[0], buildings[Math.floor(buildings.length / 2)]];
  for (const ref of new Set(moved.refs)) {
    const n = byKey.get(`node/${ref}`)!;
    n.lon! += 0.0003; n.lat! += 0.0001; n.version++;
  }
  const other = ways.find((w) => w !== street && ROADS.has(w.tags.highway) && w.refs!.length >= 5)!;
  const mid = byKey.get(`node/${other.refs![2]}`)!;
  mid.lon! += 0.0005; mid.version++;
  const poi = v.find((o) => o.type === 'node' && o.tags.amenity && o.tags.name);
  const dropped = new Set<OsmObject>([deleted]);
  if (poi) dropped.add(poi);
  const rest = v.filter((o) => !dropped.has(o));
  let nodeId = Math.max(...v.filter((o) => o.type === 'node').map((o) => o.id));
  const wayId = Math.max(...ways.map((o) => o.id)) + 1;
  const lons = v.filter((o) => o.type === 'node').map((o) => o.lon!), lats = v.filter((o) => o.type === 'node').map((o) => o.lat!);
  const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const added: OsmObject[] = [];
  for (let i = 0; i < 4; i++) {
    added.push({ type: 'node', id: ++nodeId, version: 1, lon: w + (e - w) * (0.3 + 0.1 * i), lat: s + (n - s) * (0.4 + 0.05 * i), tags: {} });
  }
  const cafe: OsmObject = { type: 'node', id: ++nodeId, version: 1, lon: w + (e - w) * 0.55, lat: s + (n - s) * 0.5, tags: { amenity: 'cafe', name: 'Café Tuilerie' } };
  const road: OsmObject = { type: 'way', id: wayId, version: 1, refs: added.map((o) => o.id), tags: { highway: 'secondary', name: 'Neue Straße', ref: 'L 999' } };
  return [...rest, ...added, cafe, road];
}

/** Only the nodes of one building moved, nothing else: the building must follow through the node → way index. */
function moveOneBuilding(v1: OsmObject[]): OsmObject[] {
  const v = copyObjects(v1);
  const inRelation = memberWays(v);
  const building = v.find((o) => o.type === 'way' && o.tags.building && !inRelation.has(o.id) && o.refs!.length >= 5)!;
  const refs = new Set(building.refs);
  for (const n of v) if (n.type === 'node' && refs.has(n.id)) { n.lon! -= 0.0004; n.version++; }
  return v;
}

/** The multipolygon the break and repair work on: a landuse area whose outer ring is made of several ways, all in the extract. */
function brokenArea(v: OsmObject[]): OsmObject {
  const ways = new Set(v.filter((o) => o.type === 'way').map((o) => o.id));
  return v.find((o) => {
    if (o.type !== 'relation' || o.tags.type !== 'multipolygon' || !o.tags.landuse) return false;
    const members = o.members!.filter((m) => m.type === 'way');
    return members.every((m) => ways.has(m.ref)) && members.filter((m) => m.role === 'outer').length >= 2;
  })!;
}

/** v3: the multipolygon broken (an outer member removed), a node of another member moved. */
function editV3(v2: OsmObject[]): OsmObject[] {
  const v = copyObjects(v2);
  const rel = brokenArea(v);
  const wayMembers = rel.members!.filter((m) => m.type === 'way' && m.role === 'outer');
  rel.members = rel.members!.filter((m) => m !== wayMembers[0]);
  rel.version++;
  const member = v.find((o) => o.type === 'way' && o.id === wayMembers[1].ref);
  if (member) {
    const node = v.find((o) => o.type === 'node' && o.id === member.refs![1])!;
    node.lat! += 0.0002; node.version++;
  }
  return v;
}

/** v4: the multipolygon repaired (v2's members back); the country relation gains a tag (its member ways are touched). */
function editV4(v3: OsmObject[], v2: OsmObject[]): OsmObject[] {
  const v = copyObjects(v3);
  const rel = brokenArea(v2);
  const now = v.find((o) => o.type === 'relation' && o.id === rel.id)!;
  now.members = rel.members!.map((m) => ({ ...m }));
  now.version++;
  const country = v.find((o) => o.type === 'relation' && o.tags.boundary === 'administrative' && o.tags.admin_level === '2');
  if (country) { country.tags['name:x-test'] = 'Tuilerie'; country.version++; }
  return v;
}

describe('tuilerie update (osmChange → same tiles as a full import) @slow', function () {
  this.timeout(900_000);
  let dir: string;
  const version = (n: number): string => path.join(dir, `v${n}.osm.pbf`);
  const change = (a: number, b: number): string => path.join(dir, `c${a}${b}.osc.gz`);
  const imported = (n: number): string => path.join(dir, `full-v${n}.mbtiles`);

  before(function () {
    dir = tempDir('tuilerie-update-');
    const v1 = readOsmObjects(osmFile('wehr.osm.pbf'));
    const v2 = editV2(v1), v3 = editV3(v2), v4 = editV4(v3, v2);
    [v1, v2, v3, v4].forEach((v, i) => writeOsmObjects(v, version(i + 1)));
    for (let i = 1; i < 4; i++) deriveChanges(version(i), version(i + 1), change(i, i + 1));
    for (let i = 1; i <= 4; i++) {
      const r = runCli(['import', ...IMPORT, '--quiet', '--out', imported(i), version(i)]);
      assert.equal(r.status, 0, r.stderr);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('import --updatable keeps a store beside the archive and reports its size', function () {
    const out = path.join(dir, 'store-check.mbtiles');
    const r = runCli(['import', ...IMPORT, '--updatable', '--out', out, version(1)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /update store: \d+\.\d MiB/);
    assert.ok(fs.statSync(path.join(`${out}.store`, 'osm.sqlite')).size > 0);
    assertSameTiles(out, imported(1), 'updatable import');
    // what the update starts from: every tile's kept features encode to that very tile, and no other tile is kept
    const store = new Database(path.join(`${out}.store`, 'osm.sqlite'), { readonly: true });
    const archive = new Database(out, { readonly: true });
    try {
      const settings = JSON.parse((store.prepare("SELECT value FROM meta WHERE key = 'settings'").get() as { value: string }).value) as { profile: string };
      const layers = createProfile(settings.profile).layers;
      const kept = new Map((store.prepare('SELECT key, data FROM tile_features').all() as { key: number; data: Buffer }[]).map((r) => [r.key, r.data]));
      const tiles = archive.prepare('SELECT zoom_level z, tile_column x, tile_row y, tile_data d FROM tiles').all() as { z: number; x: number; y: number; d: Buffer }[];
      for (const t of tiles) {
        const key = tileKey(t.z, t.x, 2 ** t.z - 1 - t.y);
        const blob = kept.get(key);
        assert.ok(blob, `tile ${t.z}/${t.x}/${t.y} has no kept features`);
        const mvt = encodeTileFeatures(decodeTileBlob(blob), layers, t.z);
        assert.ok(mvt && zlib.gunzipSync(t.d).equals(mvt), `tile ${t.z}/${t.x}/${t.y}: kept features encode to another tile`);
        kept.delete(key);
      }
      // features kept for a tile the archive lacks: only those that merging and thinning leave nothing of
      for (const [key, blob] of kept) assert.equal(encodeTileFeatures(decodeTileBlob(blob), layers, tileFromKey(key).z), null);
    } finally {
      store.close();
      archive.close();
    }
  });

  it('one update gives the tiles of a full import of the new version, and a chain of three does too', function () {
    const out = path.join(dir, 'chain.mbtiles');
    assert.equal(runCli(['import', ...IMPORT, '--quiet', '--updatable', '--out', out, version(1)]).status, 0);
    for (let i = 1; i < 4; i++) {
      const before = exactTileContents(imported(i)), after = exactTileContents(imported(i + 1));
      assert.ok([...after].some(([k, v]) => before.get(k) !== v), `versions ${i} and ${i + 1} give the same tiles: the edits changed nothing`);
      const r = runCli(['update', '--json', '--threads', '1', '--out', out, change(i, i + 1)]);
      assert.equal(r.status, 0, r.stderr);
      const s = JSON.parse(r.stdout) as { tiles: number; tilesPerZoom: Record<string, { written: number }>; changes: Record<string, { create: number; modify: number; delete: number }> };
      assert.ok(s.tiles > 0, `change ${i}→${i + 1} regenerated no tile`);
      const zooms = Object.keys(s.tilesPerZoom).map(Number);
      assert.ok(zooms.includes(14) && zooms.some((z) => z < 12), `change ${i}→${i + 1}: low and high zooms regenerated (${zooms.join(',')})`);
      assertSameTiles(out, imported(i + 1), `after change ${i}→${i + 1}`);
    }
  });

  it('a change that only moves nodes regenerates the ways built on them', function () {
    const moved = path.join(dir, 'moved.osm.pbf'), c = path.join(dir, 'moved.osc');
    writeOsmObjects(moveOneBuilding(readOsmObjects(version(1))), moved);
    deriveChanges(version(1), moved, c);
    const full = path.join(dir, 'full-moved.mbtiles'), out = path.join(dir, 'moved.mbtiles');
    assert.equal(runCli(['import', ...IMPORT, '--quiet', '--out', full, moved]).status, 0);
    assert.equal(runCli(['import', ...IMPORT, '--quiet', '--updatable', '--out', out, version(1)]).status, 0);
    const r = runCli(['update', '--json', '--out', out, c]);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { changes: { node: { modify: number }; way: { modify: number } } };
    assert.ok(s.changes.node.modify > 0 && s.changes.way.modify === 0, 'the change holds node moves only');
    assertSameTiles(out, full, 'after moving the nodes of a building');
  });

  it('several change files in one update apply in order (the store written from spilled tile features)', function () {
    const out = path.join(dir, 'multi.mbtiles');
    // a tiny budget: the tiles stage reads its features (and the store its per-tile features) from runs
    assert.equal(runCli(['import', ...IMPORT, '--quiet', '--max-memory', '1M', '--updatable', '--out', out, version(1)]).status, 0);
    const r = runCli(['update', '--quiet', '--out', out, change(1, 2), change(2, 3), change(3, 4)]);
    assert.equal(r.status, 0, r.stderr);
    assertSameTiles(out, imported(4), 'three changes in one update');
  });

  it('a change no layer shows (tags the profile ignores) leaves every tile as it is, without reading any', function () {
    const tagged = path.join(dir, 'tagged.osm.pbf'), c = path.join(dir, 'tagged.osc');
    const v = readOsmObjects(version(1));
    const ways = v.filter((o) => o.type === 'way' && (o.tags.building || ROADS.has(o.tags.highway))).slice(0, 40);
    for (const w of ways) { w.tags.note = 'checked by tuilerie'; w.version++; }
    writeOsmObjects(v, tagged);
    deriveChanges(version(1), tagged, c);
    const out = path.join(dir, 'tagged.mbtiles');
    assert.equal(runCli(['import', ...IMPORT, '--quiet', '--updatable', '--out', out, version(1)]).status, 0);
    const r = runCli(['update', '--json', '--out', out, c]);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { affected: { ways: number; sameFeatures: number }; tilesPerZoom: Record<string, unknown>; tiles: number };
    assert.ok(s.affected.ways >= ways.length, `the tagged ways are affected (${s.affected.ways})`);
    // every affected object handed the tiler what it did before (most, member ways of the relations the tagged ways are
    // in, have no features at all): no tile is made again, none is even read
    assert.ok(s.affected.sameFeatures >= ways.length, `the tagged ways have the same features (${s.affected.sameFeatures} objects)`);
    assert.deepEqual({ tiles: s.tiles, zooms: Object.keys(s.tilesPerZoom) }, { tiles: 0, zooms: [] });
    assertSameTiles(out, imported(1), 'after tags no layer shows');
  });

  it('a store written before signatures were kept still updates, every affected object run again', function () {
    const out = path.join(dir, 'unsigned.mbtiles');
    assert.equal(runCli(['import', ...IMPORT, '--quiet', '--updatable', '--out', out, version(1)]).status, 0);
    // the reach index as earlier versions of store format 3 wrote it: no signature column
    const db = new Database(path.join(`${out}.store`, 'osm.sqlite'));
    db.exec(`CREATE VIRTUAL TABLE reach_old USING rtree(key, minX, maxX, minY, maxY, minz, maxz, +buf REAL);
      INSERT INTO reach_old SELECT key, minX, maxX, minY, maxY, minz, maxz, buf FROM reach;
      DROP TABLE reach; ALTER TABLE reach_old RENAME TO reach;`);
    db.close();
    const r = runCli(['update', '--json', '--out', out, change(1, 2)]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { affected: { sameFeatures: number } }).affected.sameFeatures, 0);
    assertSameTiles(out, imported(2), 'a store without signatures, after change 1→2');
  });

  it('a failing update leaves archive and store as they were', function () {
    const out = path.join(dir, 'failing.mbtiles');
    assert.equal(runCli(['import', ...IMPORT, '--quiet', '--updatable', '--out', out, version(1)]).status, 0);
    const bad = path.join(dir, 'bad.osc');
    fs.writeFileSync(bad, '<osmChange version="0.6"><modify><node id="1" lon="7.9" lat="x"/></modify></osmChange>');
    const r = runCli(['update', '--quiet', '--out', out, change(1, 2), bad]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /bad\.osc.*invalid lat/);
    assertSameTiles(out, imported(1), 'after the failed update');
    assert.equal(runCli(['update', '--quiet', '--out', out, change(1, 2)]).status, 0);
    assertSameTiles(out, imported(2), 'the same change applied after the failure');
  });

  it('follows a replication directory served over HTTP from the recorded sequence, resumably', async function () {
    const out = path.join(dir, 'repl.mbtiles');
    assert.equal(runCli(['import', ...IMPORT, '--quiet', '--updatable', '--out', out, version(1)]).status, 0);
    const root = path.join(dir, 'www'), repl = path.join(root, 'repl');
    fs.mkdirSync(path.join(repl, '000', '000'), { recursive: true });
    // version n is at sequence 100 + n - 1: change n → n+1 is sequence 100 + n
    const publish = (n: number): void => {
      const seq = String(100 + n);
      fs.copyFileSync(change(n, n + 1), path.join(repl, '000', '000', `${seq}.osc.gz`));
      fs.writeFileSync(path.join(repl, '000', '000', `${seq}.state.txt`), `sequenceNumber=${seq}\n`);
      fs.writeFileSync(path.join(repl, 'state.txt'), `#test\nsequenceNumber=${seq}\ntimestamp=2026-12-0${n}T00\\:00\\:00Z\n`);
    };
    publish(1);
    const site = await serveDir(root);
    try {
      const noSeq = await runCliAsync(['update', '--out', out, '--replication', site.url]);
      assert.equal(noSeq.status, 2);
      assert.match(noSeq.stderr, /--sequence N/);
      const first = await runCliAsync(['update', '--quiet', '--out', out, '--replication', site.url, '--sequence', '100']);
      assert.equal(first.status, 0, first.stderr);
      assertSameTiles(out, imported(2), 'after replication sequence 101');
      publish(2);
      publish(3);
      const next = await runCliAsync(['update', '--json', '--out', out, '--replication', site.url]);
      assert.equal(next.status, 0, next.stderr);
      assert.deepEqual((JSON.parse(next.stdout) as { sequence: unknown }).sequence, { from: 101, to: 103 });
      assertSameTiles(out, imported(4), 'after replication sequences 102 and 103');
      const again = await runCliAsync(['update', '--out', out, '--replication', site.url]);
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stderr, /up to date: sequence 103/);

      // an extract whose header carries its sequence needs no --sequence
      const withHeader = path.join(dir, 'v1-seq.osm.pbf'), out2 = path.join(dir, 'repl-header.mbtiles');
      execFileSync('osmium', ['cat', '--overwrite', '--output-header=osmosis_replication_sequence_number=100', '-o', withHeader, version(1)]);
      assert.equal(runCli(['import', ...IMPORT, '--quiet', '--updatable', '--out', out2, withHeader]).status, 0);
      const fromHeader = await runCliAsync(['update', '--json', '--out', out2, '--replication', site.url]);
      assert.equal(fromHeader.status, 0, fromHeader.stderr);
      assert.deepEqual((JSON.parse(fromHeader.stdout) as { sequence: unknown }).sequence, { from: 100, to: 103 });
      assertSameTiles(out2, imported(4), 'from the header\'s sequence');
    } finally {
      await site.close();
    }
  });

  it('refuses an archive without a store, with a clear message', function () {
    const r = runCli(['update', '--out', imported(1), change(1, 2)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no update store.*--updatable/);
  });
});
