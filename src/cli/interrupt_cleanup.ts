/**
 * Ctrl-C, SIGTERM or SIGHUP during an import or a graph build: the temp files being
 * written are removed, then the process ends by the same signal (so a shell or
 * supervisor sees the usual 130/143/129); a closed log stream (EPIPE) ends it with 141 the same way. Temps left by a process killed outright
 * (SIGKILL, power loss) are removed by the next writer of the same output.
 */
import type { Logger } from '../core/logger.js';
import { removeLiveTempFiles } from '../core/temp_files.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** The exit status of a process ended by SIGPIPE, which Node ignores: 128 + 13. */
const EXIT_BROKEN_PIPE = 141;

export async function removingTempFilesOnSignal<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  const streams = [process.stdout, process.stderr];
  const off = (): void => {
    for (const s of SIGNALS) process.off(s, onSignal);
    for (const s of streams) s.off('error', onStreamError);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    off();
    const removed = removeLiveTempFiles();
    logger.warn(`${signal}: interrupted${removed.length ? `; removed ${removed.join(', ')}` : ''}`);
    process.kill(process.pid, signal);
  };
  // the log or output stream went away (EPIPE: `| head` ended, a log collector or a terminal gone): without this the
  // error is uncaught and the process dies with its temp files; they go first, then it ends as SIGPIPE would
  const onStreamError = (): void => {
    off();
    removeLiveTempFiles();
    process.exit(EXIT_BROKEN_PIPE);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  for (const s of streams) s.on('error', onStreamError);
  try {
    return await work();
  } finally {
    off();
  }
}
