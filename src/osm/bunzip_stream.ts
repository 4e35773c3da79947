/**
 * Decompresses a .bz2 stream through the system `bzip2 -dc` (several times faster than
 * any JS decoder): the XML and osmChange readers read its stdout.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { TuilerieError } from '../core/errors.js';

export interface Bunzip {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Settles when bzip2 exits: rejects on a corrupt stream or a missing program. */
  done: Promise<void>;
}

export function startBunzip(input: Readable, path: string): Bunzip {
  const child = spawn('bzip2', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { if (stderr.length < 2000) stderr += d.toString(); });
  // A consumer that stops early closes the pipe: that EPIPE is expected, not an error.
  child.stdin.on('error', () => {});
  input.pipe(child.stdin);
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT'
        ? new TuilerieError('UNSUPPORTED_FORMAT', `${path}: reading .bz2 files needs the 'bzip2' program, which was not found: install bzip2 or decompress the file first`)
        : new TuilerieError('IO_ERROR', `${path}: cannot run bzip2: ${e.message}`, { cause: e }));
    });
    child.on('close', (code) => {
      if (code === 0) { resolve(); return; }
      const why = stderr.split('\n').find((l) => l.startsWith('bzip2:'))?.replace(/^bzip2:\s*/, '').replace(/[;.]\s*$/, '');
      reject(new TuilerieError('BAD_INPUT', `${path}: corrupt or truncated bzip2 stream (bzip2: ${why || `exit code ${code}`})`));
    });
  });
  done.catch(() => {}); // awaited at end of stream; earlier failures surface there too
  return { child, done };
}
