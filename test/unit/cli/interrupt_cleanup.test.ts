import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { processAlive } from '../../../src/core/process_alive.js';
import { REPO_ROOT } from '../../helpers/paths.js';

/**
 * A process waiting for a child through stoppingChildOnSignal (as `update` waits for its routing
 * graph build) gets SIGTERM alone, as from a supervisor or `start --update-every` stopping.
 */
describe('stoppingChildOnSignal', () => {
  it('a signalled parent stops the child it waits for, then ends by that signal', async () => {
    const module = path.join(REPO_ROOT, 'src', 'cli', 'interrupt_cleanup.ts');
    const script = `
      import { spawn } from 'node:child_process';
      import { stoppingChildOnSignal } from ${JSON.stringify(module)};
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      const done = new Promise((r) => child.on('exit', r));
      const logger = { warn() {}, info() {}, error() {}, debug() {}, child() { return logger; } };
      // the handlers are in place when the test learns the pid (and may signal at once)
      const waiting = stoppingChildOnSignal(child, logger, () => done);
      console.log(String(child.pid));
      await waiting;
    `;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((r) => parent.on('exit', (_code, signal) => r(signal)));
    const childPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
      parent.on('exit', () => reject(new Error('the parent ended before starting its child')));
    });
    try {
      assert.ok(processAlive(childPid));
      parent.kill('SIGTERM');
      assert.equal(await exited, 'SIGTERM', 'the parent ends by the signal it got');
      const end = Date.now() + 60_000;
      while (processAlive(childPid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      assert.ok(!processAlive(childPid), 'the child was stopped with its parent');
    } finally {
      if (processAlive(childPid)) process.kill(childPid, 'SIGKILL');
    }
  });
});
