/**
 * Watches the directories of the sources and reloads a source when its file is
 * replaced. Importers write a temp file and rename it into place, which shows
 * up as a `rename` event on the directory (watching the file itself would
 * follow the old inode).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import type { SourceRegistry } from './source_registry.js';

export interface SourceWatcherOptions {
  registry: SourceRegistry;
  logger: Logger;
  /** Quiet time after the last event before reloading (writers emit bursts). */
  debounceMs?: number;
}

export class SourceWatcher {
  private readonly watchers: fs.FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly opts: SourceWatcherOptions) {}

  start(): void {
    const byDir = new Map<string, Map<string, string>>();
    for (const { id, path: p } of this.opts.registry.paths()) {
      if (/^https?:\/\//i.test(p)) continue; // remote archives: nothing to watch
      const dir = path.dirname(p);
      if (!byDir.has(dir)) byDir.set(dir, new Map());
      byDir.get(dir)!.set(path.basename(p), id);
    }
    for (const [dir, names] of byDir) {
      try {
        const w = fs.watch(dir, { persistent: false }, (_event, filename) => {
          const id = filename ? names.get(filename.toString()) : undefined;
          if (id) this.schedule(id);
        });
        w.on('error', (e) => this.opts.logger.warn('watching stopped', { dir, error: String(e) }));
        this.watchers.push(w);
      } catch (e) {
        this.opts.logger.warn(`cannot watch ${dir}; send SIGHUP to reload sources`, { error: String(e) });
      }
    }
  }

  stop(): void {
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(id: string): void {
    clearTimeout(this.timers.get(id));
    const t = setTimeout(() => {
      this.timers.delete(id);
      this.opts.registry.reload(id).catch((e) => this.opts.logger.warn('reload failed', { id, error: String(e) }));
    }, this.opts.debounceMs ?? 250);
    t.unref();
    this.timers.set(id, t);
  }
}
