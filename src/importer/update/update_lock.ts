/**
 * One update at a time per store: a lock file holding the updater's pid, created
 * exclusively. A lock left by a process that is gone (killed, crashed) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../../core/errors.js';
import { processAlive } from '../../core/process_alive.js';

export class UpdateLock {
  private constructor(private readonly file: string) {}

  static take(storeDir: string): UpdateLock {
    const file = path.join(storeDir, 'update.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
        return new UpdateLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new TuilerieError('IO_ERROR', `update: cannot lock ${storeDir}: ${(e as Error).message}`, { cause: e });
        }
      }
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new TuilerieError('OVERLOADED', `update: another update (pid ${pid}) is running on ${storeDir}; wait for it to finish`);
      }
      fs.rmSync(file, { force: true });
    }
    throw new TuilerieError('IO_ERROR', `update: cannot lock ${storeDir}: the lock file keeps coming back`);
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}
