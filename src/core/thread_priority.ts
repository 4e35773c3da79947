/**
 * Scheduling priority of background work: the pixel worker threads (and the
 * renderer's browser, started niced: ../render/low_priority_launch.ts) run at a
 * raised nice value so that, on a machine whose
 * cores they fill, the event-loop thread (and V8's GC helpers) get a core as
 * soon as they wake. On Linux a nice value belongs to one thread: setpriority
 * with a thread id changes that thread only, and threads and processes started
 * later inherit the value of the thread that starts them. Raising one's own
 * nice value needs no privilege; where it fails (other systems, a sandbox
 * forbidding it) the work just runs at the normal priority.
 */
import fs from 'node:fs';
import os from 'node:os';

/** Nice values above the starting thread's: the default of `raster.niceness`. */
export const DEFAULT_BACKGROUND_NICENESS = 10;
const MAX_NICE = 19;

/** Throws unless `n` is a niceness: a whole number of nice steps from 0 to 19. */
export function checkNiceness(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_NICE) throw new RangeError(`niceness ${n} must be a whole number from 0 to ${MAX_NICE}`);
}

/** The calling thread's kernel id (Linux: /proc/thread-self → /proc/PID/task/TID), undefined elsewhere. */
export function currentThreadId(): number | undefined {
  try {
    const tid = Number(/\/task\/(\d+)$/.exec(fs.readlinkSync('/proc/thread-self'))?.[1]);
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** What lowering a thread's priority did: its nice value before and after, or why it was left alone. */
export interface PriorityChange {
  tid?: number;
  before?: number;
  after?: number;
  /** Set when the priority could not be changed. */
  error?: string;
}

/** The nice value `by` steps above the calling thread's, capped at 19. */
export function niceAbove(by: number): number {
  return Math.min(MAX_NICE, os.getPriority() + by);
}

/** Sets one thread's nice value to `target` unless it is already that high or higher (lowering it would need privilege). */
export function lowerThreadPriority(tid: number, target: number): PriorityChange {
  try {
    const before = os.getPriority(tid);
    if (target <= before) return { tid, before, after: before };
    os.setPriority(tid, target);
    return { tid, before, after: target };
  } catch (e) {
    return { tid, error: (e as Error).message };
  }
}

/** Lowers the calling thread's priority `by` nice steps (a worker thread lowers its own). */
export function lowerOwnThreadPriority(by: number): PriorityChange {
  const tid = currentThreadId();
  if (tid === undefined) return { error: 'no thread id (/proc/thread-self is missing: not Linux)' };
  return lowerThreadPriority(tid, niceAbove(by));
}

/** `lowerThreadPriority` over thread ids listed from /proc: how many changed, and the first error met (the others are alike). */
function lowerEach(tids: readonly string[], target: number): { threads: number; error?: string } {
  let threads = 0;
  let error: string | undefined;
  for (const tid of tids) {
    const r = lowerThreadPriority(Number(tid), target);
    if (r.error) error ??= r.error;
    else if (r.after !== r.before) threads++;
  }
  return { threads, error };
}

/**
 * Sets to at least `target` the nice value of this process's threads whose
 * name matches, e.g. the libvips worker threads that sharp encodes and cuts
 * images on: they start from whichever thread first needed them, often at the
 * event loop's priority. Returns the threads changed.
 */
export function lowerOwnThreadsNamed(name: RegExp, target: number): number {
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  const named = tids.filter((tid) => {
    try {
      return name.test(fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim());
    } catch {
      return false;
    }
  });
  return lowerEach(named, target).threads;
}
