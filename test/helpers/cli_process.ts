/** The CLI run from source through tsx (no build needed), its stderr collected for readiness signals. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

const MAIN = path.join(REPO_ROOT, 'src', 'cli', 'main.ts');

export interface Running {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

/** Waits (generously: a loaded machine makes tsx start-up slow) for `pattern` in the CLI's stderr. */
export async function waitFor(r: Running, pattern: RegExp, timeoutMs = 240_000): Promise<RegExpMatchArray> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const m = r.stderr().match(pattern);
    if (m) return m;
    if (r.child.exitCode !== null) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`no ${pattern} in CLI output:\n${r.stderr()}`);
}
