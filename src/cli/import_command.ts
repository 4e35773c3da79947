/**
 * `tuilerie import --out FILE.mbtiles [options] INPUT...`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import { StreamLogger } from '../core/logger.js';
import { formatCount, formatDuration } from '../core/progress.js';
import type { ImportSummary } from '../importer/import_options.js';
import type { CliCommand, CliContext } from './command.js';
import { parseBbox, parseByteSize, parseZoom, parseCommandArgs, parseThreads } from './cli_args.js';
import { TempSpace } from '../importer/temp_space.js';
import { removingTempFilesOnSignal } from './interrupt_cleanup.js';
import { importHeapFlags, runHeapLimitedImport } from './heap_limited_import.js';
import { needsMallocTunedChild, runMallocTunedChild } from './malloc_tuned_child.js';
import { defaultImportBudget, heapLimits } from '../importer/heap_limits.js';

const HELP = `Usage: tuilerie import --out FILE.mbtiles|FILE.pmtiles [options] INPUT...

INPUT: OSM extracts (.osm.pbf, .osm, .osm.bz2); several form one dataset.

Options:
  --out FILE              output MBTiles or PMTiles (written to a temp file, renamed when complete)
  --format F              mbtiles or pmtiles (default: from the --out extension)
  --bbox W,S,E,N          only write tiles intersecting this box (degrees)
  --clip FILE.geojson     only write tiles intersecting this outline
  --minzoom N             default 0
  --maxzoom N             default 14
  --threads N             PBF decoding threads (default: cores)
  --max-memory SIZE       memory budget, e.g. 3G or 512M (default: a quarter of the machine's RAM): tile
                          features past their share go to sorted temporary files; the JavaScript
                          heaps are limited to what the budget leaves them
  --tmp-dir DIR           where temporary files go (default: beside the output); removed at the end,
                          on failure and on Ctrl-C/SIGTERM
  --natural-earth DIR     Natural Earth GeoJSON for low zooms
  --name TEXT             tileset name (metadata)
  --attribution TEXT      attribution (default: © OpenMapTiles © OpenStreetMap contributors)
  --routing               also build the routing graph beside the output
  --updatable             keep the OSM data and a tile index in FILE.mbtiles.store/ so that
                          \`tuilerie update\` can apply OSM changes without a full re-import (MBTiles only)
  --quiet                 only errors
`;

const MIN_MAX_MEMORY = 2 ** 20;

export function formatSummary(s: ImportSummary): string {
  const lines: string[] = [];
  lines.push('stage              time       CPU  cores   peak memory');
  for (const t of s.stages) {
    lines.push(`  ${t.stage.padEnd(12)} ${formatDuration(t.ms).padStart(8)} ${formatDuration(t.cpuMs).padStart(9)} ${(t.cpuMs / Math.max(1, t.ms)).toFixed(2).padStart(6)}` +
      ` ${(t.peakRssBytes / 2 ** 20).toFixed(0).padStart(9)} MiB`);
  }
  lines.push(`  ${'total'.padEnd(12)} ${formatDuration(s.totalMs).padStart(8)}`);
  lines.push(`osm: ${formatCount(s.osm.nodes)} nodes, ${formatCount(s.osm.ways)} ways, ${formatCount(s.osm.relations)} relations, ${s.osm.duplicates} duplicates`);
  lines.push('features per layer:');
  for (const [l, n] of Object.entries(s.featuresPerLayer)) lines.push(`  ${l.padEnd(20)} ${String(n).padStart(9)}`);
  lines.push('tiles per zoom:');
  for (const [z, n] of Object.entries(s.tilesPerZoom)) lines.push(`  z${z.padEnd(3)} ${String(n).padStart(9)}`);
  lines.push(`tiles: ${s.tiles} (${(s.bytes / 1e6).toFixed(1)} MB compressed)`);
  const errs = Object.entries(s.dataErrors);
  const c = s.coastline;
  if (c) {
    lines.push(`coastline: ${c.ways} ways, ${c.rings} rings and ${c.crossing} pieces crossing the extent → ${c.seaPolygons} sea polygons` +
      (c.broken > 0 ? `; ${c.broken} broken (open, crossing or missing nodes)` : ''));
    if (c.extent === 'data') lines.push(`  no --bbox or --clip: sea closed along the data's outline, ${c.cutEnds} coastline ends taken as the extract's cut`);
    if (c.seaWithheld) lines.push('  no sea made: coastline crossing the extent runs the wrong way (see coastline_direction)');
    if (c.brokenIslets > 0) lines.push(`  ${c.brokenIslets} broken islands left without sea, the sea around them kept (see coastline_broken_islet)`);
    if (c.seaReversed > 0) lines.push(`  ${c.seaReversed} sea polygons left out: they hold land's density of data, their coast is drawn the wrong way round (see coastline_reversed_coast)`);
    if (c.seaLeftOut > 0) lines.push(`  ${c.seaLeftOut} sea areas left without sea because of broken coastline (see coastline_* data errors)`);
  }
  lines.push(`data errors: ${errs.length === 0 ? 'none' : errs.map(([c, n]) => `${c}=${n}`).join(' ')}`);
  lines.push(`peak memory: ${(s.peakRssBytes / 2 ** 20).toFixed(0)} MiB${s.maxMemoryBytes !== undefined ? ` (limit ${(s.maxMemoryBytes / 2 ** 20).toFixed(0)} MiB)` : ''}`);
  lines.push(`peak temporary disk: ${(s.peakTempBytes / 2 ** 20).toFixed(1)} MiB${s.nodesOnDisk ? ' (node locations on disk)' : ''}`);
  if (s.storeBytes !== undefined) lines.push(`update store: ${(s.storeBytes / 2 ** 20).toFixed(1)} MiB`);
  return lines.join('\n');
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommandArgs(args, {
    out: { type: 'string', short: 'o' },
    format: { type: 'string' },
    bbox: { type: 'string' },
    clip: { type: 'string' },
    minzoom: { type: 'string' },
    maxzoom: { type: 'string' },
    threads: { type: 'string' },
    'max-memory': { type: 'string' },
    'tmp-dir': { type: 'string' },
    'natural-earth': { type: 'string' },
    name: { type: 'string' },
    attribution: { type: 'string' },
    routing: { type: 'boolean' },
    updatable: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    json: { type: 'boolean' },
  }, HELP);
  const v = parsed.values;
  if (v.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  if (!v.out) throw new TuilerieError('BAD_REQUEST', 'import: --out FILE.mbtiles is required');
  if (parsed.positionals.length === 0) throw new TuilerieError('BAD_REQUEST', 'import: give at least one OSM input (.osm.pbf, .osm, .osm.bz2)');
  const out = path.resolve(v.out);
  const ext = /\.(mbtiles|pmtiles)$/i.exec(out)?.[1].toLowerCase();
  if (v.format !== undefined && v.format !== 'mbtiles' && v.format !== 'pmtiles') throw new TuilerieError('BAD_REQUEST', `import: --format must be mbtiles or pmtiles (got ${v.format})`);
  if (!ext) throw new TuilerieError('UNSUPPORTED_FORMAT', `import: --out must end in .mbtiles or .pmtiles (got ${v.out})`);
  if (v.format !== undefined && v.format !== ext) throw new TuilerieError('BAD_REQUEST', `import: --format ${v.format} but --out ends in .${ext}; name the output FILE.${v.format}`);
  const outDir = path.dirname(out);
  try {
    fs.accessSync(outDir, fs.constants.W_OK);
  } catch {
    throw new TuilerieError('IO_ERROR', `import: cannot write to ${outDir} (missing directory or no permission)`);
  }
  if (v.updatable && ext !== 'mbtiles') throw new TuilerieError('BAD_REQUEST', 'import: --updatable needs an MBTiles output (an update rewrites tiles in place); convert to PMTiles after each update');
  const minzoom = v.minzoom !== undefined ? parseZoom(v.minzoom, '--minzoom') : 0;
  const maxzoom = v.maxzoom !== undefined ? parseZoom(v.maxzoom, '--maxzoom') : 14;
  if (minzoom > maxzoom) throw new TuilerieError('BAD_REQUEST', `import: --minzoom ${minzoom} is above --maxzoom ${maxzoom}`);
  const threads = parseThreads(v.threads, 'import') ?? os.availableParallelism();
  const maxMemoryBytes = v['max-memory'] !== undefined ? parseByteSize(v['max-memory'], '--max-memory') : defaultImportBudget(os.totalmem());
  if (maxMemoryBytes < MIN_MAX_MEMORY) throw new TuilerieError('BAD_REQUEST', `import: --max-memory must be at least 1M (got ${v['max-memory']})`);
  const logger = new StreamLogger({ level: v.quiet ? 'error' : ctx.env.TUILERIE_DEBUG ? 'debug' : 'info', stream: ctx.stderr });
  const tty = ctx.stderr.isTTY && !v.quiet ? ctx.stderr : undefined;
  const tmpParent = v['tmp-dir'] !== undefined ? path.resolve(v['tmp-dir']) : outDir;
  const heap = heapLimits(maxMemoryBytes, threads);
  // TUILERIE_IMPORT_HEAP_MB: the main thread's heap limit instead of the derived one (to check the fallback on a heap too small)
  if (ctx.env.TUILERIE_IMPORT_HEAP_MB !== undefined) heap.mainMb = parseByteSize(`${ctx.env.TUILERIE_IMPORT_HEAP_MB}M`, 'TUILERIE_IMPORT_HEAP_MB') / 2 ** 20;
  const heapFlags = importHeapFlags(ctx.env, heap);
  if (heapFlags.length > 0) {
    // the child imports; the routing graph, built from the inputs, runs here after it
    const code = await runHeapLimitedImport({ args: args.filter((a) => a !== '--routing'), out, tmpParent, flags: heapFlags, env: ctx.env, logger });
    if (code !== 0 || !v.routing) return code;
    return buildRouting(parsed.positionals, out, logger, { maxMemoryBytes, env: ctx.env, quiet: v.quiet === true });
  }

  // loaded here, not at the top: a process that hands the import to a heap-limited child stays small (its memory is outside the budget)
  const [{ runImport }, { openTileSink }, { OpenMapTilesProfile }] = await Promise.all([
    import('../importer/import_pipeline.js'), import('../archive/open_tile_sink.js'), import('../schema/openmaptiles_profile.js'),
  ]);
  const temp = new TempSpace(tmpParent);
  // registered as a live temp file: on Ctrl-C/SIGTERM/SIGHUP removingTempFilesOnSignal removes it with the temp archive
  let summary: ImportSummary;
  try {
    summary = await removingTempFilesOnSignal(logger, () => runImport(
    {
      inputs: parsed.positionals.map((p) => path.resolve(p)),
      out,
      bbox: v.bbox !== undefined ? parseBbox(v.bbox) : undefined,
      clip: v.clip,
      minzoom,
      maxzoom,
      threads,
      naturalEarthDir: v['natural-earth'],
      name: v.name,
      attribution: v.attribution,
      maxMemoryBytes,
      // TUILERIE_MERGE_FAN_IN: feature runs merged at once instead of the derived number (to check merges in passes on small inputs)
      mergeFanIn: ctx.env.TUILERIE_MERGE_FAN_IN !== undefined ? parseFanIn(ctx.env.TUILERIE_MERGE_FAN_IN) : undefined,
      tmpDir: temp.dir,
      updatable: v.updatable,
      logger,
      tty,
    },
    { profile: new OpenMapTilesProfile(), profileName: 'openmaptiles', openSink: (o) => openTileSink(o, { logger }), temp },
    ));
  } finally {
    temp.dispose();
  }
  if (v.json) ctx.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else if (!v.quiet) ctx.stderr.write(formatSummary(summary) + '\n');
  if (v.routing) return buildRouting(parsed.positionals, out, logger, { maxMemoryBytes, env: ctx.env, quiet: v.quiet === true });
  return 0;
}

function parseFanIn(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2) throw new TuilerieError('BAD_REQUEST', `TUILERIE_MERGE_FAN_IN must be a whole number of at least 2 (got ${v})`);
  return n;
}

/** The routing graph of the inputs beside the archive; resolves to 0, or to the exit code of the build's child. */
async function buildRouting(inputs: string[], out: string, logger: StreamLogger, o: { maxMemoryBytes: number; env: NodeJS.ProcessEnv; quiet: boolean }): Promise<number> {
  const graph = out.replace(/\.(mbtiles|pmtiles)$/i, '.routing');
  const paths = inputs.map((p) => path.resolve(p));
  if (needsMallocTunedChild(o.env, process.platform)) {
    // as route-build does: the build in a child with glibc's mmap threshold fixed (malloc_tuned_child.ts)
    return runMallocTunedChild(['route-build', '--out', graph, '--max-memory', String(o.maxMemoryBytes), ...(o.quiet ? ['--quiet'] : []), ...paths], o.env);
  }
  const { buildRoutingGraph } = await import('../routing/build_routing_graph.js');
  await removingTempFilesOnSignal(logger, () => buildRoutingGraph({ inputs: paths, out: graph, logger, maxMemoryBytes: o.maxMemoryBytes }));
  return 0;
}

export const command: CliCommand = { name: 'import', summary: 'OSM extracts → OpenMapTiles MBTiles', run };
