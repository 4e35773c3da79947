/**
 * Temp files of archive writers. An output is built as `.<name>.tmp-<pid>` (plus
 * suffixes such as `-journal` or `.spool`) beside it and renamed into place, so an
 * interrupted import never leaves half a file where a good one was. What is left
 * is cleaned from both ends: the files being written are registered here, so the
 * CLI removes them when the process is interrupted (SIGINT/SIGTERM/SIGHUP, or its log
 * stream closed), and a writer
 * starting on an output removes the temps of that output left by processes that
 * no longer exist (a killed import).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from './logger.js';
import { processAlive } from './process_alive.js';

const live = new Set<string>();

/** The temp path for `outPath` written by this process: `.<name>.tmp-<pid>` in the same directory. */
export function tempPathFor(outPath: string): string {
  return path.join(path.dirname(outPath), `.${path.basename(outPath)}.tmp-${process.pid}`);
}

/** Marks a temp file (or directory) as being written by this process (removed if it is interrupted). */
export function registerTempFile(file: string): void {
  live.add(file);
}

/** The file was renamed into place or removed: nothing to clean any more. */
export function releaseTempFile(file: string): void {
  live.delete(file);
}

/** Synchronously removes every registered temp file (signal handlers); returns those removed. */
export function removeLiveTempFiles(): string[] {
  const removed: string[] = [];
  for (const file of live) {
    for (const p of [file, `${file}-journal`, `${file}.spool`]) {
      try {
        fs.rmSync(p, { force: true, recursive: true });
        if (p === file) removed.push(p);
      } catch {
        // best effort while exiting
      }
    }
  }
  live.clear();
  return removed;
}

function isAlive(pid: number): boolean {
  return pid === process.pid || processAlive(pid);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the temp files of `outPath` (`.<name>.tmp-<pid>…`) whose process is
 * gone. Those of live processes (another import of the same output) are kept.
 */
export function removeStaleTempFiles(outPath: string, logger?: Logger): string[] {
  const dir = path.dirname(path.resolve(outPath));
  const re = new RegExp(`^\\.${escape(path.basename(outPath))}\\.tmp-(\\d+)(?:$|[.-])`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = re.exec(n);
    if (!m || isAlive(Number(m[1]))) continue;
    const p = path.join(dir, n);
    try {
      fs.rmSync(p, { force: true, recursive: true });
      removed.push(p);
    } catch (e) {
      logger?.warn(`cannot remove the stale temp file ${p}: ${(e as Error).message}`);
    }
  }
  if (removed.length) logger?.info(`removed ${removed.length} temp file(s) left by an interrupted run: ${removed.map((p) => path.basename(p)).join(', ')}`);
  return removed;
}
