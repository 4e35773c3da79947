/**
 * The search indexes of the served vector archives: one SQLite file per local
 * archive (`X.search.sqlite` beside `X.mbtiles`, or in the temp directory when
 * that folder is read-only), built in a worker thread when missing or made
 * from another version of the archive, reopened when the archive is replaced.
 * Several server processes share one build through a lock file; the others
 * wait for the index to appear. Until one index is ready, searches are refused
 * with OVERLOADED (HTTP 503 and Retry-After) rather than answered empty.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { startWorker } from '../core/start_worker.js';
import { SearchIndex, type SearchHit, type SearchQuery } from './search_index.js';
import type { SearchBuildSummary } from './search_index_builder.js';

export interface SearchableSource {
  id: string;
  /** Local file of the archive. */
  path: string;
  version: string;
}

/** A lock older than this is taken to be left by a process that died. */
const STALE_LOCK_MS = 60 * 60 * 1000;

interface Slot {
  source: SearchableSource;
  file: string;
  index?: SearchIndex;
  building?: Promise<void>;
  failedVersion?: string;
}

function canWrite(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the index of an archive lives. */
export function searchIndexPath(archive: string): string {
  const dir = path.dirname(archive);
  const base = path.basename(archive).replace(/\.(mbtiles|pmtiles)$/i, '');
  if (canWrite(dir)) return path.join(dir, `${base}.search.sqlite`);
  const hash = crypto.createHash('sha1').update(path.resolve(archive)).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `tuilerie-search-${base}-${hash}.sqlite`);
}

/** Temp files of builds cut short (Ctrl-C): only the lock holder reaches here, so none is in use. */
function removeStaleTemps(file: string): void {
  const dir = path.dirname(file), prefix = `${path.basename(file)}.tmp-`;
  try {
    for (const f of fs.readdirSync(dir)) if (f.startsWith(prefix)) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    // an unreadable folder: the build reports its own error
  }
}

function openIfCurrent(file: string, version: string): SearchIndex | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const index = new SearchIndex(file);
    if (index.sourceVersion === version) return index;
    index.close();
  } catch {
    // an index of another format or a damaged file: rebuilt
  }
  return undefined;
}

export class SearchService {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly opts: { logger: Logger; pollMs?: number }) {}

  /** Opens or (re)builds the index of each source; sources no longer served are dropped. */
  ensure(sources: readonly SearchableSource[]): void {
    const ids = new Set(sources.map((s) => s.id));
    for (const [id, slot] of this.slots) {
      if (!ids.has(id)) {
        slot.index?.close();
        this.slots.delete(id);
      }
    }
    for (const s of sources) {
      let slot = this.slots.get(s.id);
      if (slot && (slot.source.version !== s.version || slot.source.path !== s.path)) {
        if (!slot.building) slot.index?.close();
        slot = undefined;
      }
      if (!slot) {
        slot = { source: s, file: searchIndexPath(s.path) };
        this.slots.set(s.id, slot);
      }
      if (slot.index || slot.building || slot.failedVersion === s.version) continue;
      slot.index = openIfCurrent(slot.file, s.version);
      if (!slot.index) slot.building = this.build(slot);
    }
  }

  /** True when at least one index answers. */
  ready(): boolean {
    return [...this.slots.values()].some((s) => s.index !== undefined);
  }

  /** Waits for the builds under way (tests, `start`). */
  async settled(): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => s.building));
  }

  search(query: SearchQuery): SearchHit[] {
    const ready = [...this.slots.values()].filter((s) => s.index);
    if (ready.length === 0) {
      if ([...this.slots.values()].some((s) => s.building)) throw new TuilerieError('OVERLOADED', 'the search index is being built from the served data: retry in a few seconds');
      throw new TuilerieError('NOT_FOUND', 'no search index: the server has no local vector tile archive to index');
    }
    const hits = ready.flatMap((s) => s.index!.search(query));
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, query.limit);
  }

  close(): void {
    for (const s of this.slots.values()) s.index?.close();
    this.slots.clear();
  }

  private async build(slot: Slot): Promise<void> {
    const { source, file } = slot;
    const lock = `${file}.lock`;
    try {
      if (this.takeLock(lock)) {
        removeStaleTemps(file);
        try {
          const summary = await this.runWorker({ source: source.path, out: file, sourceVersion: source.version });
          this.opts.logger.info('search index built', { source: source.id, file, ...summary });
        } finally {
          fs.rmSync(lock, { force: true });
        }
      } else {
        await this.waitForLock(lock);
      }
      const index = openIfCurrent(file, source.version);
      if (!index) throw new TuilerieError('IO_ERROR', `${file} was not written for this version of the archive`);
      if (this.slots.get(source.id) === slot) slot.index = index;
      else index.close();
    } catch (e) {
      slot.failedVersion = source.version;
      this.opts.logger.warn(`search index of "${source.id}" not built: ${(e as Error).message}`, { source: source.id });
    } finally {
      slot.building = undefined;
    }
  }

  private takeLock(lock: string): boolean {
    try {
      const st = fs.statSync(lock);
      if (Date.now() - st.mtimeMs < STALE_LOCK_MS) return false;
      fs.rmSync(lock, { force: true });
    } catch {
      // no lock
    }
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      return false;
    }
  }

  private async waitForLock(lock: string): Promise<void> {
    while (fs.existsSync(lock)) await new Promise((r) => setTimeout(r, this.opts.pollMs ?? 500));
  }

  private runWorker(data: { source: string; out: string; sourceVersion: string }): Promise<SearchBuildSummary> {
    return new Promise((resolve, reject) => {
      const worker = startWorker(import.meta.url, 'search_build_worker', data);
      worker.unref();
      worker.on('message', (m: { kind: string; summary?: SearchBuildSummary; message?: string }) => {
        if (m.kind === 'done') resolve(m.summary!);
        else if (m.kind === 'error') reject(new TuilerieError('IO_ERROR', m.message ?? 'search index build failed'));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => { if (code !== 0) reject(new TuilerieError('INTERNAL', `search index worker exited with code ${code}`)); });
    });
  }
}
