/**
 * `tuilerie start --update-every` follows a replication directory (served over HTTP
 * from this test) inside the start command: a run that fails (nothing published yet) is
 * logged and retried the next period while the server keeps serving; a published change
 * then reaches the served tiles; later runs are up to date.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { lonLatToTile } from '../../src/core/tile_math.js';
import { CLI, tempDir } from '../helpers/paths.js';
import type { OsmObject } from '../helpers/osm_versions.js';
import { extractVersions, tileNames } from '../helpers/update_versions.js';

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('start --update-every @slow', function () {
  this.timeout(900_000);
  let dir: string;
  let stopAll: Array<() => Promise<void>> = [];
  after(async () => {
    for (const s of stopAll) await s();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies published changes on a schedule, logging each run, and survives a failing one', async () => {
    dir = tempDir('tuilerie-start-update-');
    let street!: OsmObject;
    let nodes = new Map<number, OsmObject>();
    const versions = path.join(dir, 'versions');
    fs.mkdirSync(versions);
    const { v1, change } = extractVersions(versions, 'wehr.osm.pbf', (edited) => {
      nodes = new Map(edited.filter((o) => o.type === 'node').map((o) => [o.id, o]));
      street = edited.find((o) => o.type === 'way' && o.tags.highway === 'residential' && o.tags.name && o.refs!.every((r) => nodes.has(r)))!;
      street.tags.name = 'Rue de la Tuilerie';
      street.version++;
    });
    fs.mkdirSync(path.join(dir, 'osm'));
    fs.copyFileSync(v1, path.join(dir, 'osm', 'wehr.osm.pbf'));

    // the replication directory, empty at first: the first runs fail (no state.txt)
    const repl = path.join(dir, 'www');
    const site = http.createServer((req, res) => {
      const file = path.join(repl, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (!file.startsWith(repl) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404).end(); return; }
      res.writeHead(200).end(fs.readFileSync(file));
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    stopAll.push(() => new Promise((r) => site.close(() => r())));
    const replUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;

    const child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--host', '127.0.0.1', '--update-every', '2s', '--replication', replUrl, '--sequence', '100'], {
      cwd: dir, env: { ...process.env, TUILERIE_OSM_DIR: path.join(dir, 'osm'), TUILERIE_DATA_DIR: path.join(dir, 'data'), TUILERIE_NATURAL_EARTH_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stderr!.on('data', (c: Buffer) => { log += c.toString(); });
    child.stdout!.resume();
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    stopAll.unshift(async () => { if (child.exitCode === null) { child.kill('SIGTERM'); await exited; } });

    const url = await until('start to listen', 600_000, () => /listening on (http:\/\/\S+)/.exec(log)?.[1].replace(/\/$/, '') ?? (child.exitCode !== null ? Promise.reject(new Error(log)) : undefined));
    await until('a failed scheduled run', 300_000, () => (/scheduled update #1 failed/.test(log) ? true : undefined));
    await until('a retried run', 300_000, () => (/scheduled update #2/.test(log) ? true : undefined));
    assert.equal(child.exitCode, null, 'the server keeps running after a failed update');
    await until('the server ready', 300_000, async () => ((await fetch(`${url}/health`)).status === 200 ? true : undefined));

    // publish change 101
    fs.mkdirSync(path.join(repl, '000', '000'), { recursive: true });
    fs.copyFileSync(change, path.join(repl, '000', '000', '101.osc.gz'));
    fs.writeFileSync(path.join(repl, '000', '000', '101.state.txt'), 'sequenceNumber=101\n');
    fs.writeFileSync(path.join(repl, 'state.txt'), 'sequenceNumber=101\n');
    await until('the change applied', 300_000, () => (/scheduled update #\d+: sequence 100 → 101/.test(log) ? true : undefined));
    const n = nodes.get(street.refs![Math.floor(street.refs!.length / 2)])!;
    const t = lonLatToTile(n.lon!, n.lat!, 14);
    await until('the new name in the served tile', 120_000, async () => {
      const r = await fetch(`${url}/data/openmaptiles/14/${t.x}/${t.y}.pbf`);
      return r.status === 200 && tileNames(Buffer.from(await r.arrayBuffer())).has('Rue de la Tuilerie') ? true : undefined;
    });
    await until('a later run up to date', 300_000, () => (/scheduled update #\d+: up to date at sequence 101/.test(log) ? true : undefined));
    assert.equal(child.exitCode, null);
  });
});
