/**
 * Ctrl-C, SIGTERM or SIGHUP during an import or a graph build: the temp files being
 * written are removed, then the process ends by the same signal (so a shell or
 * supervisor sees the usual 130/143/129); a closed log stream (EPIPE) is handled for every command, during the work
 * and after it, by ./main.ts (temps removed, exit 141). Temps left by a process killed outright
 * (SIGKILL, power loss) are removed by the next writer of the same output. A child process
 * being waited for (the routing graph build an update started) is stopped first.
 */
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../core/logger.js';
import { removeLiveTempFiles } from '../core/temp_files.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Runs `work`; on one of SIGNALS, `handle` runs, then this process ends by that signal. */
async function handlingSignals<T>(handle: (signal: NodeJS.Signals) => void, work: () => Promise<T>): Promise<T> {
  const off = (): void => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    off();
    handle(signal);
    process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await work();
  } finally {
    off();
  }
}

export function removingTempFilesOnSignal<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  return handlingSignals((signal) => {
    const removed = removeLiveTempFiles();
    logger.warn(`${signal}: interrupted${removed.length ? `; removed ${removed.join(', ')}` : ''}`);
  }, work);
}

/**
 * Waits for `work` while `child` runs: Ctrl-C, SIGTERM or SIGHUP here is passed on to the
 * child (as SIGTERM: it removes its own temp files) before this process ends by the same
 * signal. A supervisor (`start --update-every` stopping its update run, systemd, Docker)
 * signals only this process: without this the child would run on alone.
 */
export function stoppingChildOnSignal<T>(child: ChildProcess, logger: Logger, work: () => Promise<T>): Promise<T> {
  return handlingSignals((signal) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    logger.warn(`${signal}: interrupted; stopping child process ${child.pid}`);
    child.kill('SIGTERM');
  }, work);
}
