/**
 * `tuilerie start [serve options]`: the main job. Imports the default OSM data into
 * `<dataDir>/openmaptiles.mbtiles` when that file is missing or was made from
 * other inputs (the fingerprint stored in its metadata differs: other files,
 * sizes, times or schema version), then serves it at once; when the routing graph
 * beside it is older than the tiles (or of another format), a `route-build` child
 * process builds it meanwhile and routing answers 503 until the server picks the
 * new file up. Cluster workers (`--workers`) run this again in their own process:
 * they go straight to serving.
 *   TUILERIE_OSM_DIR            OSM extracts (default data/osm, falling back to ../shared/data/osm)
 *   TUILERIE_NATURAL_EARTH_DIR  Natural Earth GeoJSON (default <dataDir>/naturalearth, else data/naturalearth, else ../shared/data/naturalearth; none: no low-zoom layers)
 *   TUILERIE_DATA_DIR           where the MBTiles and routing graph go (default data)
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTileSource } from '../archive/open_tile_source.js';
import { TuilerieError } from '../core/errors.js';
import { StreamLogger } from '../core/logger.js';
import { runImport } from '../importer/import_pipeline.js';
import { FINGERPRINT_METADATA_KEY, inputFingerprint } from '../importer/input_fingerprint.js';
import { clearBuilding } from '../routing/routing_build_marker.js';
import { ROUTING_FILE_VERSION, routingFile } from '../routing/routing_file.js';
import { OpenMapTilesProfile } from '../schema/openmaptiles_profile.js';
import type { CliCommand, CliContext } from './command.js';
import { formatSummary } from './import_command.js';
import { removingTempFilesOnSignal } from './interrupt_cleanup.js';
import { isClusterWorker } from './serve_cluster.js';
import { command as serve } from './serve_command.js';
import { buildGraphInBackground, currentRoutingInputs } from './routing_rebuild.js';
import { graphBehindArchive, roadsVersionOf } from './graph_freshness.js';
import { UpdateSchedule } from './update_schedule.js';
import { configFileFrom, parseDuration } from './cli_args.js';
import { loadConfig } from '../config/load_config.js';
import { formatDuration } from '../core/progress.js';
import { STORE_FILE, storeDirFor } from '../importer/update/store_builder.js';

const OSM_INPUT = /\.(osm\.pbf|pbf|osm|osm\.bz2)$/i;

function osmFilesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => OSM_INPUT.test(n) && !n.startsWith('.')).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

/** The configured directory, or the first fallback that exists when the default is empty. */
export function resolveDataDir(envValue: string | undefined, defaults: string[], cwd: string, hasData: (dir: string) => boolean): string | undefined {
  if (envValue) return path.resolve(cwd, envValue);
  for (const d of defaults) {
    const p = path.resolve(cwd, d);
    if (hasData(p)) return p;
  }
  return undefined;
}

/** The fingerprint recorded in an archive, '' when it has none (made by an older version), undefined when unreadable. */
async function recordedFingerprint(file: string): Promise<string | undefined> {
  if (!fs.existsSync(file)) return undefined;
  try {
    const src = await openTileSource(file);
    try {
      return src.metadata().extra?.[FINGERPRINT_METADATA_KEY] ?? '';
    } finally {
      await src.close();
    }
  } catch {
    return undefined;
  }
}

/** Removes `--name VALUE` / `--name=VALUE` from args; the value, or undefined. */
function takeFlag(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) {
      if (i + 1 >= args.length) throw new TuilerieError('BAD_REQUEST', `start: --${name} needs a value`);
      return args.splice(i, 2)[1];
    }
    if (args[i].startsWith(`--${name}=`)) return args.splice(i, 1)[0].slice(name.length + 3);
  }
  return undefined;
}

/** The scheduled update from start's own flags, else the configuration's `updates.*`; undefined when none. */
function updateScheduleOf(args: string[], ctx: CliContext): { everyMs: number; url: string; sequence?: number } | undefined {
  const every = takeFlag(args, 'update-every'), url = takeFlag(args, 'replication'), seq = takeFlag(args, 'sequence');
  const config = loadConfig({ file: configFileFrom(peekFlag(args, 'config'), ctx.env), env: ctx.env });
  const period = every ?? (config.updates.every || undefined);
  const source = url ?? (config.updates.replicationUrl || undefined);
  if (period === undefined) {
    if (url !== undefined || seq !== undefined) throw new TuilerieError('BAD_REQUEST', 'start: --replication and --sequence go with --update-every PERIOD');
    return undefined;
  }
  // name where the bad period came from: the flag, or the configuration key (file or its variable)
  const everyMs = parseDuration(period, every !== undefined ? '--update-every' : 'updates.every in the configuration (or TUILERIE_UPDATE_EVERY)');
  if (!source) throw new TuilerieError('BAD_REQUEST', 'start: --update-every needs a replication directory: --replication URL or updates.replicationUrl in the configuration');
  const sequence = seq !== undefined ? Number(seq) : undefined;
  if (sequence !== undefined && (!Number.isInteger(sequence) || sequence < 0)) throw new TuilerieError('BAD_REQUEST', `start: --sequence must be a whole number (got ${seq})`);
  return { everyMs, url: source, sequence };
}

