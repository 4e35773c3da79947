/**
 * `serve --workers 2` stopped the way operators stop it, many times over: Ctrl-C
 * in a terminal (SIGINT to the whole process group, primary and workers at once)
 * and SIGTERM from a supervisor (to the primary only). Each run must end with
 * exit 0 and no stack trace (the primary used to die of an unhandled EPIPE when
 * it answered a worker that had already gone).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { writeMbtiles } from './serve_fixtures.js';

const CYCLES = 20;

interface Run { log: string; code: number | null; signal: NodeJS.Signals | null }

/** Starts serve, waits for both workers to be ready, touches it, stops it with `how`. */
async function startAndStop(file: string, how: 'group-SIGINT' | 'SIGTERM'): Promise<Run> {
  const child = spawn(process.execPath, [CLI, 'serve', '--workers', '2', '--port', '0', '--host', '127.0.0.1', '--no-watch', file], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let log = '';
  child.stderr!.on('data', (b: Buffer) => { log += b.toString(); });
  const exit = new Promise<Run>((resolve) => child.once('exit', (code, signal) => resolve({ log, code, signal })));
  try {
    const end = Date.now() + 60_000;
    while ((log.match(/\bready\b/g) ?? []).length < 2) {
      if (child.exitCode !== null || child.signalCode !== null) return await exit;
      assert.ok(Date.now() < end, `both workers ready within 60 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const url = /listening on (http:\/\/[^\s,)]+)/.exec(log)?.[1];
    if (url) assert.equal((await request(`${url}/data/fixture.json`)).status, 200);
    if (how === 'group-SIGINT') process.kill(-child.pid!, 'SIGINT');
    else child.kill('SIGTERM');
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 60_000);
    const run = await exit;
    clearTimeout(timer);
    return { ...run, log };
  } finally {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }
}

describe('serve --workers 2 stopped by Ctrl-C and SIGTERM @slow', function () {
  this.timeout(CYCLES * 90_000);
  let dir: string;
  before(() => {
    dir = tempDir('tuilerie-signals-');
    writeMbtiles(path.join(dir, 'fixture.mbtiles'), { tiles: [{ z: 0, x: 0, y: 0, payload: Buffer.from('tile') }] });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`survives ${CYCLES} Ctrl-C (process group SIGINT) and SIGTERM cycles with exit 0 and no stack trace`, async () => {
    const failures: string[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const how = i % 2 === 0 ? 'group-SIGINT' : 'SIGTERM';
      const run = await startAndStop(path.join(dir, 'fixture.mbtiles'), how);
      const trace = /^\s+at .+\(.+:\d+:\d+\)$|\bError\b|Unhandled|EPIPE/m.test(run.log);
      if (run.code !== 0 || trace) failures.push(`cycle ${i} (${how}): exit ${run.code ?? run.signal}\n${run.log}`);
    }
    assert.deepEqual(failures, []);
  });
});
