/**
 * `tuilerie update --out FILE.mbtiles CHANGES.osc[.gz|.bz2]...`
 */
import os from 'node:os';
import { Writable } from 'node:stream';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import { StreamLogger, type Logger } from '../core/logger.js';
import { formatDuration } from '../core/progress.js';
import { runUpdate, type UpdateSummary } from '../importer/update/update_pipeline.js';
import { runReplication } from '../importer/update/replication.js';
import type { CliCommand, CliContext } from './command.js';
import { parseCommandArgs, parseThreads } from './cli_args.js';
import { rebuildGraphAfterUpdate } from './routing_rebuild.js';
import { removingTempFilesOnSignal, stoppingChildOnSignal } from './interrupt_cleanup.js';

const HELP = `Usage: tuilerie update --out FILE.mbtiles [options] CHANGES.osc[.gz|.bz2]...
       tuilerie update --out FILE.mbtiles --replication URL [--sequence N] [options]

Applies OpenStreetMap changes (osmChange files, in the order given) to an archive
imported with \`tuilerie import --updatable\`, and rewrites exactly the tiles they
reach, at every zoom: the archive then holds what a full import of the new data gives.
Archive and store change in one transaction: a failure leaves both as they were.

Options:
  --out FILE       the MBTiles written by import --updatable (its store is FILE.store/)
  --replication URL  follow a replication directory (state.txt, AAA/BBB/CCC.osc.gz): apply every
                   change after the sequence the store records, and record the new one
  --sequence N     with --replication, the first time: the sequence the imported data is at
  --threads N      tile encoding threads (default: cores)
  --no-routing     when roads changed, leave the routing graph beside the archive (FILE.routing)
                   as it is; by default it is built again from the imported extracts and every
                   change applied since (route-build --changes-dir), while servers keep
                   answering from the old one
  --json           print the summary as JSON on stdout
  --quiet          only errors
`;

export function formatUpdateSummary(s: UpdateSummary): string {
  const lines: string[] = [];
  lines.push('stage              time   peak memory');
  for (const t of s.stages) lines.push(`  ${t.stage.padEnd(12)} ${formatDuration(t.ms).padStart(8)} ${(t.peakRssBytes / 2 ** 20).toFixed(0).padStart(9)} MiB`);
  lines.push(`  ${'total'.padEnd(12)} ${formatDuration(s.totalMs).padStart(8)}`);
  lines.push('changes:     create   modify   delete');
  for (const [k, c] of Object.entries(s.changes)) lines.push(`  ${k.padEnd(9)} ${String(c.create).padStart(7)} ${String(c.modify).padStart(8)} ${String(c.delete).padStart(8)}`);
  lines.push(`affected: ${s.affected.nodes} nodes, ${s.affected.ways} ways, ${s.affected.relations} relations${s.affected.sea ? ', the sea' : ''}${s.boundsChanged ? '; the bounds moved' : ''}; ${s.affected.sameFeatures} of them with the same features as before`);
  lines.push(`run again: ${s.rerun.nodes} nodes, ${s.rerun.ways} ways, ${s.rerun.relations} relations${s.boundsChanged ? ' (everything in the tiles they reach)' : ''}`);
  lines.push('tiles per zoom: written removed unchanged');
  for (const [z, n] of Object.entries(s.tilesPerZoom)) lines.push(`  z${z.padEnd(3)} ${String(n.written).padStart(13)} ${String(n.removed).padStart(7)} ${String(n.unchanged).padStart(9)}`);
  lines.push(`roads: ${s.roadsChanged ? 'changed (a routing graph of this data is out of date)' : 'unchanged'}`);
  lines.push(`tiles changed: ${s.changeLog.changedTiles} (update ${s.changeLog.generation} of the archive's change log: servers re-render only the metatiles over them)`);
  const errs = Object.entries(s.dataErrors);
  lines.push(`data errors: ${errs.length === 0 ? 'none' : errs.map(([c, n]) => `${c}=${n}`).join(' ')}`);
  lines.push(`peak memory: ${(s.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
  return lines.join('\n');
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommandArgs(args, {
    out: { type: 'string', short: 'o' },
    threads: { type: 'string' },
    replication: { type: 'string' },
    sequence: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    json: { type: 'boolean' },
    'no-routing': { type: 'boolean' },
  }, HELP);
  const v = parsed.values;
  if (v.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  if (!v.out) throw new TuilerieError('BAD_REQUEST', 'update: --out FILE.mbtiles is required');
  if (!/\.mbtiles$/i.test(v.out)) throw new TuilerieError('UNSUPPORTED_FORMAT', `update: --out must be an MBTiles file written by import --updatable (got ${v.out})`);
  if (v.replication !== undefined && parsed.positionals.length > 0) throw new TuilerieError('BAD_REQUEST', 'update: give change files or --replication URL, not both');
  if (v.replication === undefined && parsed.positionals.length === 0) throw new TuilerieError('BAD_REQUEST', 'update: give at least one osmChange file (.osc, .osc.gz, .osc.bz2) or --replication URL');
  const sequence = v.sequence !== undefined ? Number(v.sequence) : undefined;
  if (sequence !== undefined && (!Number.isInteger(sequence) || sequence < 0)) throw new TuilerieError('BAD_REQUEST', `update: --sequence must be a whole number (got ${v.sequence})`);
  const threads = parseThreads(v.threads, 'update') ?? os.availableParallelism();
  const logger = new StreamLogger({ level: v.quiet ? 'error' : 'info', stream: ctx.stderr });
  const tty = ctx.stderr.isTTY && !v.quiet ? ctx.stderr : undefined;
  const common = { archive: path.resolve(v.out), threads, logger, tty };
  // the graph builder's own log: only errors reach a quiet run (through the logger)
  const routingLog = v.quiet ? new Writable({ write: (_c, _e, done) => done() }) : ctx.stderr;
  if (v.replication !== undefined) {
    const r = await removingTempFilesOnSignal(logger, () => runReplication({ ...common, url: v.replication!, sequence }));
    if ('upToDate' in r) {
      if (v.json) ctx.stdout.write(JSON.stringify(r) + '\n');
      else if (!v.quiet) ctx.stderr.write(`up to date: sequence ${r.sequence}\n`);
      return 0;
    }
    if (v.json) ctx.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else if (!v.quiet) ctx.stderr.write(`replication: sequence ${r.sequence.from} → ${r.sequence.to}\n${formatUpdateSummary(r)}\n`);
    return followRoads(r, common.archive, !v['no-routing'], routingLog, logger);
  }
  const summary = await runUpdate({ ...common, changes: parsed.positionals.map((p) => path.resolve(p)) });
  if (v.json) ctx.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else if (!v.quiet) ctx.stderr.write(formatUpdateSummary(summary) + '\n');
  return followRoads(summary, common.archive, !v['no-routing'], routingLog, logger);
}

/** Rebuilds the archive's routing graph when roads changed (and it has one); 1 when that build fails. */
async function followRoads(s: UpdateSummary, archive: string, wanted: boolean, log: NodeJS.WritableStream, logger: Logger): Promise<number> {
  if (!s.roadsChanged || !wanted) return 0;
  const build = await rebuildGraphAfterUpdate({ archive, logger, stderr: log });
  if (!build) return 0;
  // stopping this update (its scheduler stopping, a supervisor) stops the build it started
  return (await stoppingChildOnSignal(build.child, logger, () => build.done)) ? 0 : 1;
}

export const command: CliCommand = { name: 'update', summary: 'apply OSM changes (osmChange) to an updatable import', run };
