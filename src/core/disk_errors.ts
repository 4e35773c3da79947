/** Write errors on temporary files, as messages that say where and what to do. */
import { TuilerieError } from './errors.js';

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Rethrows a write error; a full disk becomes a message that says where and what to do. */
export function rethrowDiskError(e: unknown, file: string): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code && NO_SPACE.has(code)) {
    throw new TuilerieError('IO_ERROR', `no space left for temporary file ${file} (${code}): free disk space or pass --tmp-dir on a larger disk; the existing output is untouched`, { cause: e });
  }
  throw new TuilerieError('IO_ERROR', `cannot write temporary file ${file}: ${(e as Error).message}`, { cause: e });
}
