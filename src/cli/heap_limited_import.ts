/**
 * `import --max-memory` below V8's default heap limit: the import runs in a child
 * process of this CLI with its old generation limited (heap_limits.ts), so garbage
 * is collected before resident memory passes the budget; a heap limit can only be
 * set when a process starts. So can the main thread's young generation, which a
 * large budget (e.g. the default, a quarter of the RAM, on a 16 GiB machine or more) makes larger than V8's: then the import
 * runs in a child too. Signals are passed on to the child and waited for
 * (it removes its own temp files); the child's temporary directory is made inside
 * one of ours, so nothing stays even if the child aborts. If the child still runs
 * out of heap (an input whose live data the limit does not fit), the import runs
 * again without the limit, with a warning, rather than fail.
 */
import os from 'node:os';
import v8 from 'node:v8';
import type { Logger } from '../core/logger.js';
import { exitCodeOf, FORWARDED_SIGNALS, runCliChild, type ChildEnd } from './cli_child.js';
import { removeStaleTempFiles } from '../core/temp_files.js';
import { TempSpace } from '../importer/temp_space.js';
import { MIN_MAIN_SEMI_SPACE_MB, type HeapLimits } from '../importer/heap_limits.js';

/** Set in the child's environment: the heap is already what it should be. */
export const HEAP_SET_ENV = 'TUILERIE_IMPORT_HEAP_SET';

/** V8's young generations and code space come on top of the old generation's limit. */
const HEAP_LIMIT_SLACK = 64 * 2 ** 20;

/**
 * The V8 flags the import's process needs for `heap` (heap_limits.ts): an old generation limit when this
 * process's is above `mainMb`, a semi-space when V8's default is smaller; none when the environment says they
 * were set already (in the child).
 */
export function importHeapFlags(env: NodeJS.ProcessEnv, heap: Pick<HeapLimits, 'mainMb' | 'mainSemiSpaceMb'>): string[] {
  if (env[HEAP_SET_ENV] !== undefined) return [];
  const flags: string[] = [];
  if (v8.getHeapStatistics().heap_size_limit > heap.mainMb * 2 ** 20 + HEAP_LIMIT_SLACK) flags.push(`${OLD_SPACE_FLAG}${heap.mainMb}`);
  if (heap.mainSemiSpaceMb > MIN_MAIN_SEMI_SPACE_MB) flags.push(`--max-semi-space-size=${heap.mainSemiSpaceMb}`);
  return flags;
}

const OLD_SPACE_FLAG = '--max-old-space-size=';

export interface HeapLimitedImport {
  /** The import's arguments, as given. */
  args: string[];
  /** The output (its temp archive is removed after an aborted child). */
  out: string;
  /** Where the temporary directory goes. */
  tmpParent: string;
  /** From importHeapFlags. */
  flags: string[];
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

function runChild(o: HeapLimitedImport, flags: string[], tmpDir: string): Promise<ChildEnd> {
  return runCliChild({ args: ['import', ...o.args, '--tmp-dir', tmpDir], nodeFlags: flags, env: { ...o.env, [HEAP_SET_ENV]: '1' } });
}

/** V8 aborts a process whose heap is full ("JavaScript heap out of memory"). */
const ranOutOfHeap = (e: ChildEnd): boolean => e.signal === 'SIGABRT' || e.code === 134;

/** Runs the import in a child with `o.flags`; returns its exit status (or ends this process by the signal that ended it). */
export async function runHeapLimitedImport(o: HeapLimitedImport): Promise<number> {
  const temp = new TempSpace(o.tmpParent);
  let end: ChildEnd;
  try {
    o.logger.debug(`import: JavaScript heap set by ${o.flags.join(' ')} (from --max-memory)`);
    end = await runChild(o, o.flags, temp.dir);
    const limit = o.flags.find((f) => f.startsWith(OLD_SPACE_FLAG));
    if (limit && ranOutOfHeap(end)) {
      removeStaleTempFiles(o.out, o.logger);
      o.logger.warn(`import: the JavaScript heap limit derived from --max-memory (${limit.slice(OLD_SPACE_FLAG.length)} MiB) is too small for this input; importing again without it (memory may pass the budget)`);
      end = await runChild(o, o.flags.filter((f) => f !== limit), temp.dir);
    }
  } finally {
    temp.dispose();
  }
  if (end.signal && FORWARDED_SIGNALS.includes(end.signal)) process.kill(process.pid, end.signal);
  if (end.code !== null) return end.code;
  removeStaleTempFiles(o.out, o.logger);
  return exitCodeOf(end);
}
