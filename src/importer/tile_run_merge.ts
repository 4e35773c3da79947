/**
 * The merge of tile feature runs with a bounded fan-in, as an external sort (and
 * planetiler) does: every open run holds a file descriptor and a read buffer, and
 * the number of runs grows with the input, so at most `fanIn` runs are read at
 * once. Past that, groups of consecutive runs are first merged into bigger runs
 * (compressed like the originals, in the same directory), as few as it takes to
 * leave `fanIn`, and pass after pass when even that is too many; each is removed
 * once merged on. The final merge streams tile by tile, as one over every run
 * would: same tiles, same records in the same order.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProgressFactory, ProgressSink } from '../core/progress.js';
import { BLOCK_BYTES } from './compressed_blocks.js';
import { mergeRunFiles, TileRunWriter, type RunInput } from './tile_feature_runs.js';

/**
 * Memory an open run takes while merged: its decompressed block, the buffer that
 * carries a record across blocks (a block's size at least), the compressed block
 * while it is inflated.
 */
export const RUN_READER_BYTES = 3 * BLOCK_BYTES;
/** Most runs read at once, whatever the budget: 64 file descriptors, 192 MiB of buffers. */
export const MAX_FAN_IN = 64;
/** Fewest: below, passes multiply (each rewrites what it merges) for little memory. */
export const MIN_FAN_IN = 4;

/** Runs merged at once when the merge may take `budgetBytes` (none given: the most). */
export function mergeFanIn(budgetBytes?: number): number {
  if (budgetBytes === undefined) return MAX_FAN_IN;
  return Math.min(MAX_FAN_IN, Math.max(MIN_FAN_IN, Math.floor(budgetBytes / RUN_READER_BYTES)));
}

export interface BoundedMergeOptions {
  /** Most runs open at once (at least 2). */
  fanIn: number;
  /** Where the pre-merged runs go (the import's temporary directory). */
  dir: string;
  /** File name prefix of the pre-merged runs, unique in `dir`. */
  prefix?: string;
  /** Remove each given run once a pre-merge has read it (an import reads its runs once), not only the merge's own. */
  removeInputs?: boolean;
  /** Told of each pre-merge pass: runs before it, groups merged, runs after. */
  onPass?: (p: { pass: number; runs: number; groups: number; left: number }) => void;
  /** Draws each pre-merge pass, in bytes written against the bytes of the runs it merges. */
  progress?: ProgressFactory;
}

interface Input extends RunInput {
  /** Written by this merge: removed once read. */
  own: boolean;
}

/**
 * Merges runs by tile key as mergeRunFiles does (each tile's records in the order
 * of `inputs`), never more than `fanIn` open at once.
 */
export function* mergeRunsBounded(inputs: readonly RunInput[], o: BoundedMergeOptions): Generator<{ key: number; records: Uint8Array }> {
  if (!(o.fanIn >= 2)) throw new RangeError(`mergeRunsBounded: fan-in ${o.fanIn}, at least 2`);
  const runs: Input[] = inputs.map((r) => ({ ...r, own: false }));
  const prefix = o.prefix ?? 'merge';
  let written = 0;
  const drop = (r: Input): void => {
    if (r.own || o.removeInputs) fs.rmSync(r.file, { force: true });
  };
  try {
    for (let pass = 0; runs.length > o.fanIn; pass++) {
      const before = runs.length;
      const sizes = passGroups(before, o.fanIn);
      const merging = sizes.reduce((a, b) => a + b, 0);
      const bar = o.progress?.(`pre-merge pass ${pass + 1}`, 'bytes', runs.slice(0, merging).reduce((t, r) => t + fs.statSync(r.file).size, 0));
      let groups = 0;
      for (const [i, size] of sizes.entries()) {
        const group = runs.slice(i, i + size);
        const merged: Input = { file: path.join(o.dir, `${prefix}-${written++}.run`), seqBase: 0, own: true };
        mergeInto(group, merged.file, bar);
        // in place, in order: `runs` always lists the files there are (what a failure removes)
        runs.splice(i, size, merged);
        for (const r of group) drop(r);
        groups++;
      }
      bar?.finish();
      o.onPass?.({ pass, runs: before, groups, left: runs.length });
    }
    yield* mergeRunFiles(runs);
    for (const r of runs) drop(r);
  } finally {
    // a failure or an early return: the merge's own runs go (the given ones are the caller's)
    for (const r of runs) if (r.own) fs.rmSync(r.file, { force: true });
  }
}

/**
 * The sizes of the groups a pass merges, from the first run on (each group of g runs leaves one): as few as it takes
 * to get from `runs` down to `fanIn`.
 */
export function passGroups(runs: number, fanIn: number): number[] {
  const sizes: number[] = [];
  let excess = runs - fanIn, left = runs;
  while (excess > 0) {
    const size = Math.min(fanIn, excess + 1, left - sizes.length);
    if (size < 2) break;
    sizes.push(size);
    left -= size - 1;
    excess -= size - 1;
  }
  return sizes;
}

/** One pre-merge: the records of `group`, merged, as a new run (sequence numbers already offset); ticks bytes written. */
function mergeInto(group: readonly RunInput[], file: string, progress?: ProgressSink): void {
  const out = new TileRunWriter(file);
  let ticked = 0;
  try {
    for (const t of mergeRunFiles(group)) {
      out.writeRecords(t.records);
      if (progress && out.bytes > ticked) { progress.tick(out.bytes - ticked); ticked = out.bytes; }
    }
  } catch (e) {
    out.abort();
    fs.rmSync(file, { force: true });
    throw e;
  }
  out.close();
  // the last block is written on close
  if (progress && out.bytes > ticked) progress.tick(out.bytes - ticked);
}
