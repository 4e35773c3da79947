/**
 * Scheduling priority of background work: the pixel worker threads and the
 * renderer's browser run at a raised nice value so that, on a machine whose
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

let backgroundNiceness = DEFAULT_BACKGROUND_NICENESS;

/**
 * How much lower than the event loop background threads run (0 to 19), for
 * every worker pool of this process started afterwards. The pools are
 * per-process like libuv's thread pool, so the setting is too; the serving
 * composition root sets it from `raster.niceness`.
 */
export function setBackgroundNiceness(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_NICE) throw new RangeError(`niceness ${n} must be a whole number from 0 to ${MAX_NICE}`);
  backgroundNiceness = n;
}

export function getBackgroundNiceness(): number {
  return backgroundNiceness;
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

/** The child processes started by any of these threads of `pid`. */
async function children(pid: number, tids: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  for (const tid of tids) {
    const text = await fs.promises.readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '');
    for (const c of text.split(' ')) if (/^\d+$/.test(c)) out.push(Number(c));
  }
  return out;
}

/**
 * Sets to at least `target` the nice value of every thread of a process and of
 * its descendants (a browser, its zygote, GPU and renderer processes), read
 * from /proc asynchronously so the event loop keeps turning; calling it again
 * only catches threads started since. Processes and threads started later
 * inherit the value. Returns how many threads were changed and the first
 * error met (the others are alike).
 */
export async function lowerProcessTreePriority(pid: number, target: number): Promise<{ threads: number; error?: string; pids: number[] }> {
  let threads = 0;
  let error: string | undefined;
  const seen = new Set<number>();
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const tids = await fs.promises.readdir(`/proc/${p}/task`).catch(() => [] as string[]);
    const r = lowerEach(tids, target);
    threads += r.threads;
    error ??= r.error;
    todo.push(...(await children(p, tids)));
  }
  if (seen.size === 1 && !fs.existsSync(`/proc/${pid}`)) error ??= `process ${pid} not found in /proc`;
  return { threads, error, pids: [...seen].filter((p) => fs.existsSync(`/proc/${p}`)) };
}

/**
 * The quick pass between two tree walks: every thread of processes already
 * known set to at least `target` (a directory listing and one system call a
 * thread already low, well under a millisecond for a browser). Returns the threads changed.
 */
export function lowerThreadsOf(pids: readonly number[], target: number): number {
  let threads = 0;
  for (const p of pids) {
    let tids: string[];
    try {
      tids = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    threads += lowerEach(tids, target).threads;
  }
  return threads;
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
