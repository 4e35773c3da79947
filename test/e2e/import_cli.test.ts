/**
 * End-to-end: the real CLI (dist/) imports the real extracts; the output is read
 * back with better-sqlite3, @mapbox/vector-tile and GDAL's ogrinfo.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { CLI, NATURAL_EARTH_DIR, UPSTREAM_STYLES_DIR, osmFile, tempDir } from '../helpers/paths.js';
import { tileContents } from '../helpers/tile_contents.js';

function runCli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 600_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Decoded { layers: Record<string, { features: Record<string, unknown>[]; types: number[] }> }

function decodeTiles(file: string, zoom: number): Decoded[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ?').all(zoom) as { tile_data: Buffer }[];
    return rows.map((r) => {
      const vt = new VectorTile(new PbfReader(zlib.gunzipSync(r.tile_data)));
      const layers: Decoded['layers'] = {};
      for (const [name, layer] of Object.entries(vt.layers)) {
        const features: Record<string, unknown>[] = [];
        const types: number[] = [];
        for (let i = 0; i < layer.length; i++) {
          const f = layer.feature(i);
          features.push(f.properties);
          types.push(f.type);
        }
        layers[name] = { features, types };
      }
      return { layers };
    });
  } finally {
    db.close();
  }
}

describe('tuilerie import (real CLI, real extracts) @slow', function () {
  this.timeout(600_000);
  let dir: string;
  let mulhouse: string;
  let stderr: string;

  before(function () {
    dir = tempDir();
    mulhouse = path.join(dir, 'mulhouse.mbtiles');
    const r = runCli(['import', '--out', mulhouse, '--natural-earth', NATURAL_EARTH_DIR, osmFile('mulhouse.osm.pbf')]);
    stderr = r.stderr;
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes MBTiles 1.3 metadata with vector_layers', () => {
    const db = new Database(mulhouse, { readonly: true });
    const meta = Object.fromEntries((db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]));
    db.close();
    assert.equal(meta.format, 'pbf');
    assert.equal(meta.minzoom, '0');
    assert.equal(meta.maxzoom, '14');
    assert.match(meta.attribution, /OpenStreetMap contributors/);
    const bounds = meta.bounds.split(',').map(Number);
    assert.ok(bounds[0] < 7.34 && bounds[2] > 7.33 && bounds[1] < 47.755 && bounds[3] > 47.75, meta.bounds);
    assert.equal(meta.center.split(',').length, 3);
    const json = JSON.parse(meta.json);
    const ids = json.vector_layers.map((l: { id: string }) => l.id);
    for (const l of ['water', 'waterway', 'landcover', 'landuse', 'mountain_peak', 'park', 'boundary', 'aeroway', 'transportation',
      'transportation_name', 'building', 'water_name', 'place', 'housenumber', 'poi', 'aerodrome_label']) assert.ok(ids.includes(l), l);
  });

  it('prints a summary with stages, layers, zooms and peak memory', () => {
    for (const s of ['osm_read', 'features', 'tiles', 'features per layer', 'tiles per zoom', 'peak memory', 'data errors']) assert.ok(stderr.includes(s), s);
  });

  it('has a tile at every zoom from 0 to 14', () => {
    const db = new Database(mulhouse, { readonly: true });
    const zs = (db.prepare('SELECT DISTINCT zoom_level z FROM tiles ORDER BY z').all() as { z: number }[]).map((r) => r.z);
    db.close();
    assert.deepEqual(zs, Array.from({ length: 15 }, (_, i) => i));
  });

  it('z14 tiles carry the city-centre layers with OpenMapTiles values', () => {
    const tiles = decodeTiles(mulhouse, 14);
    const count = (layer: string) => tiles.reduce((s, t) => s + (t.layers[layer]?.features.length ?? 0), 0);
    assert.ok(count('building') > 500, `buildings ${count('building')}`);
    assert.ok(count('transportation') > 200, `transportation ${count('transportation')}`);
    assert.ok(count('transportation_name') > 50);
    assert.ok(count('housenumber') > 200);
    assert.ok(count('poi') > 50);
    const classes = new Set(tiles.flatMap((t) => (t.layers.transportation?.features ?? []).map((f) => f.class)));
    for (const c of ['primary', 'secondary', 'minor', 'path']) assert.ok(classes.has(c), `transportation class ${c} in ${[...classes]}`);
    const named = tiles.flatMap((t) => t.layers.transportation_name?.features ?? []).filter((f) => typeof f.name === 'string');
    assert.ok(named.length > 0);
  });

  it('is opened by GDAL (ogrinfo) with the layers listed', function () {
    if (spawnSync('ogrinfo', ['--version']).status !== 0) this.skip();
    const out = execFileSync('ogrinfo', ['-ro', '-so', mulhouse, '-oo', 'ZOOM_LEVEL=14'], { encoding: 'utf8' });
    for (const l of ['building', 'transportation', 'poi', 'housenumber']) assert.match(out, new RegExp(`\\b${l}\\b`));
    const b = execFileSync('ogrinfo', ['-ro', '-so', mulhouse, '-oo', 'ZOOM_LEVEL=14', 'building'], { encoding: 'utf8' });
    const n = Number(/Feature Count: (\d+)/.exec(b)?.[1]);
    assert.ok(n > 500, b);
  });

  it('provides every source-layer the four upstream styles read', () => {
    const db = new Database(mulhouse, { readonly: true });
    const json = JSON.parse((db.prepare("SELECT value FROM metadata WHERE name='json'").get() as { value: string }).value);
    db.close();
    const ids = new Set(json.vector_layers.map((l: { id: string }) => l.id));
    for (const style of fs.readdirSync(UPSTREAM_STYLES_DIR)) {
      const file = path.join(UPSTREAM_STYLES_DIR, style, 'style.json');
      if (!fs.existsSync(file)) continue;
      const s = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const layer of s.layers) if (layer['source-layer']) assert.ok(ids.has(layer['source-layer']), `${style}: ${layer['source-layer']}`);
    }
  });

  it('imports all extracts together in one run, objects in two extracts once', () => {
    const out = path.join(dir, 'all.mbtiles');
    const inputs = ['mulhouse.osm.pbf', 'wehr.osm.pbf', 'schopfheim.osm.pbf', 'freiburg-roads.osm.bz2', 'mulhouse.osm'].map(osmFile);
    const r = runCli(['import', '--out', out, '--json', ...inputs]);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    // mulhouse.osm is the same data as mulhouse.osm.pbf: every object of it is a duplicate
    assert.ok(summary.osm.duplicates >= 4078 + 154, `duplicates ${summary.osm.duplicates}`);
    const single = decodeTiles(mulhouse, 14).reduce((s, t) => s + (t.layers.building?.features.length ?? 0), 0);
    const db = new Database(out, { readonly: true });
    const b = (db.prepare("SELECT value FROM metadata WHERE name='bounds'").get() as { value: string }).value.split(',').map(Number);
    db.close();
    assert.ok(b[0] < 7.34 && b[2] > 7.9 && b[3] > 48.1, `bounds ${b}`);
    assert.ok(single > 0);
  });

  it('counts the dangling node references of freiburg-roads.osm.bz2 as data errors', () => {
    const out = path.join(dir, 'freiburg.mbtiles');
    const r = runCli(['import', '--out', out, '--json', '--maxzoom', '12', osmFile('freiburg-roads.osm.bz2')]);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.ok(summary.dataErrors.osm_missing_node > 0, JSON.stringify(summary.dataErrors));
    // without --max-memory the budget is a quarter of the RAM, so the whole region keeps within it too
    assert.equal(summary.maxMemoryBytes, Math.floor(os.totalmem() / 4));
  });

  it('imports the XML, wehr and schopfheim extracts', () => {
    for (const name of ['mulhouse.osm', 'wehr.osm.pbf', 'schopfheim.osm.pbf', 'heidelberg-routing.osm.pbf']) {
      const out = path.join(dir, name.replace(/\W/g, '_') + '.mbtiles');
      const r = runCli(['import', '--out', out, '--quiet', osmFile(name)]);
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.ok(fs.statSync(out).size > 10_000, name);
    }
  });
});

describe('tuilerie import: options', function () {
  this.timeout(300_000);
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function zoomsAndBounds(file: string): { zooms: number[]; bounds: number[]; name: string; attribution: string } {
    const db = new Database(file, { readonly: true });
    const zooms = (db.prepare('SELECT DISTINCT zoom_level z FROM tiles ORDER BY z').all() as { z: number }[]).map((r) => r.z);
    const meta = Object.fromEntries((db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]));
    db.close();
    return { zooms, bounds: meta.bounds.split(',').map(Number), name: meta.name, attribution: meta.attribution };
  }

  it('honours --minzoom, --maxzoom, --name and --attribution', () => {
    const out = path.join(dir, 'z.mbtiles');
    const r = runCli(['import', '--quiet', '--out', out, '--minzoom', '10', '--maxzoom', '12', '--name', 'Wehr test', '--attribution', 'test attribution', osmFile('wehr.osm.pbf')]);
    assert.equal(r.status, 0, r.stderr);
    const m = zoomsAndBounds(out);
    assert.deepEqual(m.zooms, [10, 11, 12]);
    assert.equal(m.name, 'Wehr test');
    assert.equal(m.attribution, 'test attribution');
  });

  it('writes only tiles intersecting --bbox', () => {
    const out = path.join(dir, 'b.mbtiles');
    // the western half of the Wehr extract
    const r = runCli(['import', '--quiet', '--out', out, '--bbox', '7.78,47.54,7.85,47.65', osmFile('wehr.osm.pbf')]);
    assert.equal(r.status, 0, r.stderr);
    const db = new Database(out, { readonly: true });
    const cols = (db.prepare('SELECT MIN(tile_column) a, MAX(tile_column) b FROM tiles WHERE zoom_level = 14').get() as { a: number; b: number });
    db.close();
    // 7.85°E is in column floor((7.85+180)/360*2^14) = 8549
    assert.ok(cols.b <= 8550, JSON.stringify(cols));
    assert.deepEqual(zoomsAndBounds(out).bounds, [7.78, 47.54, 7.85, 47.65]);
  });

  it('writes only tiles intersecting a --clip outline', () => {
    const clip = path.join(dir, 'clip.geojson');
    fs.writeFileSync(clip, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[7.86, 47.68], [7.9, 47.68], [7.9, 47.72], [7.86, 47.72], [7.86, 47.68]]] } }] }));
    const full = path.join(dir, 'full.mbtiles'), clipped = path.join(dir, 'clipped.mbtiles');
    assert.equal(runCli(['import', '--quiet', '--out', full, osmFile('schopfheim.osm.pbf')]).status, 0);
    const r = runCli(['import', '--quiet', '--out', clipped, '--clip', clip, osmFile('schopfheim.osm.pbf')]);
    assert.equal(r.status, 0, r.stderr);
    const count = (f: string) => {
      const db = new Database(f, { readonly: true });
      const n = (db.prepare('SELECT COUNT(*) n FROM tiles WHERE zoom_level = 14').get() as { n: number }).n;
      db.close();
      return n;
    };
    assert.ok(count(clipped) > 0 && count(clipped) < count(full) / 2, `${count(clipped)} vs ${count(full)}`);
  });

  it('writes the same tiles with one thread and with several (parallel features and tiles stages)', () => {
    const one = path.join(dir, 't1.mbtiles'), two = path.join(dir, 't2.mbtiles');
    assert.equal(runCli(['import', '--quiet', '--threads', '1', '--out', one, osmFile('heidelberg-routing.osm.pbf')]).status, 0);
    assert.equal(runCli(['import', '--quiet', '--threads', '3', '--out', two, osmFile('heidelberg-routing.osm.pbf')]).status, 0);
    const a = tileContents(one), b = tileContents(two);
    assert.equal(a.size, b.size);
    assert.ok(a.size > 100);
    for (const [k, v] of a) assert.equal(b.get(k), v, `tile ${k}`);
  });

  it('reads ways that carry their nodes\' locations (osmium add-locations-to-ways, PBF and XML) and lz4 blocks as the plain extract', () => {
    const tiles = (file: string): Map<string, string> => {
      const db = new Database(file, { readonly: true });
      const m = new Map((db.prepare('SELECT zoom_level z, tile_column x, tile_row y, hex(tile_data) d FROM tiles').all() as { z: number; x: number; y: number; d: string }[]).map((r) => [`${r.z}/${r.x}/${r.y}`, r.d]));
      db.close();
      return m;
    };
    const plain = path.join(dir, 'plain.mbtiles');
    assert.equal(runCli(['import', '--quiet', '--threads', '1', '--out', plain, osmFile('wehr.osm.pbf')]).status, 0);
    const expected = tiles(plain);
    assert.ok(expected.size > 20);
    for (const ext of ['osm.pbf', 'osm']) {
      const low = path.join(dir, `low.${ext}`);
      // untagged nodes are left out: their places are only on the ways
      execFileSync('osmium', ['add-locations-to-ways', osmFile('wehr.osm.pbf'), '-o', low, '-f', ext === 'osm' ? 'osm' : 'pbf', '--overwrite'], { stdio: 'pipe' });
      const out = path.join(dir, `low-${ext}.mbtiles`);
      const r = runCli(['import', '--threads', '1', '--out', out, low]);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /osm_missing_node/);
      const got = tiles(out);
      assert.equal(got.size, expected.size, ext);
      for (const [k, v] of expected) assert.equal(got.get(k), v, `${ext}: tile ${k}`);
    }
    // osmium's lz4-compressed blocks
    const lz4 = path.join(dir, 'lz4.osm.pbf');
    execFileSync('osmium', ['cat', osmFile('wehr.osm.pbf'), '-o', lz4, '-f', 'pbf,pbf_compression=lz4', '--overwrite'], { stdio: 'pipe' });
    const out = path.join(dir, 'lz4.mbtiles');
    const r = runCli(['import', '--quiet', '--threads', '1', '--out', out, lz4]);
    assert.equal(r.status, 0, r.stderr);
    const got = tiles(out);
    assert.equal(got.size, expected.size, 'lz4');
    for (const [k, v] of expected) assert.equal(got.get(k), v, `lz4: tile ${k}`);
  });

  it('records the replication timestamp of the inputs as the date of the data', () => {
    const out = path.join(dir, 'ts.mbtiles');
    assert.equal(runCli(['import', '--quiet', '--maxzoom', '6', '--out', out, osmFile('heidelberg-routing.osm.pbf')]).status, 0);
    const db = new Database(out, { readonly: true });
    const row = db.prepare("SELECT value FROM metadata WHERE name = 'osm_timestamp'").get() as { value: string } | undefined;
    db.close();
    // osmium fileinfo: osmosis_replication_timestamp=2024-09-08T20:21:00Z
    assert.equal(row?.value, '2024-09-08T20:21:00Z');
  });

  it('rejects a bad --bbox with a usage error', () => {
    const r = runCli(['import', '--out', path.join(dir, 'x.mbtiles'), '--bbox', '8,47,7,48', osmFile('wehr.osm.pbf')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--bbox/);
  });
});

describe('tuilerie import: bad input', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function expectFailureKeepsOutput(args: (out: string) => string[], pattern: RegExp): void {
    const out = path.join(dir, 'existing.mbtiles');
    fs.writeFileSync(out, 'previous good archive');
    const r = runCli(args(out));
    assert.notEqual(r.status, 0);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[lines.length - 1], pattern);
    assert.equal(fs.readFileSync(out, 'utf8'), 'previous good archive');
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f !== 'existing.mbtiles' && !f.startsWith('input')), []);
  }

  it('rejects a file that is not OSM', () => {
    const bad = path.join(dir, 'input.osm.pbf');
    fs.writeFileSync(bad, 'this is not a protocol buffer at all, just text\n'.repeat(20));
    expectFailureKeepsOutput((out) => ['import', '--out', out, bad], /input\.osm\.pbf/);
  });

  it('rejects a truncated PBF without touching the existing output', () => {
    const bad = path.join(dir, 'input-truncated.osm.pbf');
    const full = fs.readFileSync(osmFile('mulhouse.osm.pbf'));
    fs.writeFileSync(bad, full.subarray(0, Math.floor(full.length / 2)));
    expectFailureKeepsOutput((out) => ['import', '--out', out, bad], /truncat|input-truncated/i);
  });

  it('rejects an unknown extension', () => {
    const bad = path.join(dir, 'input.shp');
    fs.writeFileSync(bad, 'x');
    expectFailureKeepsOutput((out) => ['import', '--out', out, bad], /input\.shp|extension|format/i);
  });

  it('rejects an unreadable input', () => {
    expectFailureKeepsOutput((out) => ['import', '--out', out, path.join(dir, 'input-missing.osm.pbf')], /input-missing\.osm\.pbf/);
  });

  it('rejects an unwritable output directory', () => {
    const r = runCli(['import', '--out', path.join(dir, 'no', 'such', 'dir', 'x.mbtiles'), osmFile('mulhouse.osm.pbf')]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /cannot write/);
  });
});
