/**
 * This CLI run again as a child process (node flags or environment that can only be
 * set when a process starts: heap limits, glibc's malloc threshold). Ctrl-C, SIGTERM
 * and SIGHUP are passed on to the child, which removes its own temporary files, and
 * the child is waited for: this process never ends before it.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';

export const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface ChildEnd { code: number | null; signal: NodeJS.Signals | null }

export interface CliChild {
  /** `tuilerie` arguments (command first). */
  args: string[];
  /** Node flags put before the script, after this process's own. */
  nodeFlags?: string[];
  env: NodeJS.ProcessEnv;
}

/** Runs the child, output shared; resolves when it has ended, however it ended. */
export function runCliChild(c: CliChild): Promise<ChildEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...(c.nodeFlags ?? []), process.argv[1], ...c.args], { stdio: 'inherit', env: c.env });
    const forward = (s: NodeJS.Signals): void => { child.kill(s); };
    const off = (): void => { for (const s of FORWARDED_SIGNALS) process.off(s, forward); };
    for (const s of FORWARDED_SIGNALS) process.on(s, forward);
    child.on('error', (e) => { off(); reject(e); });
    child.on('exit', (code, signal) => { off(); resolve({ code, signal }); });
  });
}

/** An exit code for the child's end: its own, or 128 + the signal's number. */
export function exitCodeOf(end: ChildEnd): number {
  return end.code ?? 128 + (end.signal ? os.constants.signals[end.signal] ?? 0 : 0);
}
