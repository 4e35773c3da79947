/**
 * Starts a worker thread from a module next to the caller, in compiled (`.js`,
 * dist/) and in source form (`.ts`, run through tsx in tests and development).
 * Node 20 does not apply the parent's ESM loader hooks to workers, so under tsx
 * the worker is bootstrapped with tsx's in-thread require hook instead.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** `callerUrl`: the caller's `import.meta.url`; `baseName`: the worker module's file name without extension. */
export function startWorker(callerUrl: string, baseName: string, workerData?: unknown, resourceLimits?: ResourceLimits): Worker {
  const ext = path.extname(fileURLToPath(callerUrl));
  const url = new URL(`./${baseName}${ext}`, callerUrl);
  if (ext !== '.ts') return new Worker(url, { workerData, resourceLimits });
  const tsxApi = createRequire(callerUrl).resolve('tsx/cjs/api');
  return new Worker(`require(${JSON.stringify(tsxApi)}).require(${JSON.stringify(url.href)}, __filename);`, { eval: true, workerData, resourceLimits });
}
