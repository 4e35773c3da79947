import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { REPO_ROOT } from '../../helpers/paths.js';
import { WorkerPool } from '../../../src/core/worker_pool.js';
import { checkNiceness, currentThreadId } from '../../../src/core/thread_priority.js';

describe('core/thread_priority', () => {
  it('knows the kernel id of this thread (the process id on the main thread)', function () {
    if (!fs.existsSync('/proc/thread-self')) this.skip();
    assert.equal(currentThreadId(), process.pid);
  });

  it('lowers the threads of this process that have a given name (libvips\' encoder threads), not the others', function () {
    if (!fs.existsSync('/proc/self/task')) this.skip();
    this.timeout(120_000);
    // in a process of its own: what it lowers cannot be raised again without privilege
    const script = `
      import fs from 'node:fs'; import os from 'node:os'; import sharp from 'sharp';
      import { lowerOwnThreadsNamed } from './src/core/thread_priority.ts';
      await sharp({ create: { width: 2048, height: 2048, channels: 4, background: '#336699' } }).png().toBuffer();
      const threads = () => fs.readdirSync('/proc/self/task').map((t) => ({ t, name: fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim(), nice: os.getPriority(Number(t)) }));
      const before = threads();
      const changed = lowerOwnThreadsNamed(/^libvips/, os.getPriority() + 4);
      console.log(JSON.stringify({ before, after: threads(), changed, mine: os.getPriority() }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' })) as { before: { t: string; name: string; nice: number }[]; after: { t: string; name: string; nice: number }[]; changed: number; mine: number };
    const vips = out.after.filter((t) => /^libvips/.test(t.name));
    if (!vips.length) this.skip();
    assert.equal(out.changed, vips.filter((t) => out.before.find((b) => b.t === t.t && b.nice < out.mine + 4)).length);
    for (const t of vips) assert.ok(t.nice >= Math.min(19, out.mine + 4), `${t.name} ${t.t} at ${t.nice}`);
    for (const t of out.after.filter((x) => !/^libvips/.test(x.name))) assert.equal(t.nice, out.before.find((b) => b.t === t.t)?.nice ?? t.nice, `${t.name} ${t.t} changed`);
  });

  it('takes a background niceness from 0 to 19 only, for a worker pool too', () => {
    for (const n of [0, 10, 19]) checkNiceness(n);
    for (const n of [20, -1, 1.5]) {
      assert.throws(() => checkNiceness(n), RangeError);
      assert.throws(() => new WorkerPool({ name: 'x', size: 1, niceness: n, start: () => { throw new Error('not started'); } }), RangeError);
    }
  });
});
