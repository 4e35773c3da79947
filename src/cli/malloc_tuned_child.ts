/**
 * Graph builds run with glibc's mmap threshold fixed. Past its first frees of big
 * blocks, glibc raises the threshold under which malloc serves memory from its
 * arenas (up to 32 MiB), and memory freed there stays in the process: the typed
 * arrays a route-build drops stage after stage (MiB each, in several threads) kept
 * counting in its resident memory, a quarter of its peak on 800 connected copies
 * (455 -> 328 MiB with the threshold fixed at 128 KiB). A threshold is read when a
 * process starts, so the command runs again as a child with it set in its
 * environment (cli_child.ts: signals passed on, the child waited for).
 */
import { exitCodeOf, FORWARDED_SIGNALS, runCliChild } from './cli_child.js';

/** glibc's variable (also a tunable, glibc.malloc.mmap_threshold): blocks from this size on are mapped, and unmapped when freed. */
export const MALLOC_THRESHOLD_ENV = 'MALLOC_MMAP_THRESHOLD_';
export const MALLOC_THRESHOLD_BYTES = 128 * 1024;

/** True when this process should hand its work to a child with the threshold set: on Linux, unless it (or a tunable) is set already. */
export function needsMallocTunedChild(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  return platform === 'linux' && env[MALLOC_THRESHOLD_ENV] === undefined && !(env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.mmap_threshold');
}

/**
 * Runs `tuilerie ARGS` in a child with the threshold set, output shared, and waits for it (a signal is passed on and
 * this process then ends by it, as the child did); resolves to its exit code.
 */
export async function runMallocTunedChild(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const end = await runCliChild({ args, env: { ...env, [MALLOC_THRESHOLD_ENV]: String(MALLOC_THRESHOLD_BYTES) } });
  if (end.signal && FORWARDED_SIGNALS.includes(end.signal)) process.kill(process.pid, end.signal);
  return exitCodeOf(end);
}
