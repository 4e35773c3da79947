/**
 * The import's temporary directory: created under `--tmp-dir` (default: beside
 * the output), holding what does not fit the memory budget (tile feature runs),
 * measured for the summary's peak temporary disk use, and removed whole at the
 * end whether the import succeeded or not (and by the CLI on SIGINT/SIGTERM).
 */
import fs from 'node:fs';
import path from 'node:path';
import { rethrowDiskError } from '../core/disk_errors.js';
import { registerTempFile, releaseTempFile } from '../core/temp_files.js';

export class TempSpace {
  readonly dir: string;
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(parent: string) {
    try {
      fs.mkdirSync(parent, { recursive: true });
      this.dir = fs.mkdtempSync(path.join(parent, '.tuilerie-import-'));
    } catch (e) {
      rethrowDiskError(e, path.join(parent, '.tuilerie-import-*'));
    }
    // removed by the CLI's interruption handlers too (removeLiveTempFiles), whichever command made it
    registerTempFile(this.dir);
    this.timer = setInterval(() => this.sample(), 500);
    this.timer.unref();
  }

  /** Bytes in the directory now; updates the peak. */
  sample(): number {
    let total = 0;
    try {
      for (const f of fs.readdirSync(this.dir)) {
        try { total += fs.statSync(path.join(this.dir, f)).size; } catch { /* removed meanwhile */ }
      }
    } catch { /* directory already removed */ }
    if (total > this.peak) this.peak = total;
    return total;
  }

  get peakBytes(): number {
    return this.peak;
  }

  /** Removes the directory and everything in it (synchronous: also safe from a signal handler). */
  dispose(): void {
    clearInterval(this.timer);
    fs.rmSync(this.dir, { recursive: true, force: true });
    releaseTempFile(this.dir);
  }
}
