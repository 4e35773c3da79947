import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, waitFor, type Running } from '../helpers/cli_process.js';
import { FIXTURES_DIR, tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { writeMbtiles } from './serve_fixtures.js';

describe('tuilerie serve (CLI) @slow', function () {
  // generous: readiness is waited for, and a loaded machine (load 14+) makes tsx start-up slow
  this.timeout(900_000);
  let dir: string;
  let running: Running | undefined;
  beforeEach(() => { dir = tempDir('tuilerie-serve-cli-'); });
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exit;
    }
    running = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the files given, skips a corrupt one, reloads on SIGHUP and exits 0 on SIGTERM', async () => {
    const file = path.join(dir, 'city.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('one') }] });
    running = runCli(['serve', '--workers', '1', '--port', '0', '--host', '127.0.0.1', '--no-watch', file, path.join(FIXTURES_DIR, 'mbtiles', 'corrupt.mbtiles')]);
    const url = (await waitFor(running, /listening on (http:\/\/[^\s]+)/))[1];
    await waitFor(running, /ready/);
    assert.match(running.stderr(), /source "corrupt" skipped/);
    assert.equal((await request(url + '/data/city/0/0/0.pbf')).body.toString(), 'one');

    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('two') }] });
    running.child.kill('SIGHUP');
    await waitFor(running, /source reloaded/);
    assert.equal((await request(url + '/data/city/0/0/0.pbf')).body.toString(), 'two');

    running.child.kill('SIGTERM');
    assert.equal(await running.exit, 0);
    assert.match(running.stderr(), /stopped/);
  });

  it('without --workers runs one worker per core', async () => {
    const file = path.join(dir, 'city.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('one') }] });
    running = runCli(['serve', '--port', '0', '--host', '127.0.0.1', '--no-watch', file], { TUILERIE_WORKERS: undefined });
    const cores = os.availableParallelism();
    await waitFor(running, new RegExp(Array(cores).fill('ready').join('[^]*')));
    if (cores > 1) assert.match(running.stderr(), new RegExp(`primary \\d+: ${cores} workers`));
    const urls = [...running.stderr().matchAll(/listening on (http:\/\/[^\s]+)/g)].map((m) => m[1]);
    assert.equal(urls.length, cores);
    assert.equal((await request(urls[0] + '/data/city/0/0/0.pbf')).body.toString(), 'one');
    running.child.kill('SIGTERM');
    assert.equal(await running.exit, 0);
    assert.equal(running.stderr().match(/stopped/g)?.length, cores);
  });

  it('--workers 2 shares one port, forwards SIGHUP to every worker and stops them all on SIGTERM', async () => {
    const file = path.join(dir, 'city.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('one') }] });
    running = runCli(['serve', '--workers', '2', '--port', '0', '--host', '127.0.0.1', '--no-watch', file]);
    await waitFor(running, /ready[^]*ready/);
    const urls = [...running.stderr().matchAll(/listening on (http:\/\/[^\s]+)/g)].map((m) => m[1]);
    assert.equal(urls.length, 2);
    assert.equal(urls[0], urls[1]);
    writeMbtiles(file, { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('two') }] });
    running.child.kill('SIGHUP');
    await waitFor(running, /source reloaded[^]*source reloaded/);
    for (let i = 0; i < 4; i++) assert.equal((await request(urls[0] + '/data/city/0/0/0.pbf')).body.toString(), 'two');
    running.child.kill('SIGTERM');
    assert.equal(await running.exit, 0);
    assert.equal(running.stderr().match(/stopped/g)?.length, 2);
  });

  it('fails with the bad key and a suggestion for an invalid config file', async () => {
    const cfg = path.join(dir, 'tuilerie.json');
    fs.writeFileSync(cfg, JSON.stringify({ prot: 8080 }));
    running = runCli(['serve', '--config', cfg]);
    assert.equal(await running.exit, 1);
    assert.match(running.stderr(), /unknown config key "prot".*did you mean "port"/);
  });

  it('fails with a usage error for a bad --port', async () => {
    running = runCli(['serve', '--port', 'eighty']);
    assert.equal(await running.exit, 2);
    assert.match(running.stderr(), /--port must be an integer/);
  });
});
