/**
 * `tuilerie route-build [--out FILE.routing] [--profiles car,bicycle,foot] INPUT...`:
 * the routing graph of OSM extracts, written where `tuilerie serve X.mbtiles` looks
 * for it (X.routing). Without --out: beside the first input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import { sortChangeFiles } from '../osm/change_file_order.js';
import { StreamLogger } from '../core/logger.js';
import { formatDuration } from '../core/progress.js';
import { buildRoutingGraph, type BuildRoutingSummary } from '../routing/build_routing_graph.js';
import { PROFILE_NAMES, type ProfileName } from '../routing/routing_profiles.js';
import type { CliCommand, CliContext } from './command.js';
import { removingTempFilesOnSignal } from './interrupt_cleanup.js';
import { MALLOC_THRESHOLD_ENV, needsMallocTunedChild, runMallocTunedChild } from './malloc_tuned_child.js';
import { parseByteSize, parseCommandArgs, parseThreads } from './cli_args.js';

const HELP = `Usage: tuilerie route-build [--out FILE.routing] [options] INPUT...

INPUT: OSM extracts (.osm.pbf, .osm, .osm.bz2); several form one network.

Options:
  --out FILE         output graph (default: first input with .routing; for a
                     tileset X.mbtiles, name it X.routing so \`serve\` finds it)
  --profiles LIST    comma-separated among car,bicycle,foot (default: all)
  --changes-dir DIR  apply every osmChange file in DIR (.osc, .osc.gz, .osc.bz2, in name
                     order, numbers by value: 2 before 10) over the inputs: the data of an archive kept up to date with
                     \`tuilerie update\` (its store keeps them in FILE.mbtiles.store/changes)
  --threads N        PBF decoding threads (default: cores)
  --max-memory SIZE  memory budget, e.g. 6G (default: half the machine's RAM):
                     profiles contract in parallel only while their estimated
                     memory fits in it
  --json             print the summary as JSON on stdout
  --quiet            only errors
`;

/** The osmChange files of a directory in the order they were applied in (numbers in names by value). */
function changeFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new TuilerieError('IO_ERROR', `route-build: cannot read --changes-dir ${dir}: ${(e as Error).message}`, { cause: e });
  }
  return sortChangeFiles(names.filter((n) => /\.osc(\.gz|\.bz2)?$/i.test(n))).map((n) => path.join(dir, n));
}

export function formatRouteSummary(s: BuildRoutingSummary): string {
  const lines = ['stage          time'];
  const fmt = (ms: number): string => (ms < 60000 ? `${(ms / 1000).toFixed(1)}s` : formatDuration(ms));
  for (const [k, ms] of Object.entries(s.stageMs)) lines.push(`  ${k.padEnd(18)} ${fmt(ms).padStart(8)}`);
  lines.push(`  ${'total'.padEnd(18)} ${fmt(s.totalMs).padStart(8)}`);
  lines.push(`network: ${s.nodes} junctions, ${s.edges} edges; ${s.stats.restrictions} turn restrictions used, ${s.stats.restrictionsViaWaySkipped} via-way skipped, ${s.stats.restrictionsInvalid} invalid`);
  for (const [p, x] of Object.entries(s.profiles)) lines.push(`  ${p.padEnd(8)} ${x.nodes} nodes, ${x.arcs} arcs, ${x.upArcs} CH arcs`);
  lines.push(`output: ${s.out} (${(s.bytes / 2 ** 20).toFixed(1)} MiB)`);
  lines.push(`peak memory: ${s.peakRssMb} MiB${s.maxMemoryBytes !== undefined ? ` (budget ${Math.round(s.maxMemoryBytes / 2 ** 20)} MiB; ${s.contractLanes} profile${s.contractLanes > 1 ? 's' : ''} contracted at once)` : ''}`);
  return lines.join('\n');
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommandArgs(args, {
    out: { type: 'string', short: 'o' },
    profiles: { type: 'string' },
    threads: { type: 'string' },
    'max-memory': { type: 'string' },
    'changes-dir': { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  }, HELP);
  const v = parsed.values;
  if (v.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new TuilerieError('BAD_REQUEST', `route-build: give at least one OSM input\n${HELP}`);
  const inputs = parsed.positionals.map((p) => path.resolve(p));
  for (const i of inputs) if (!fs.existsSync(i)) throw new TuilerieError('IO_ERROR', `route-build: input ${i} does not exist`);
  const out = path.resolve(v.out ?? inputs[0].replace(/(\.osm)?(\.pbf|\.bz2)?$/i, '') + '.routing');
  const profiles = (v.profiles ?? PROFILE_NAMES.join(',')).split(',').map((p) => p.trim());
  for (const p of profiles) {
    if (!(PROFILE_NAMES as readonly string[]).includes(p)) throw new TuilerieError('BAD_REQUEST', `route-build: unknown profile "${p}"; choose among ${PROFILE_NAMES.join(', ')}`);
  }
  const threads = parseThreads(v.threads, 'route-build');
  const maxMemoryBytes = v['max-memory'] !== undefined ? parseByteSize(v['max-memory'], '--max-memory') : Math.floor(os.totalmem() / 2);
  const logger = new StreamLogger({ level: v.quiet ? 'error' : 'info', stream: ctx.stderr });
  const tty = ctx.stderr.isTTY && !v.quiet ? ctx.stderr : undefined;
  const changes = v['changes-dir'] !== undefined ? changeFilesIn(path.resolve(v['changes-dir'])) : undefined;
  if (needsMallocTunedChild(ctx.env, process.platform)) return runMallocTunedChild(['route-build', ...args], ctx.env);
  const summary = await removingTempFilesOnSignal(logger, () => buildRoutingGraph({ inputs, changes, out, profiles: profiles as ProfileName[], logger, threads, tty, maxMemoryBytes }));
  if (v.json) ctx.stdout.write(JSON.stringify({ ...summary, mallocMmapThreshold: ctx.env[MALLOC_THRESHOLD_ENV] ?? null }, null, 2) + '\n');
  else if (!v.quiet) ctx.stderr.write(formatRouteSummary(summary) + '\n');
  return 0;
}

export const command: CliCommand = { name: 'route-build', summary: 'build a routing graph from OSM extracts', run };
