import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { REPO_ROOT } from '../../helpers/paths.js';
import { currentThreadId, lowerProcessTreePriority, lowerThreadsOf, niceAbove, setBackgroundNiceness } from '../../../src/core/thread_priority.js';

/** Pids of a process and its descendants, from /proc. */
function tree(pid: number): number[] {
  const kids = fs.readdirSync(`/proc/${pid}/task`).flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  return [pid, ...kids.flatMap(tree)];
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('core/thread_priority', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.pid) for (const p of tree(child.pid).reverse()) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
    child = undefined;
  });

  it('knows the kernel id of this thread (the process id on the main thread)', function () {
    if (!fs.existsSync('/proc/thread-self')) this.skip();
    assert.equal(currentThreadId(), process.pid);
  });

  it('lowers every thread of a process tree, children included, and leaves this process alone', async function () {
    if (!fs.existsSync('/proc/self/task')) this.skip();
    // a shell with two children of its own
    child = spawn('sh', ['-c', 'sleep 60 & sleep 60 & wait'], { stdio: 'ignore' });
    await waitFor(() => { try { return tree(child!.pid!).length === 3; } catch { return false; } }, 'the shell to start its children');
    const mine = os.getPriority();
    const target = niceAbove(5);
    const r = await lowerProcessTreePriority(child.pid!, target);
    assert.equal(r.error, undefined);
    const pids = tree(child.pid!);
    assert.equal(pids.length, 3);
    for (const p of pids) assert.equal(os.getPriority(p), target, `process ${p}`);
    if (target > mine) assert.equal(r.threads, 3);
    assert.equal(os.getPriority(), mine);
    assert.deepEqual([...r.pids].sort(), [...pids].sort());
    // a second pass changes nothing more (the target is absolute, not a step)
    const again = await lowerProcessTreePriority(child.pid!, target);
    assert.deepEqual([again.threads, again.error], [0, undefined]);
    for (const p of pids) assert.equal(os.getPriority(p), target);
    // the quick pass over known processes
    if (target < 19) {
      assert.equal(lowerThreadsOf(r.pids, target + 1), 3);
      for (const p of pids) assert.equal(os.getPriority(p), target + 1);
    }
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

  it('reports a process that does not exist instead of throwing', async () => {
    const r = await lowerProcessTreePriority(2 ** 22 + 7, 10);
    assert.equal(r.threads, 0);
    assert.match(r.error ?? '', /not found/);
  });

  it('takes a background niceness from 0 to 19 only', () => {
    assert.throws(() => setBackgroundNiceness(20), RangeError);
    assert.throws(() => setBackgroundNiceness(-1), RangeError);
    assert.throws(() => setBackgroundNiceness(1.5), RangeError);
  });
});
