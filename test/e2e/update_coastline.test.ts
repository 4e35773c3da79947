/**
 * `update` rebuilds the sea when a coastline way's node moves: the tiles equal a full
 * import of the moved coast (Natural Earth's Dutch coast as `natural=coastline` ways).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { coastlineWays, landRings } from '../helpers/coastline_oracle.js';
import { copyObjects, deriveChanges, writeOsmObjects, type OsmObject } from '../helpers/osm_versions.js';
import { exactTileContents } from '../helpers/tile_contents.js';

const BBOX = [4.4, 52.2, 5.0, 52.7];
const ZOOMS = ['--threads', '1', '--quiet', '--minzoom', '6', '--maxzoom', '11'];

function runCli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 600_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('tuilerie update of coastline @slow', function () {
  this.timeout(600_000);
  let dir: string | undefined;
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  // the same without --bbox (sea closed along the data's outline) passed too, but takes minutes: the nodes' extent
  // then spans a degree more of sea
  for (const [what, IMPORT] of [['with --bbox', [...ZOOMS, '--bbox', BBOX.join(',')]]] as const) {
  it(`moving a coastline node rebuilds the sea as a full import does, ${what}`, function () {
    dir ??= tempDir('tuilerie-update-coast-');
    const sub = fs.mkdtempSync(path.join(dir, 'case-'));
    const { nodes, ways } = coastlineWays(landRings([BBOX[0] - 1, BBOX[1] - 1, BBOX[2] + 1, BBOX[3] + 1]), 8);
    const v1: OsmObject[] = [
      ...nodes.map((n): OsmObject => ({ type: 'node', id: n.id, version: 1, lon: n.lon, lat: n.lat, tags: {} })),
      ...ways.map((w): OsmObject => ({ type: 'way', id: w.id, version: 1, refs: [...w.refs], tags: { ...w.tags } })),
    ];
    const v2 = copyObjects(v1);
    // a coast node inside the box moves 3 km west: sea becomes land or land sea around it
    const node = v2.find((o) => o.type === 'node' && o.lon! > BBOX[0] + 0.1 && o.lon! < BBOX[2] - 0.1 && o.lat! > BBOX[1] + 0.1 && o.lat! < BBOX[3] - 0.1)!;
    node.lon! -= 0.045; node.version++;
    const [f1, f2, c] = ['v1.osm.pbf', 'v2.osm.pbf', 'c.osc'].map((f) => path.join(sub, f));
    writeOsmObjects(v1, f1);
    writeOsmObjects(v2, f2);
    deriveChanges(f1, f2, c);
    const full = path.join(sub, 'full.mbtiles'), out = path.join(sub, 'out.mbtiles');
    assert.equal(runCli(['import', ...IMPORT, '--out', full, f2]).status, 0);
    const r1 = runCli(['import', ...IMPORT, '--updatable', '--out', out, f1]);
    assert.equal(r1.status, 0, r1.stderr);
    const before = exactTileContents(out), expected = exactTileContents(full);
    assert.ok([...expected].some(([k, v]) => before.get(k) !== v), 'the moved node changes some tile');
    const r = runCli(['update', '--json', '--out', out, c]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { affected: { sea: boolean } }).affected.sea, true);
    const actual = exactTileContents(out);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    for (const [k, v] of expected) assert.equal(actual.get(k), v, `tile ${k} differs`);
  });
  }
});
