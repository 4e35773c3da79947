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
});
