/**
 * How Chromium is started below the server's priority, once, instead of being
 * lowered again and again: `nice -n N chromium …`, so the browser and every
 * process and thread it starts inherit the nice value. A process holding
 * CAP_SYS_NICE (the server running as root) would pass that capability on,
 * and Chromium uses it to give the threads it deems urgent their priority back
 * while it draws; there the command is also prefixed with util-linux's
 * `setpriv --bounding-set -sys_nice --inh-caps -sys_nice`, which takes the
 * capability away for good before Chromium runs. Playwright starts the browser
 * from one executable and puts its own switches first, so the command is put
 * in a small shell script that execs it; the script is removed once the
 * browser runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where `setpriv` and `nice` are looked for (Debian: util-linux's and coreutils', both essential packages). */
const TOOL_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];
const CAP_SETPCAP = 8n;
const CAP_SYS_NICE = 23n;

export interface LowPriorityCommandOptions {
  /** The browser executable. */
  executable: string;
  /** Nice steps below the starting thread (0: the browser is started as is). */
  niceness: number;
  /** Paths of the tools found on this system. */
  tools: { nice?: string; setpriv?: string };
  /** Capabilities of this process that matter (see processCapabilities). */
  caps: { sysNice: boolean; setpcap: boolean };
}

export interface LowPriorityCommand {
  /** The browser's command line before Playwright's switches; one word: no wrapper needed. */
  command: string[];
  /** Why the browser will not run as low as asked, for a warning. */
  warning?: string;
}

/** The command that starts the browser `niceness` steps lower and, where it could, unable to raise a priority. */
export function lowPriorityCommand(o: LowPriorityCommandOptions): LowPriorityCommand {
  if (o.niceness <= 0) return { command: [o.executable] };
  if (!o.tools.nice) return { command: [o.executable], warning: 'Chromium runs at normal priority: `nice` (coreutils) not found' };
  const niced = [o.tools.nice, '-n', String(o.niceness), o.executable];
  // without CAP_SYS_NICE the browser cannot raise any priority: nice alone holds
  if (!o.caps.sysNice) return { command: niced };
  const raises = 'Chromium may raise some of its threads\' priority again while it draws';
  if (!o.tools.setpriv) return { command: niced, warning: `${raises}: \`setpriv\` (util-linux) not found to drop CAP_SYS_NICE` };
  if (!o.caps.setpcap) return { command: niced, warning: `${raises}: this process holds CAP_SYS_NICE but not CAP_SETPCAP, needed to drop it` };
  return { command: [o.tools.setpriv, '--bounding-set', '-sys_nice', '--inh-caps', '-sys_nice', ...niced] };
}

/** `name` in the usual directories of system tools, if there. */
export function findTool(name: string): string | undefined {
  return TOOL_DIRS.map((d) => path.join(d, name)).find((p) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Whether this process's effective capabilities include CAP_SYS_NICE and CAP_SETPCAP (Linux; none elsewhere). */
export function processCapabilities(): { sysNice: boolean; setpcap: boolean } {
  let eff = 0n;
  try {
    const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hex) eff = BigInt(`0x${hex}`);
  } catch {
    // not Linux: no capabilities to drop
  }
  return { sysNice: ((eff >> CAP_SYS_NICE) & 1n) === 1n, setpcap: ((eff >> CAP_SETPCAP) & 1n) === 1n };
}

const shellWord = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;

/**
 * An executable for Playwright that runs `command` with the arguments it is
 * given appended, in a new private directory; `remove` deletes it (once the
 * browser runs, it is no longer needed).
 */
export function writeLauncher(command: string[]): { path: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-chromium-'));
  const file = path.join(dir, 'chromium');
  fs.writeFileSync(file, `#!/bin/sh\nexec ${command.map(shellWord).join(' ')} "$@"\n`, { mode: 0o700 });
  return { path: file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
