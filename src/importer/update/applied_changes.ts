/**
 * Every osmChange file an update applied, kept in the store (`changes/`, named
 * `GENERATION-K` after the archive's update generation and the file's place in the
 * update, padded to 6 and 4 digits but longer past them: their numbers, compared by
 * value, give the application order — see sortChangeFiles): the imported
 * extracts plus these are the current data, which is what a routing graph is built
 * from again (`route-build --changes-dir`). Copied beside their final names before the
 * update commits and renamed after, so a failed update keeps none of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../../core/errors.js';
import { sortChangeFiles } from '../../osm/change_file_order.js';
import { CHANGES_DIR } from './store_builder.js';

const PENDING = '.pending';

function extensionOf(file: string): string {
  const m = /\.osc(\.gz|\.bz2)?$/i.exec(file);
  return m ? m[0].toLowerCase() : '.osc';
}

export class AppliedChanges {
  private constructor(private readonly pending: Array<{ tmp: string; final: string }>) {}

  /** Copies the files under pending names; leftovers of an interrupted update are removed first. */
  static stage(storeDir: string, generation: number, files: string[]): AppliedChanges {
    const dir = path.join(storeDir, CHANGES_DIR);
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (const f of fs.readdirSync(dir)) if (f.endsWith(PENDING)) fs.rmSync(path.join(dir, f), { force: true });
      const pending = files.map((file, k) => {
        const final = path.join(dir, `${String(generation).padStart(6, '0')}-${String(k + 1).padStart(4, '0')}${extensionOf(file)}`);
        const tmp = final + PENDING;
        fs.copyFileSync(file, tmp);
        return { tmp, final };
      });
      return new AppliedChanges(pending);
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `update: cannot keep the change files in ${dir}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** After the commit: the files take their final names. */
  publish(): void {
    for (const p of this.pending) fs.renameSync(p.tmp, p.final);
  }

  discard(): void {
    for (const p of this.pending) fs.rmSync(p.tmp, { force: true });
  }

  /** The kept change files, in application order. */
  static list(storeDir: string): string[] {
    const dir = path.join(storeDir, CHANGES_DIR);
    if (!fs.existsSync(dir)) return [];
    return sortChangeFiles(fs.readdirSync(dir).filter((f) => /^\d+-\d+\.osc(\.gz|\.bz2)?$/.test(f))).map((f) => path.join(dir, f));
  }
}
