import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../../../../src/core/logger.js';
import { runImport } from '../../../../src/importer/import_pipeline.js';
import { STORE_FILE, STORE_ID_KEY, storeDirFor } from '../../../../src/importer/update/store_builder.js';
import { UpdateLock } from '../../../../src/importer/update/update_lock.js';
import { OpenMapTilesProfile } from '../../../../src/schema/openmaptiles_profile.js';
import { writeOsmXml } from '../../../helpers/osm_xml.js';
import { tempDir } from '../../../helpers/paths.js';
import { capturingLogger } from '../../../helpers/capturing_logger.js';
import { until } from '../../../helpers/until.js';

/** A live process standing for an update that holds the store's lock. */
function fakeUpdater(storeDir: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  fs.writeFileSync(path.join(storeDir, 'update.lock'), String(child.pid));
  return child;
}

function archiveLineage(archive: string): string | undefined {
  const db = new Database(archive, { readonly: true });
  try {
    return (db.prepare('SELECT value FROM metadata WHERE name = ?').get(STORE_ID_KEY) as { value: string } | undefined)?.value;
  } finally {
    db.close();
  }
}

function storeId(archive: string): string | undefined {
  const db = new Database(path.join(storeDirFor(archive), STORE_FILE), { readonly: true });
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'id'").get() as { value: string } | undefined)?.value;
  } finally {
    db.close();
  }
}

describe('update lock between import and update', function () {
  this.timeout(180_000);
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => { dir = tempDir('update-lock'); });
  afterEach(() => {
    child?.kill('SIGKILL');
    child = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('import --updatable waits for a running update before replacing archive and store, then replaces both', async () => {
    const input = writeOsmXml(path.join(dir, 'road.osm'), {
      nodes: [{ id: 1, lon: 7.0, lat: 47.0 }, { id: 2, lon: 7.01, lat: 47.01 }],
      ways: [{ id: 10, refs: [1, 2], tags: { highway: 'residential', name: 'Rue' } }],
    });
    const out = path.join(dir, 'a.mbtiles');
    const importing = (logger: Logger) => runImport(
      { inputs: [input], out, minzoom: 12, maxzoom: 14, threads: 1, logger, updatable: true },
      { profile: new OpenMapTilesProfile(), profileName: 'openmaptiles' },
    );
    await importing(capturingLogger([]));
    const first = storeId(out);
    assert.ok(first);
    assert.equal(archiveLineage(out), first);

    child = fakeUpdater(storeDirFor(out));
    const lines: string[] = [];
    let done = false;
    const second = importing(capturingLogger(lines)).finally(() => { done = true; });
    await until('the import to wait for the lock', () => lines.some((l) => /waiting for the update .*pid/.test(l)) || done);
    assert.equal(done, false, 'the import replaced the store while an update held its lock');
    assert.equal(storeId(out), first);
    assert.equal(archiveLineage(out), first);

    child.kill('SIGKILL');
    await second;
    const now = storeId(out);
    assert.notEqual(now, first);
    assert.equal(archiveLineage(out), now);
    assert.equal(fs.existsSync(path.join(storeDirFor(out), 'update.lock')), false);
  });

  it('waitFor takes a lock left by a process that is gone at once, and none where there is no store', async () => {
    const store = path.join(dir, 'x.store');
    fs.mkdirSync(store);
    fs.writeFileSync(path.join(store, 'update.lock'), '999999999');
    const lock = await UpdateLock.waitFor(store, { logger: capturingLogger([]) });
    assert.ok(lock);
    assert.equal(fs.readFileSync(path.join(store, 'update.lock'), 'utf8'), String(process.pid));
    lock.release();
    assert.equal(fs.existsSync(path.join(store, 'update.lock')), false);
    assert.equal(await UpdateLock.waitFor(path.join(dir, 'none.store'), { logger: capturingLogger([]) }), undefined);
  });

  it('release leaves a lock another process took meanwhile', () => {
    const store = path.join(dir, 'y.store');
    fs.mkdirSync(store);
    const lock = UpdateLock.take(store);
    fs.writeFileSync(path.join(store, 'update.lock'), '1');
    lock.release();
    assert.equal(fs.readFileSync(path.join(store, 'update.lock'), 'utf8'), '1');
  });
});
