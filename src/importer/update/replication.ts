/**
 * `update --replication URL`: follows a replication directory (the layout of
 * planet.openstreetmap.org and Geofabrik: `state.txt` with `sequenceNumber=N`, changes
 * at `AAA/BBB/CCC.osc.gz` for N = AAABBBCCC). From the sequence recorded in the store
 * by the last update (or `--sequence N` the first time: the sequence of the imported
 * extract), every missing change is downloaded and all are applied in one update, which
 * records the new sequence in the same transaction: an interrupted run changes nothing
 * and the next one starts again from the same place. The downloads go to a temp
 * directory in the store (`.replication.tmp-PID`), removed after the run, on failure and
 * on a signal (registered as a temp file); one left by a killed run goes with the next run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { registerTempFile, releaseTempFile, removeStaleTempFiles, tempPathFor } from '../../core/temp_files.js';
import { OsmStore } from './osm_store.js';
import { SEQUENCE_KEY, STORE_FILE, storeDirFor } from './store_builder.js';
import { runUpdate, type UpdateOptions, type UpdateSummary } from './update_pipeline.js';

/** 123456789 → 123/456/789 */
export function sequencePath(seq: number): string {
  const s = String(seq).padStart(9, '0');
  return `${s.slice(0, -6)}/${s.slice(-6, -3)}/${s.slice(-3)}`;
}

export function parseState(text: string, where: string): number {
  const m = /^sequenceNumber\s*=\s*(\d+)\s*$/m.exec(text);
  if (!m) throw new TuilerieError('BAD_INPUT', `${where}: no sequenceNumber in it (not a replication state file)`);
  return Number(m[1]);
}

async function get(url: string): Promise<Buffer> {
  let r: Response;
  try {
    r = await fetch(url);
  } catch (e) {
    throw new TuilerieError('IO_ERROR', `update: cannot fetch ${url}: ${(e as Error).message}`, { cause: e });
  }
  if (!r.ok) throw new TuilerieError(r.status === 404 ? 'NOT_FOUND' : 'IO_ERROR', `update: ${url} answered ${r.status} ${r.statusText}`);
  return Buffer.from(await r.arrayBuffer());
}

export interface ReplicationOptions extends Omit<UpdateOptions, 'changes' | 'sequence'> {
  url: string;
  /** The sequence the archive's data is at, when the store has none recorded yet. */
  sequence?: number;
}

export type ReplicationSummary = UpdateSummary & { sequence: { from: number; to: number } } | { upToDate: true; sequence: number };

/** Untouched this long, a download directory of the older naming (no pid in it) belongs to no running update. */
const UNNAMED_DOWNLOADS_MAX_AGE_MS = 24 * 3600_000;

/** Download directories of versions that named them `replication-XXXXXX` (mkdtemp) and left them on a stop. */
function removeOldUnnamedDownloads(storeDir: string, logger: Logger): void {
  for (const name of fs.readdirSync(storeDir)) {
    if (!/^replication-[A-Za-z0-9]{6}$/.test(name)) continue;
    const p = path.join(storeDir, name);
    try {
      if (Date.now() - fs.statSync(p).mtimeMs < UNNAMED_DOWNLOADS_MAX_AGE_MS) continue;
      fs.rmSync(p, { recursive: true, force: true });
      logger.info(`removed ${name}, downloads left in the store by an interrupted update`);
    } catch (e) {
      logger.warn(`cannot remove ${p}: ${(e as Error).message}`);
    }
  }
}

export async function runReplication(o: ReplicationOptions): Promise<ReplicationSummary> {
  const base = o.url.replace(/\/+$/, '');
  const dir = storeDirFor(o.archive);
  if (!fs.existsSync(path.join(dir, STORE_FILE))) {
    throw new TuilerieError('NOT_FOUND', `update: no update store beside ${o.archive} (${dir}); import with --updatable first`);
  }
  const store = OsmStore.open(path.join(dir, STORE_FILE));
  let recorded: string | undefined;
  try {
    recorded = store.meta(SEQUENCE_KEY);
  } finally {
    store.close();
  }
  const from = recorded !== undefined ? Number(recorded) : o.sequence;
  if (from === undefined) {
    throw new TuilerieError('BAD_REQUEST', 'update: the store records no replication sequence yet; give the sequence of the imported data with --sequence N');
  }
  const to = parseState((await get(`${base}/state.txt`)).toString('utf8'), `${base}/state.txt`);
  // downloads of a run killed outright (SIGKILL): a signal or a failure removes its own
  const downloads = path.join(dir, 'replication');
  removeStaleTempFiles(downloads, o.logger);
  removeOldUnnamedDownloads(dir, o.logger);
  if (to <= from) return { upToDate: true, sequence: from };
  const temp = tempPathFor(downloads);
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(temp);
  registerTempFile(temp);
  try {
    const files: string[] = [];
    for (let seq = from + 1; seq <= to; seq++) {
      const file = path.join(temp, `${String(seq).padStart(9, '0')}.osc.gz`);
      fs.writeFileSync(file, await get(`${base}/${sequencePath(seq)}.osc.gz`));
      files.push(file);
      o.logger.info(`replication: fetched ${sequencePath(seq)}.osc.gz (${seq - from}/${to - from})`);
    }
    const summary = await runUpdate({ ...o, changes: files, sequence: { from: recorded !== undefined ? from : undefined, to } });
    return { ...summary, sequence: { from, to } };
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
    releaseTempFile(temp);
  }
}
