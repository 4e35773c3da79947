/**
 * Ctrl-C or SIGTERM during an import or a graph build: the temp files being
 * written are removed, then the process ends by the same signal (so a shell or
 * supervisor sees the usual 130/143). Temps left by a process killed outright
 * (SIGKILL, power loss) are removed by the next writer of the same output.
 */
import type { Logger } from '../core/logger.js';
import { removeLiveTempFiles } from '../core/temp_files.js';

export async function removingTempFilesOnSignal<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const removed = removeLiveTempFiles();
    logger.warn(`${signal}: interrupted${removed.length ? `; removed ${removed.join(', ')}` : ''}`);
    process.kill(process.pid, signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
