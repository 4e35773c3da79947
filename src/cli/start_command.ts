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
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTileSource } from '../archive/open_tile_source.js';
import { TuilerieError } from '../core/errors.js';
import { StreamLogger } from '../core/logger.js';
import { runImport } from '../importer/import_pipeline.js';
import { FINGERPRINT_METADATA_KEY, inputFingerprint } from '../importer/input_fingerprint.js';
import type { Logger } from '../core/logger.js';
import { clearBuilding, markBuilding } from '../routing/routing_build_marker.js';
import { ROUTING_FILE_VERSION, routingFile } from '../routing/routing_file.js';
import { OpenMapTilesProfile } from '../schema/openmaptiles_profile.js';
import type { CliCommand, CliContext } from './command.js';
import { formatSummary } from './import_command.js';
import { removingTempFilesOnSignal } from './interrupt_cleanup.js';
import { isClusterWorker } from './serve_cluster.js';
import { command as serve } from './serve_command.js';

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

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
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

/**
 * Runs `tuilerie route-build` for `graph` in a child process at low priority, so
 * tiles are served meanwhile; its log goes to `stderr`. The marker beside the
 * graph tells the server (and its cluster workers) that routing is coming.
 */
function buildGraphInBackground(opts: { inputs: string[]; graph: string; logger: Logger; stderr: NodeJS.WritableStream }): ChildProcess {
  const { inputs, graph, logger } = opts;
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], 'route-build', '--out', graph, ...inputs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(opts.stderr, { end: false });
  child.stderr!.pipe(opts.stderr, { end: false });
  if (child.pid !== undefined) {
    markBuilding(graph, child.pid);
    try {
      os.setPriority(child.pid, 10);
    } catch {
      // not permitted here: the build competes with serving at normal priority
    }
  }
  const t0 = Date.now();
  child.on('error', (e) => {
    clearBuilding(graph);
    logger.error(`routing graph build could not start: ${e.message}; routing stays unavailable`);
  });
  child.on('exit', (code, signal) => {
    clearBuilding(graph);
    if (code === 0) logger.info(`routing graph ${graph} built in ${((Date.now() - t0) / 1000).toFixed(1)} s; the server loads it on the next routing request`);
    else logger.error(`routing graph build failed (${signal ?? `exit ${code}`}); routing stays unavailable until \`tuilerie route-build --out ${graph}\` succeeds`);
  });
  return child;
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    ctx.stdout.write('Usage: tuilerie start [serve options]\n\nImports the default data when needed, then serves it (see `tuilerie serve --help`).\n' +
      'Settings: TUILERIE_OSM_DIR (default data/osm, else ../shared/data/osm), TUILERIE_NATURAL_EARTH_DIR (default <data dir>/naturalearth when it exists), TUILERIE_DATA_DIR (default data).\n');
    return 0;
  }
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

  if (recorded !== fingerprint) {
    const why = recorded === undefined ? 'missing' : recorded === '' ? 'made by an older version' : 'made from other inputs';
    logger.info(`importing ${inputs.length} extract(s) from ${osmDir} into ${out} (${fs.existsSync(out) ? `the current one is ${why}` : 'first run'})`);
    const summary = await removingTempFilesOnSignal(logger, () => runImport(
      {
        inputs, out, minzoom: 0, maxzoom: 14, threads: os.availableParallelism(), naturalEarthDir: neDir,
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
  if (mtime(graph) < mtime(out) || graphVersion !== ROUTING_FILE_VERSION) {
    if (graphVersion !== undefined && graphVersion !== ROUTING_FILE_VERSION) logger.info(`${graph} has routing format version ${graphVersion}, this build reads ${ROUTING_FILE_VERSION}`);
    logger.info(`building the routing graph ${graph} in the background; tiles are served meanwhile`);
    builder = buildGraphInBackground({ inputs, graph, logger, stderr: ctx.stderr });
  }
  try {
    return await serve.run([...args, out], ctx);
  } finally {
    if (builder && builder.exitCode === null && builder.signalCode === null) {
      builder.kill('SIGTERM');
      clearBuilding(graph);
    }
  }
}

export const command: CliCommand = { name: 'start', summary: 'import the default data if needed, then serve it', run };
