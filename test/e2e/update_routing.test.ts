/**
 * An update that changes roads rebuilds the routing graph beside the archive (from the
 * imported extract and every change applied since), while the server keeps answering
 * from the old graph, and swaps when the new one is in place: the route then equals
 * the route of a graph built from the edited extract itself.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load_config.js';
import { silentLogger } from '../../src/core/logger.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { loadOsrmService } from '../../src/server/routing_graphs.js';
import { tempDir } from '../helpers/paths.js';
import type { OsmObject } from '../helpers/osm_versions.js';
import { extractVersions, runCliAsync, stopServersAndRemove } from '../helpers/update_versions.js';
import { request } from '../unit/server/http_client.js';

describe('routing after an update @slow', function () {
  this.timeout(900_000);
  let dir: string;
  let server: TuilerieServer | undefined;
  after(() => stopServersAndRemove([server], dir));

  it('rebuilds the graph when a road went away, serving the old one meanwhile', async () => {
    dir = tempDir('tuilerie-update-routing-');
    let road!: OsmObject;
    let nodes = new Map<number, OsmObject>();
    const { v1, v2, change } = extractVersions(dir, 'wehr.osm.pbf', (edited) => {
      nodes = new Map(edited.filter((o) => o.type === 'node').map((o) => [o.id, o]));
      // the road with the most nodes between two junctions-to-be: its ends are where the route starts and stops
      road = edited.filter((o) => o.type === 'way' && ['residential', 'tertiary', 'unclassified'].includes(o.tags.highway ?? '') && o.refs!.every((r) => nodes.has(r)))
        .reduce((a, b) => (b.refs!.length > a.refs!.length ? b : a));
      // the road is closed: no longer a highway
      road.tags = { 'disused:highway': road.tags.highway, ...(road.tags.name ? { name: road.tags.name } : {}) };
      road.version++;
    });
    const archive = path.join(dir, 'wehr.mbtiles');
    const imported = await runCliAsync(['import', '--quiet', '--threads', '1', '--updatable', '--routing', '--out', archive, v1]);
    assert.equal(imported.status, 0, imported.stderr);
    const graph = path.join(dir, 'wehr.routing');
    assert.ok(fs.existsSync(graph));

    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: true, sources: { wehr: { path: archive } } } });
    server = new TuilerieServer({ config, logger: silentLogger });
    const url = await server.start();
    const a = nodes.get(road.refs![0])!, b = nodes.get(road.refs![road.refs!.length - 1])!;
    const routePath = `/route/v1/driving/${a.lon},${a.lat};${b.lon},${b.lat}?overview=false`;
    const route = async () => {
      const r = await request(url + routePath);
      return { status: r.status, body: JSON.parse(r.text()) as { code: string; routes?: { distance: number }[] } };
    };
    const before = await route();
    assert.equal(before.status, 200, JSON.stringify(before.body));
    const oldDistance = before.body.routes![0].distance;

    // what a graph of the edited extract answers
    const fresh = path.join(dir, 'v2.routing');
    const built = await runCliAsync(['route-build', '--quiet', '--out', fresh, v2]);
    assert.equal(built.status, 0, built.stderr);
    const expected = loadOsrmService(fresh);
    let r2: { code: string; routes?: { distance: number }[] };
    try {
      r2 = expected.route('driving', `${a.lon},${a.lat};${b.lon},${b.lat}`, { overview: 'false' }) as typeof r2;
    } catch (e) {
      r2 = { code: (e as { code: string }).code };
    }
    assert.ok(r2.code !== 'Ok' || r2.routes![0].distance !== oldDistance, 'the closed road changes the route (test premise)');

    // routes asked while the update and the rebuild run: always answered, by the old graph or the new one
    const seen: string[] = [];
    let updating = true;
    const polling = (async () => {
      while (updating) {
        const r = await route();
        seen.push(r.status === 200 ? `200 ${r.body.routes![0].distance}` : `${r.status} ${r.body.code}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    const updated = await runCliAsync(['update', '--out', archive, change]);
    updating = false;
    await polling;
    assert.equal(updated.status, 0, updated.stderr);
    assert.match(updated.stderr, /roads: changed/);
    assert.match(updated.stderr, /routing graph .* built in/);
    const after = await route();
    const want = r2.code === 'Ok' ? `200 ${r2.routes![0].distance}` : `${after.status} ${r2.code}`;
    const got = after.status === 200 ? `200 ${after.body.routes![0].distance}` : `${after.status} ${after.body.code}`;
    assert.equal(got, want, 'the rebuilt graph routes as a graph of the edited extract');
    for (const s of seen) assert.ok(s === `200 ${oldDistance}` || s === want, `answered ${s} during the update`);
    assert.ok(seen.length > 0);
  });
});
