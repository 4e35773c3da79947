/**
 * A full garbage collection on demand, for long jobs that drop big typed arrays
 * between stages. V8 frees an ArrayBuffer's memory only when a collection finds
 * the buffer unreachable, and a job whose JS heap stays small (everything in typed
 * arrays) triggers few: the route build held over 300 MiB of dropped arrays at the
 * end of its network stage on 54 M nodes, which became part of its peak. Node
 * exposes `gc` only with --expose-gc; setting that flag at run time and creating
 * a context gives the function (V8 installs it in contexts made after the flag),
 * in the calling thread's heap. Without it (a runtime that refuses), a no-op.
 * A full collection of a large heap takes hundreds of milliseconds whatever it
 * frees, so below WORTH_BYTES of array buffers (a small build, a test process) it
 * is skipped: there is not enough to free for the peak to matter.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** Array buffer memory below which a collection is not worth its pause. */
const WORTH_BYTES = 48 * 2 ** 20;

export function collectGarbage(): void {
  if (process.memoryUsage().arrayBuffers < WORTH_BYTES) return;
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const f: unknown = vm.runInNewContext('gc');
      gc = typeof f === 'function' ? (f as () => void) : null;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
