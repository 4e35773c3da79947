/**
 * End-to-end: `tuilerie route-build` through the real CLI (dist/) on real extracts;
 * the file it writes loads and routes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, osmFile, tempDir } from '../helpers/paths.js';
import { loadOsrmService } from '../../src/server/routing_routes.js';

function runCli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('tuilerie route-build (real CLI) @slow', function () {
  this.timeout(300000);
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds a graph from a PBF and an XML extract together, with a JSON summary', () => {
    const out = path.join(dir, 'region.routing');
    const r = runCli(['route-build', '--quiet', '--json', '--out', out, osmFile('mulhouse.osm.pbf'), osmFile('freiburg-roads.osm.bz2')]);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.out, out);
    assert.ok(summary.nodes > 1000, `nodes ${summary.nodes}`);
    assert.deepEqual(Object.keys(summary.profiles).sort(), ['bicycle', 'car', 'foot']);
    const s = loadOsrmService(out);
    // Freiburg im Breisgau, two points ~1 km apart in the centre.
    const body = s.route('car', '7.8421,47.9959;7.8525,47.9990', {}) as { code: string; routes: Array<{ distance: number }> };
    assert.equal(body.code, 'Ok');
    assert.ok(body.routes[0].distance > 500);
  });

  it('builds in a child process with glibc\'s mmap threshold fixed (freed arrays leave the resident memory)', () => {
    const out = path.join(dir, 'wehr.routing');
    const env = { ...process.env };
    delete env.MALLOC_MMAP_THRESHOLD_;
    const r = spawnSync(process.execPath, [CLI, 'route-build', '--quiet', '--json', '--profiles', 'car', '--out', out, osmFile('wehr.osm.pbf')], { encoding: 'utf8', timeout: 300_000, env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).mallocMmapThreshold, '131072');
    assert.ok(fs.existsSync(out));
  });

  it('import --routing builds the graph the same way: a route-build child with the threshold fixed', () => {
    const archive = path.join(dir, 'wehr.mbtiles');
    const env = { ...process.env };
    delete env.MALLOC_MMAP_THRESHOLD_;
    const r = spawnSync(process.execPath, [CLI, 'import', '--threads', '1', '--maxzoom', '10', '--routing', '--out', archive, osmFile('wehr.osm.pbf')], { encoding: 'utf8', timeout: 300_000, env });
    assert.equal(r.status, 0, r.stderr);
    // route-build's own summary: the build ran in that command, in the child
    assert.match(r.stderr, /profiles? contracted at once/);
    assert.ok(fs.existsSync(path.join(dir, 'wehr.routing')));
  });

  it('contracts one profile at a time under a small --max-memory, and says so in the summary', () => {
    const out = path.join(dir, 'hd.routing');
    const r = runCli(['route-build', '--quiet', '--json', '--max-memory', '64M', '--out', out, osmFile('heidelberg-routing.osm.pbf')]);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.maxMemoryBytes, 64 * 2 ** 20);
    assert.equal(summary.contractLanes, 1);
    assert.deepEqual(Object.keys(summary.profiles).sort(), ['bicycle', 'car', 'foot']);
    assert.equal((loadOsrmService(out).route('car', '8.6760,49.4094;8.6936,49.4120', {}) as { code: string }).code, 'Ok');
  });

  it('rejects a --max-memory that is not a size', () => {
    const r = runCli(['route-build', '--max-memory', 'lots', '--out', path.join(dir, 'x.routing'), osmFile('wehr.osm.pbf')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--max-memory must be a size/);
  });

  it('builds only the profiles asked for', () => {
    const out = path.join(dir, 'car.routing');
    const r = runCli(['route-build', '--quiet', '--profiles', 'car', '--out', out, osmFile('wehr.osm.pbf')]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([...loadOsrmService(out).router.data.profiles.keys()], ['car']);
  });

  it('rejects an unknown profile with a usage error and writes nothing', () => {
    const out = path.join(dir, 'x.routing');
    const r = runCli(['route-build', '--profiles', 'car,plane', '--out', out, osmFile('wehr.osm.pbf')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown profile "plane"/);
    assert.equal(fs.existsSync(out), false);
  });

  it('fails on a missing input without leaving a file', () => {
    const out = path.join(dir, 'x.routing');
    const r = runCli(['route-build', '--out', out, path.join(dir, 'nope.osm.pbf')]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /does not exist/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('refuses an input without a routable way: exit 1, one line, an existing graph untouched', () => {
    const osm = path.join(dir, 'buildings.osm');
    fs.writeFileSync(osm, buildingsOnlyOsm(7.33, 47.75, 4));
    const out = path.join(dir, 'city.routing');
    const before = Buffer.from('an existing graph: these bytes must survive');
    fs.writeFileSync(out, before);
    const r = runCli(['route-build', '--out', out, osm]);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('tuilerie:'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /no routable way/);
    assert.deepEqual(fs.readFileSync(out), before);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['buildings.osm', 'city.routing']);
  });

  it('refuses an input without a routable way and creates no file where there was none', () => {
    const osm = path.join(dir, 'buildings.osm');
    fs.writeFileSync(osm, buildingsOnlyOsm(7.33, 47.75, 3));
    const out = path.join(dir, 'none.routing');
    const r = runCli(['route-build', '--quiet', '--profiles', 'car', '--out', out, osm]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /no routable way for car/);
    assert.deepEqual(fs.readdirSync(dir), ['buildings.osm']);
  });
});

/** An OSM XML file of n×n square buildings (closed ways) and nothing else. */
function buildingsOnlyOsm(lon0: number, lat0: number, n: number): string {
  const nodes: string[] = [];
  const ways: string[] = [];
  let id = 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = lon0 + i * 0.001;
      const y = lat0 + j * 0.001;
      const ids = [id, id + 1, id + 2, id + 3];
      const corners = [[x, y], [x + 0.0003, y], [x + 0.0003, y + 0.0003], [x, y + 0.0003]];
      corners.forEach(([lon, lat], k) => nodes.push(`  <node id="${ids[k]}" version="1" lat="${lat.toFixed(7)}" lon="${lon.toFixed(7)}"/>`));
      ways.push(`  <way id="${id}" version="1">${[...ids, ids[0]].map((r) => `<nd ref="${r}"/>`).join('')}<tag k="building" v="yes"/></way>`);
      id += 4;
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n${nodes.join('\n')}\n${ways.join('\n')}\n</osm>\n`;
}
