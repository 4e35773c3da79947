import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { registerTempFile, releaseTempFile, removeLiveTempFiles, removeStaleTempFiles, tempPathFor } from '../../../src/core/temp_files.js';
import { tempDir } from '../../helpers/paths.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('temp files of archive writers', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the temp of an output beside it with this process id', () => {
    assert.equal(tempPathFor(path.join(dir, 'a.mbtiles')), path.join(dir, `.a.mbtiles.tmp-${process.pid}`));
  });

  it('removes the temps of dead processes, with their journal and spool, and keeps those of live ones and of other outputs', () => {
    const dead = deadPid();
    const names = [`.a.mbtiles.tmp-${dead}`, `.a.mbtiles.tmp-${dead}-journal`, `.a.mbtiles.tmp-${dead}.spool`, `.a.mbtiles.tmp-${process.pid}`, `.a.mbtiles.tmp-1`, `.b.mbtiles.tmp-${dead}`, 'a.mbtiles', `.a.mbtiles.tmp-${dead}x`];
    for (const n of names) fs.writeFileSync(path.join(dir, n), 'x');
    const removed = removeStaleTempFiles(path.join(dir, 'a.mbtiles')).map((p) => path.basename(p)).sort();
    assert.deepEqual(removed, [`.a.mbtiles.tmp-${dead}`, `.a.mbtiles.tmp-${dead}-journal`, `.a.mbtiles.tmp-${dead}.spool`].sort());
    assert.deepEqual(fs.readdirSync(dir).sort(), [`.a.mbtiles.tmp-${process.pid}`, '.a.mbtiles.tmp-1', `.b.mbtiles.tmp-${dead}`, 'a.mbtiles', `.a.mbtiles.tmp-${dead}x`].sort());
  });

  it('removes the registered temps of this process on demand (an interrupt), not the released ones', () => {
    const a = path.join(dir, '.a.tmp-1'), b = path.join(dir, '.b.tmp-1');
    for (const p of [a, `${a}-journal`, b]) fs.writeFileSync(p, 'x');
    registerTempFile(a);
    registerTempFile(b);
    releaseTempFile(b);
    assert.deepEqual(removeLiveTempFiles(), [a]);
    assert.deepEqual(fs.readdirSync(dir), ['.b.tmp-1']);
    assert.deepEqual(removeLiveTempFiles(), []);
  });
});
