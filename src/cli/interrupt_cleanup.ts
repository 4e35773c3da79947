/**
 * Ctrl-C, SIGTERM or SIGHUP during an import or a graph build: the temp files being
 * written are removed, then the process ends by the same signal (so a shell or
 * supervisor sees the usual 130/143/129); a closed log stream (EPIPE) is handled for every command, during the work
 * and after it, by ./main.ts (temps removed, exit 141). Temps left by a process killed outright
 * (SIGKILL, power loss) are removed by the next writer of the same output.
 */
import type { Logger } from '../core/logger.js';
import { removeLiveTempFiles } from '../core/temp_files.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function removingTempFilesOnSignal<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  const off = (): void => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    off();
    const removed = removeLiveTempFiles();
    logger.warn(`${signal}: interrupted${removed.length ? `; removed ${removed.join(', ')}` : ''}`);
    process.kill(process.pid, signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await work();
  } finally {
    off();
  }
}
