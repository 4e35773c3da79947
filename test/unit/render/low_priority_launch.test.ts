import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { findTool, lowPriorityCommand, processCapabilities, writeLauncher } from '../../../src/render/low_priority_launch.js';

const tools = { nice: '/usr/bin/nice', setpriv: '/usr/bin/setpriv' };
const root = { sysNice: true, setpcap: true };
const base = { executable: '/usr/bin/chromium', niceness: 10, tools, caps: root };

describe('render/low_priority_launch', () => {
  it('drops CAP_SYS_NICE and nices the browser where this process could raise priorities', () => {
    assert.deepEqual(lowPriorityCommand(base), { command: ['/usr/bin/setpriv', '--bounding-set', '-sys_nice', '--inh-caps', '-sys_nice', '/usr/bin/nice', '-n', '10', '/usr/bin/chromium'] });
  });
  it('only nices it where this process holds no CAP_SYS_NICE (nothing to drop)', () => {
    assert.deepEqual(lowPriorityCommand({ ...base, caps: { sysNice: false, setpcap: false } }), { command: ['/usr/bin/nice', '-n', '10', '/usr/bin/chromium'] });
  });
  it('starts the browser as is for niceness 0', () => {
    assert.deepEqual(lowPriorityCommand({ ...base, niceness: 0 }), { command: ['/usr/bin/chromium'] });
  });
  it('falls back with a warning without setpriv, without CAP_SETPCAP, and without nice', () => {
    const noSetpriv = lowPriorityCommand({ ...base, tools: { nice: tools.nice } });
    assert.deepEqual(noSetpriv.command, ['/usr/bin/nice', '-n', '10', '/usr/bin/chromium']);
    assert.match(noSetpriv.warning ?? '', /setpriv.*not found/);
    const noSetpcap = lowPriorityCommand({ ...base, caps: { sysNice: true, setpcap: false } });
    assert.deepEqual(noSetpcap.command, ['/usr/bin/nice', '-n', '10', '/usr/bin/chromium']);
    assert.match(noSetpcap.warning ?? '', /CAP_SETPCAP/);
    const noNice = lowPriorityCommand({ ...base, tools: {} });
    assert.deepEqual(noNice.command, ['/usr/bin/chromium']);
    assert.match(noNice.warning ?? '', /normal priority/);
  });

  it('a launcher runs the command with the arguments it is given, quoting kept, and is removed', () => {
    const l = writeLauncher(['/bin/echo', "it's", '$HOME']);
    try {
      assert.equal(execFileSync(l.path, ['a  b', '"c"'], { encoding: 'utf8' }), 'it\'s $HOME a  b "c"\n');
    } finally {
      l.remove();
    }
    assert.equal(fs.existsSync(l.path), false);
  });

  it('the command found here starts a process niced, without CAP_SYS_NICE, unable to raise its priority (Linux)', function () {
    if (!fs.existsSync('/proc/self/status') || !findTool('nice')) this.skip();
    const caps = processCapabilities();
    const low = lowPriorityCommand({ executable: '/bin/sh', niceness: 5, tools: { nice: findTool('nice'), setpriv: findTool('setpriv') }, caps });
    assert.equal(low.warning, undefined, 'setpriv (util-linux) is expected on Debian');
    const l = writeLauncher(low.command);
    try {
      // the shell prints its nice value and capabilities, then tries to go back to this process's priority
      const out = execFileSync(l.path, ['-c', `cat /proc/self/stat | cut -d' ' -f19; grep CapEff /proc/self/status; renice -n ${os.getPriority()} -p $$ >/dev/null 2>&1 && echo raised || echo refused`], { encoding: 'utf8' }).trim().split('\n');
      assert.equal(Number(out[0]), Math.min(19, os.getPriority() + 5));
      assert.equal((BigInt(`0x${out[1].split(/\s+/)[1]}`) >> 23n) & 1n, 0n, out[1]);
      if (os.getPriority() + 5 <= 19) assert.equal(out[2], 'refused');
    } finally {
      l.remove();
    }
  });
});
