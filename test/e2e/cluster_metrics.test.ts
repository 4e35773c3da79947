/**
 * /metrics of `serve --workers 2` is the cluster's: successive scrapes (each may
 * reach either worker) never see a counter go backwards, also when a worker is
 * replaced; gauges come per worker. Real CLI (dist/).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { writeMbtiles } from './serve_fixtures.js';

const COUNTER = /^tuilerie_http_requests_total\{route="\/data\/:id\.json",status="200"\} (\d+)$/m;

describe('serve --workers 2: cluster-wide /metrics @slow', function () {
  this.timeout(300_000);
  let dir: string;
  let child: ChildProcess | undefined;
  let log = '';

  async function waitLog(re: RegExp, ms = 120_000): Promise<void> {
    const end = Date.now() + ms;
    while (!re.test(log)) {
      assert.ok(Date.now() < end && child?.exitCode === null, `no ${re} in the log:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  before(() => {
    dir = tempDir('tuilerie-cluster-metrics-');
    writeMbtiles(path.join(dir, 'fixture.mbtiles'), { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('tile') }] });
  });
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counters sum over the workers, never go backwards (worker replaced included); gauges per worker', async () => {
    child = spawn(process.execPath, [CLI, 'serve', '--workers', '2', '--port', '0', '--host', '127.0.0.1', '--no-watch', path.join(dir, 'fixture.mbtiles')], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TUILERIE_ACCESS_LOG: 'false' } });
    child.stderr!.on('data', (b: Buffer) => { log += b.toString(); });
    await waitLog(/ready[^]*ready/);
    const url = /listening on (http:\/\/[^\s]+)/.exec(log)![1];
    const values: number[] = [];
    let sent = 0;
    const scrape = async (): Promise<string> => {
      const text = (await request(`${url}/metrics`)).text();
      const m = COUNTER.exec(text);
      values.push(m ? Number(m[1]) : 0);
      return text;
    };
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 5; i++) {
        assert.equal((await request(`${url}/data/fixture.json`)).status, 200);
        sent++;
      }
      await scrape();
    }
    assert.equal(values.at(-1), sent, `every request counted once: ${values.join(', ')}`);
    const text = await scrape();
    const workers = new Set([...text.matchAll(/^process_resident_memory_bytes\{worker="(\d+)"\} \d+/gm)].map((m) => m[1]));
    assert.equal(workers.size, 2, text);

    const victim = [...workers][0];
    process.kill(Number(victim), 'SIGTERM');
    await waitLog(/died[^]*ready/);
    for (let i = 0; i < 6; i++) await scrape();
    const after = await scrape();
    assert.ok(!after.includes(`worker="${victim}"`), 'the gone worker has no gauges any more');
    for (let i = 1; i < values.length; i++) assert.ok(values[i] >= values[i - 1], `never backwards: ${values.join(', ')}`);
    assert.ok(values.at(-1)! >= sent, `the replaced worker's requests still counted: ${values.join(', ')}`);
  });
});
