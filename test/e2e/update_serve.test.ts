/**
 * A running server follows `tuilerie update` without a restart: the renamed street
 * appears in its vector tiles, the changed tiles get new ETags, and every tile the
 * update left alone keeps its ETag (a client's If-None-Match still gets 304).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config/load_config.js';
import { silentLogger } from '../../src/core/logger.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { tempDir } from '../helpers/paths.js';
import { extractVersions, runCliAsync, stopServersAndRemove, tileNames } from '../helpers/update_versions.js';
import { request } from '../unit/server/http_client.js';

/** Every tile by z/x/y (XYZ), as stored bytes. */
function allTiles(file: string): Map<string, Buffer> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT zoom_level z, tile_column x, tile_row y, tile_data d FROM tiles').all() as { z: number; x: number; y: number; d: Buffer }[];
    return new Map(rows.map((r) => [`${r.z}/${r.x}/${(1 << r.z) - 1 - r.y}`, r.d]));
  } finally {
    db.close();
  }
}

/** z14 tiles by XYZ key, as stored bytes. */
function z14Tiles(file: string): Map<string, Buffer> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT tile_column x, tile_row y, tile_data d FROM tiles WHERE zoom_level = 14').all() as { x: number; y: number; d: Buffer }[];
    return new Map(rows.map((r) => [`14/${r.x}/${(1 << 14) - 1 - r.y}`, r.d]));
  } finally {
    db.close();
  }
}

describe('serving an archive while it is updated @slow', function () {
  this.timeout(600_000);
  let dir: string;
  let server: TuilerieServer | undefined;
  after(() => stopServersAndRemove([server], dir));

  it('shows the renamed street, moves the ETags of the changed tiles and keeps the others', async () => {
    dir = tempDir('tuilerie-update-serve-');
    let oldName = '';
    const { v1, change } = extractVersions(dir, 'wehr.osm.pbf', (edited) => {
      const street = edited.find((o) => o.type === 'way' && o.tags.highway === 'residential' && o.tags.name)!;
      oldName = street.tags.name;
      street.tags.name = 'Rue de la Tuilerie';
      street.version++;
    });
    const archive = path.join(dir, 'wehr.mbtiles');
    const imported = await runCliAsync(['import', '--quiet', '--threads', '1', '--updatable', '--out', archive, v1]);
    assert.equal(imported.status, 0, imported.stderr);
    const before = z14Tiles(archive);
    const v1Archive = path.join(dir, 'v1-copy.mbtiles');
    fs.copyFileSync(archive, v1Archive);
    const streetTile = [...before].find(([, d]) => tileNames(d).has(oldName))![0];

    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: true, sources: { wehr: { path: archive } } } });
    server = new TuilerieServer({ config, logger: silentLogger });
    const url = await server.start();
    const etags = new Map<string, string>();
    for (const key of before.keys()) {
      const r = await request(`${url}/data/wehr/${key}.pbf`);
      assert.equal(r.status, 200);
      etags.set(key, String(r.headers.etag));
    }

    const updated = await runCliAsync(['update', '--quiet', '--out', archive, change]);
    assert.equal(updated.status, 0, updated.stderr);
    const after = z14Tiles(archive);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    const changed = [...after.keys()].filter((k) => !after.get(k)!.equals(before.get(k)!));
    assert.ok(changed.includes(streetTile), 'the street\'s tile changed in the archive');
    assert.ok(changed.length < after.size, 'some tiles were left alone');
    // the archive's change log names exactly the tiles, at every zoom, whose bytes changed or that came or went
    const db = new Database(archive, { readonly: true });
    const logged = (db.prepare('SELECT z, x, y FROM tuilerie_changed_tiles').all() as { z: number; x: number; y: number }[]).map((t) => `${t.z}/${t.x}/${t.y}`);
    db.close();
    const all0 = allTiles(v1Archive), all1 = allTiles(archive);
    const differing = [...new Set([...all0.keys(), ...all1.keys()])].filter((k) => !all0.get(k)?.equals(all1.get(k) ?? Buffer.alloc(0)) || !all1.has(k));
    assert.deepEqual(logged.sort(), differing.sort());

    // the server notices the changed file by itself (watch); wait for it generously
    const deadline = Date.now() + 120_000;
    let body = Buffer.alloc(0);
    while (Date.now() < deadline) {
      const r = await request(`${url}/data/wehr/${streetTile}.pbf`);
      body = r.body;
      if (tileNames(body).has('Rue de la Tuilerie')) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.ok(tileNames(body).has('Rue de la Tuilerie'), 'the served tile shows the new name');
    for (const key of after.keys()) {
      const r = await request(`${url}/data/wehr/${key}.pbf`);
      if (changed.includes(key)) assert.notEqual(String(r.headers.etag), etags.get(key), `changed tile ${key} kept its ETag`);
      else {
        assert.equal(String(r.headers.etag), etags.get(key), `unchanged tile ${key} got a new ETag`);
        const again = await request(`${url}/data/wehr/${key}.pbf`, { headers: { 'if-none-match': etags.get(key)! } });
        assert.equal(again.status, 304);
      }
    }
  });
});
