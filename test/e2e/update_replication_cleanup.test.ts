/**
 * `update --replication` downloads into a temp directory of the store: stopping the
 * update while it downloads (SIGTERM, as `start --update-every` stopping does) or a
 * failing download removes it, and one left by a run killed outright goes with the next run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { writeOsmXml } from '../helpers/osm_xml.js';
import { CLI, tempDir } from '../helpers/paths.js';
import { silentLogger } from '../../src/core/logger.js';
import { runImport } from '../../src/importer/import_pipeline.js';
import { OpenMapTilesProfile } from '../../src/schema/openmaptiles_profile.js';
import { storeDirFor } from '../../src/importer/update/store_builder.js';
import { until } from '../helpers/until.js';

/** A replication directory at sequence 3 whose change files are never answered (`stall`) or missing. */
async function replicationSite(mode: 'stall' | 'missing'): Promise<{ url: string; asked: () => boolean; close: () => Promise<void> }> {
  let asked = false;
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/state.txt') return void res.end('sequenceNumber=3\n');
    asked = true;
    if (mode === 'stall') held.push(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked: () => asked,
    close: () => new Promise((r) => {
      for (const res of held) res.destroy();
      server.close(() => r());
    }),
  };
}

function leftovers(store: string): string[] {
  return fs.readdirSync(store).filter((n) => /replication/.test(n));
}


describe('update --replication temp downloads', function () {
  this.timeout(180_000);
  let dir: string;
  let archive: string;
  beforeEach(async () => {
    dir = tempDir('repl-cleanup');
    const input = writeOsmXml(path.join(dir, 'road.osm'), {
      nodes: [{ id: 1, lon: 7.0, lat: 47.0 }, { id: 2, lon: 7.01, lat: 47.01 }],
      ways: [{ id: 10, refs: [1, 2], tags: { highway: 'residential' } }],
    });
    archive = path.join(dir, 'a.mbtiles');
    await runImport(
      { inputs: [input], out: archive, minzoom: 13, maxzoom: 14, threads: 1, logger: silentLogger, updatable: true },
      { profile: new OpenMapTilesProfile(), profileName: 'openmaptiles' },
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM while downloading removes the downloads, and the process ends by the signal', async () => {
    const site = await replicationSite('stall');
    try {
      const child = spawn(process.execPath, [CLI, 'update', '--out', archive, '--replication', site.url, '--sequence', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
      await until('the download to start', () => site.asked() || child.exitCode !== null);
      assert.equal(child.exitCode, null, stderr);
      assert.equal(leftovers(storeDirFor(archive)).length, 1);
      child.kill('SIGTERM');
      assert.equal(await exited, 'SIGTERM');
      assert.deepEqual(leftovers(storeDirFor(archive)), []);
    } finally {
      await site.close();
    }
  });

  it('a failing download removes them; a directory left by a killed run goes with the next run', async () => {
    const site = await replicationSite('missing');
    try {
      const stale = path.join(storeDirFor(archive), '.replication.tmp-999999999');
      fs.mkdirSync(stale);
      fs.writeFileSync(path.join(stale, '000000002.osc.gz'), 'x');
      // named by earlier versions (mkdtemp): removed once untouched for a day, kept while it may be a running update's
      const unnamedOld = path.join(storeDirFor(archive), 'replication-Ab12Cd'), unnamedNew = path.join(storeDirFor(archive), 'replication-Zz98Yx');
      fs.mkdirSync(unnamedOld);
      fs.mkdirSync(unnamedNew);
      const dayAgo = Date.now() / 1000 - 25 * 3600;
      fs.utimesSync(unnamedOld, dayAgo, dayAgo);
      const child = spawn(process.execPath, [CLI, 'update', '--out', archive, '--replication', site.url, '--sequence', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
      const r = { stderr: '', status: -1 };
      child.stderr!.on('data', (d: Buffer) => { r.stderr += d.toString(); });
      r.status = await new Promise<number>((res) => child.on('close', (code) => res(code ?? -1)));
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /404/);
      assert.deepEqual(leftovers(storeDirFor(archive)), ['replication-Zz98Yx']);
    } finally {
      await site.close();
    }
  });
});