function peekFlag(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].slice(name.length + 3) : args[i + 1];
}

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h')) {
    ctx.stdout.write('Usage: tuilerie start [--update-every PERIOD [--replication URL] [--sequence N]] [serve options]\n\nImports the default data when needed, then serves it (see `tuilerie serve --help`).\n' +
      '--update-every PERIOD (24h, 30m, 90s, 2d): follow the replication directory --replication URL (or updates.replicationUrl in the configuration) at once and then every period, in a `tuilerie update` child process; the import is then --updatable. --sequence N: the sequence of the extracts when their header has none.\n' +
      'Settings: TUILERIE_OSM_DIR (default data/osm, else ../shared/data/osm), TUILERIE_NATURAL_EARTH_DIR (default <data dir>/naturalearth when it exists), TUILERIE_DATA_DIR (default data).\n');
    return 0;
  }
  const schedule = updateScheduleOf(args, ctx);
  const cwd = process.cwd();
  const dataDir = path.resolve(cwd, ctx.env.TUILERIE_DATA_DIR ?? 'data');
  const out = path.join(dataDir, 'openmaptiles.mbtiles');
  // the primary checked and imported before forking this worker
  if (isClusterWorker()) return serve.run([...args, out], ctx);
  const logger = new StreamLogger({ stream: ctx.stderr, name: 'start' });
  const osmDir = resolveDataDir(ctx.env.TUILERIE_OSM_DIR, ['data/osm', '../shared/data/osm'], cwd, (d) => osmFilesIn(d).length > 0);
  const inputs = osmDir ? osmFilesIn(osmDir) : [];
  if (inputs.length === 0) {
    throw new TuilerieError('NOT_FOUND', `no OSM extracts found in ${osmDir ?? 'data/osm'}: run scripts/download_osm.sh (needs internet) or set TUILERIE_OSM_DIR to a directory of .osm.pbf files`);
  }
  // beside the data first: the image's volume holds both, and most have no Natural Earth at all
  const neDir = resolveDataDir(ctx.env.TUILERIE_NATURAL_EARTH_DIR, [path.join(dataDir, 'naturalearth'), 'data/naturalearth', '../shared/data/naturalearth'], cwd, (d) => fs.existsSync(d));
  fs.mkdirSync(dataDir, { recursive: true });
  const graph = out.replace(/\.mbtiles$/, '.routing');
  const profile = new OpenMapTilesProfile();
  const fingerprint = inputFingerprint(inputs, { schema: profile.version, minzoom: 0, maxzoom: 14, naturalEarth: neDir ?? '' });
  const recorded = await recordedFingerprint(out);

  // a scheduled update needs the store of an --updatable import
  const needStore = schedule !== undefined && !fs.existsSync(path.join(storeDirFor(out), STORE_FILE));
  if (recorded !== fingerprint || needStore) {
    const why = recorded === undefined ? 'missing' : recorded === '' ? 'made by an older version' : recorded !== fingerprint ? 'made from other inputs' : 'not updatable';
    logger.info(`importing ${inputs.length} extract(s) from ${osmDir} into ${out} (${fs.existsSync(out) ? `the current one is ${why}` : 'first run'})`);
    const summary = await removingTempFilesOnSignal(logger, () => runImport(
      {
        inputs, out, minzoom: 0, maxzoom: 14, threads: os.availableParallelism(), naturalEarthDir: neDir, updatable: schedule !== undefined,
        name: 'Tuilerie OpenStreetMap', logger, tty: ctx.stderr.isTTY ? ctx.stderr : undefined,
        metadata: { [FINGERPRINT_METADATA_KEY]: fingerprint },
      },
      { profile, profileName: 'openmaptiles' },
    ));
    ctx.stderr.write(formatSummary(summary) + '\n');
  } else {
    logger.info(`${out} is up to date with ${osmDir}`);
  }
  const graphVersion = routingFile.version(graph);
  let builder: ChildProcess | undefined;
  // not on every restart after an update: only when roads changed since the graph was built (graph_freshness.ts)
  if (graphBehindArchive(graph, out) || graphVersion !== ROUTING_FILE_VERSION) {
    if (graphVersion !== undefined && graphVersion !== ROUTING_FILE_VERSION) logger.info(`${graph} has routing format version ${graphVersion}, this build reads ${ROUTING_FILE_VERSION}`);
    logger.info(`building the routing graph ${graph} in the background; tiles are served meanwhile`);
    // an updated archive's graph is built from its current data: the extracts and the changes applied since
    const current = currentRoutingInputs(out);
    const builtFrom = typeof current === 'string' ? undefined : roadsVersionOf(out);
    builder = buildGraphInBackground({ inputs, ...(typeof current === 'string' ? {} : current), graph, logger, stderr: ctx.stderr, builtFrom }).child;
  }
  const updates = schedule && new UpdateSchedule({ archive: out, ...schedule, logger: logger.child('update'), stderr: ctx.stderr });
  if (updates) logger.info(`updating ${out} from ${schedule!.url} now and every ${formatDuration(schedule!.everyMs)}`);
  updates?.start();
  try {
    return await serve.run([...args, out], ctx);
  } finally {
    updates?.stop();
    if (builder && builder.exitCode === null && builder.signalCode === null) {
      builder.kill('SIGTERM');
      clearBuilding(graph);
    }
  }
}

export const command: CliCommand = { name: 'start', summary: 'import the default data if needed, then serve it', run };
