/**
 * An import stopped half-way leaves nothing behind: Ctrl-C (SIGINT), SIGTERM, SIGHUP
 * or its log pipe closing removes the temp archive and directory being written, and the temps a killed import left
 * (its process gone) are removed by the next import of the same output.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, osmFile, tempDir } from '../helpers/paths.js';

const INPUTS = ['heidelberg-routing.osm.pbf', 'mulhouse.osm.pbf', 'wehr.osm.pbf', 'schopfheim.osm.pbf'].map(osmFile);

/** Runs an import and, once it writes its temp archive, does `stop` to it (a signal, or closing its log pipe). */
async function interruptedImport(dir: string, stop: NodeJS.Signals | ((child: ChildProcess) => void)): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; sawTemp: boolean }> {
  const out = path.join(dir, 'out.mbtiles');
  const child = spawn(process.execPath, [CLI, 'import', '--out', out, '--threads', '1', ...INPUTS], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, sig) => r({ code, signal: sig })));
  // the import may run in a child process of the CLI (heap flags from --max-memory): its temp archive bears the child's pid
  const isTemp = (n: string): boolean => n.startsWith('.out.mbtiles.tmp-');
  let sawTemp = false;
  const end = Date.now() + 300_000;
  while (child.exitCode === null && Date.now() < end) {
    if (fs.readdirSync(dir).some(isTemp)) {
      sawTemp = true;
      // let it write into the temp a moment
      await new Promise((r) => setTimeout(r, 200));
      if (typeof stop === 'string') child.kill(stop);
      else stop(child);
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { ...(await exit), stderr, sawTemp };
}

describe('import interrupted @slow', function () {
  this.timeout(600_000);
  let dir: string;
  beforeEach(() => { dir = tempDir('tuilerie-interrupt-'); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} during the import removes the temp archive and ends by the signal`, async () => {
      const r = await interruptedImport(dir, signal);
      assert.ok(r.sawTemp, `the import wrote a temp file before finishing:\n${r.stderr}`);
      assert.equal(r.signal, signal, `ended by ${signal} (exit ${r.code}):\n${r.stderr}`);
      assert.deepEqual(fs.readdirSync(dir), [], 'nothing left in the output directory');
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    });
  }

  it('its log pipe closed during the import (| head ended), it removes its temp files and ends with 141 (SIGPIPE)', async () => {
    const r = await interruptedImport(dir, (child) => child.stderr!.destroy());
    assert.ok(r.sawTemp, `the import wrote a temp file before finishing:\n${r.stderr}`);
    assert.equal(r.code, 141, `exit ${r.code} (signal ${r.signal})`);
    // the import notices the closed pipe at its next log line: on a quiet machine that may be the closing summary,
    // after the archive was committed (as `import | head` keeps the work done); never a temp file
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n !== 'out.mbtiles'), [], 'no temp file left in the output directory');
  });

  it('the next import removes the temps an import killed outright left, not those of a live process', async () => {
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const stale = [`.out.mbtiles.tmp-${dead}`, `.out.mbtiles.tmp-${dead}-journal`];
    const live = `.out.mbtiles.tmp-${process.pid}`;
    for (const n of [...stale, live]) fs.writeFileSync(path.join(dir, n), 'half an archive');
    const r = spawnSync(process.execPath, [CLI, 'import', '--out', path.join(dir, 'out.mbtiles'), '--maxzoom', '8', osmFile('wehr.osm.pbf')], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(dir).sort(), [live, 'out.mbtiles'].sort());
    assert.match(r.stderr, /removed 2 temp file\(s\) left by an interrupted run/);
  });
});
