/**
 * One writer at a time per store: a lock file holding the writer's pid, created
 * exclusively. An update holds it while it runs; an import holds it while it puts a new
 * archive and store in place (so no running update writes into the replaced files or
 * publishes its change files into the new store). A lock left by a process that is gone
 * (killed, crashed) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError, isTuilerieError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { processAlive } from '../../core/process_alive.js';

const LOCK_FILE = 'update.lock';

export interface WaitForLockOptions {
  logger: Logger;
  /** How often to look again while another process holds it (default 1 s). */
  pollMs?: number;
}

export class UpdateLock {
  private constructor(private readonly file: string) {}

  static take(storeDir: string): UpdateLock {
    const file = path.join(storeDir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
        return new UpdateLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new TuilerieError('IO_ERROR', `update: cannot lock ${storeDir}: ${(e as Error).message}`, { cause: e });
        }
      }
      const pid = UpdateLock.holder(file);
      if (pid !== undefined && pid !== process.pid && processAlive(pid)) {
        throw new TuilerieError('OVERLOADED', `update: another update (pid ${pid}) is running on ${storeDir}; wait for it to finish`, { details: { pid } });
      }
      fs.rmSync(file, { force: true });
    }
    throw new TuilerieError('IO_ERROR', `update: cannot lock ${storeDir}: the lock file keeps coming back`);
  }

  /**
   * The lock of an existing store, waiting while a running update holds it (an update is
   * bounded; failing would throw away the work of the import waiting here). Undefined
   * when there is no store yet.
   */
  static async waitFor(storeDir: string, opts: WaitForLockOptions): Promise<UpdateLock | undefined> {
    let told = false;
    for (;;) {
      if (!fs.existsSync(storeDir)) return undefined;
      try {
        return UpdateLock.take(storeDir);
      } catch (e) {
        if (!isTuilerieError(e, 'OVERLOADED')) throw e;
        if (!told) opts.logger.info(`waiting for the update running on ${storeDir} (pid ${String(e.details?.pid)}) to finish before replacing it`);
        told = true;
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    }
  }

  private static holder(file: string): number | undefined {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch {
      return undefined;
    }
    const pid = Number(text);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** Removes the lock file if it is still this process's (an import's lock goes with the store it replaced). */
  release(): void {
    if (UpdateLock.holder(this.file) === process.pid) fs.rmSync(this.file, { force: true });
  }
}
