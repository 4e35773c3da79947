/**
 * `tuilerie serve [--config FILE] [--port N] [--host H] [--public-url URL] [--no-watch] [FILE.mbtiles|FILE.pmtiles ...]`
 * Files given on the command line are served as sources named after the file.
 * SIGTERM/SIGINT stop gracefully; SIGHUP reopens sources and re-reads styles.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load_config.js';
import { describeConfig } from '../config/config_docs.js';
import { TuilerieError } from '../core/errors.js';
import { StreamLogger, silentLogger } from '../core/logger.js';
import { TuilerieServer } from '../server/tuilerie_server.js';
import type { CliCommand, CliContext } from './command.js';
import { DEFAULT_CONFIG_FILE, configFileFrom, parseCommandArgs } from './cli_args.js';
import { defaultStyles } from './style_discovery.js';
import { isClusterWorker, leaveCluster, onPrimaryReload, runPrimary, shareClusterMetrics } from './serve_cluster.js';

const HELP = `Usage: tuilerie serve [options] [FILE.mbtiles|FILE.pmtiles ...]

Serve the map: vector tiles and TileJSON (/data), MapLibre styles, glyphs and
sprites (/styles, /fonts), raster tiles and static maps rendered from the styles,
WMTS and WMS (/wmts, /wms, with GetFeatureInfo), OSRM-compatible routing (/route,
/nearest, /table, /trip, /routing demo) when a .routing graph lies beside an
archive, city plans (/plans), the web viewer (/), /health and /metrics.

Options:
  --config FILE      JSON configuration (default: $TUILERIE_CONFIG, else ./${DEFAULT_CONFIG_FILE} when present)
  --port N           TCP port (default 8080; env TUILERIE_PORT)
  --host H           interface to bind (default 0.0.0.0; env TUILERIE_HOST)
  --public-url URL   base URL clients use (default: from Host / X-Forwarded-* headers)
  --workers N        server processes sharing the port (default 0: one per core; env TUILERIE_WORKERS)
  --log-format F     text (default) or json (env TUILERIE_LOG_FORMAT); accessLog: false turns off request lines
  --no-watch         do not reopen sources when their file is replaced (SIGHUP still does)
  --help-config      list every configuration key with its type, default and variable
  -h, --help         this help

Files on the command line become sources named after the file (mulhouse.mbtiles → /data/mulhouse.json).
Without sources in the config or on the command line, *.mbtiles and *.pmtiles of dataDir are served;
without styles in the config, those of stylesDir (<dir>/<id>/style.json or <dir>/<id>.json), else the
styles bundled with Tuilerie. --help-config lists every key.`;

/** Source id for a file: its name without extension, made URL-safe and unique. */
function sourceIdFor(file: string, taken: Set<string>): string {
  const base = path.basename(file).replace(/\.(mbtiles|pmtiles)$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '') || 'source';
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  taken.add(id);
  return id;
}

function discover(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => /\.(mbtiles|pmtiles)$/i.test(n) && !n.startsWith('.')).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommandArgs(args, {
    config: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
    'no-watch': { type: 'boolean' },
    workers: { type: 'string' },
    'log-format': { type: 'string' },
    'help-config': { type: 'boolean' },
  }, HELP);
  const { values, positionals } = parsed;
  if (values['help-config']) {
    ctx.stdout.write(describeConfig() + '\n');
    return 0;
  }
  if (values.help) {
    ctx.stdout.write(HELP + '\n');
    return 0;
  }
  const flags: Record<string, unknown> = {};
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port)) throw new TuilerieError('BAD_REQUEST', `--port must be an integer from 0 to 65535 (got ${values.port})`);
    flags.port = Number(values.port);
  }
  if (values.host !== undefined) flags.host = values.host;
  if (values['public-url'] !== undefined) flags.publicUrl = values['public-url'];
  if (values['no-watch']) flags.watch = false;
  if (values['log-format'] !== undefined) flags.logFormat = values['log-format'];
  if (values.workers !== undefined) {
    if (!/^\d+$/.test(values.workers)) throw new TuilerieError('BAD_REQUEST', `--workers must be a number of processes, 0 for one per core (got ${values.workers})`);
    flags.workers = Number(values.workers);
  }
  for (const f of positionals) {
    if (!/\.(mbtiles|pmtiles)$/i.test(f)) throw new TuilerieError('BAD_REQUEST', `${f}: expected a .mbtiles or .pmtiles file`);
  }

  const file = configFileFrom(values.config, ctx.env);
  const configWarnings: string[] = [];
  let config = loadConfig({ file, env: ctx.env, flags, onWarning: (w) => configWarnings.push(w) });
  const worker = isClusterWorker();
  const logger = new StreamLogger({ level: config.logLevel, format: config.logFormat, stream: ctx.stderr, name: worker ? `serve:${process.pid}` : 'serve' });
  // the primary said it already (workers load the same configuration)
  const setupLogger = worker ? silentLogger : logger;
  if (file) setupLogger.info(`configuration: ${path.resolve(file)}`);
  for (const w of configWarnings) setupLogger.warn(w);
  const taken = new Set(Object.keys(config.sources));
  const files = positionals.length ? positionals : Object.keys(config.sources).length ? [] : discover(config.dataDir);
  const styles = Object.keys(config.styles).length ? {} : defaultStyles(config.stylesDir, setupLogger);
  if (files.length || Object.keys(styles).length) {
    const sources: Record<string, { path: string }> = {};
    for (const f of files) sources[sourceIdFor(f, taken)] = { path: path.resolve(f) };
    config = loadConfig({ file, env: ctx.env, flags: { ...flags, sources: { ...config.sources, ...sources }, styles: { ...config.styles, ...styles } } });
  }

  if (Object.keys(config.sources).length === 0) setupLogger.warn(`no sources: pass MBTiles files, configure "sources", or put .mbtiles files in ${config.dataDir}`);
  const workers = config.workers === 0 ? os.availableParallelism() : config.workers;
  if (workers > 1 && !worker) {
    return runPrimary({ workers, logger, configFingerprint: () => JSON.stringify(loadConfig({ file, env: ctx.env, flags })), scheduling: ctx.env.NODE_CLUSTER_SCHED_POLICY === 'rr' ? 'round-robin' : 'os' });
  }
  // a cluster worker lets busy keep-alive clients finish on it (Connection: close) while the other workers take over
  const server = new TuilerieServer({ config, logger, keepAliveDrainMs: worker ? 5000 : 0 });

  return new Promise<number>((resolve, reject) => {
    const onHup = () => {
      server.reload().catch((e) => logger.error('reload failed', { error: String(e) }));
    };
    let stopping = false;
    const onStop = (signal: string) => {
      // Ctrl-C signals a worker and the primary, which then sends SIGTERM: one shutdown
      if (stopping) return;
      stopping = true;
      logger.info(`${signal}: shutting down`);
      process.off('SIGHUP', onHup);
      server.stop().then(() => leaveCluster()).then(() => resolve(0), reject);
    };
    process.on('SIGHUP', onHup);
    if (worker) onPrimaryReload(onHup);
    process.once('SIGTERM', () => onStop('SIGTERM'));
    process.once('SIGINT', () => onStop('SIGINT'));
    server.start().then(() => {
      if (!worker) return;
      shareClusterMetrics(server.app.deps.metrics);
      process.send?.({ type: 'ready' });
    }, (e) => {
      process.off('SIGHUP', onHup);
      server.stop().finally(() => reject(e));
    });
  });
}

export const command: CliCommand = {
  name: 'serve',
  summary: 'serve vector and raster tiles, styles, WMTS/WMS, routing, plans and the web viewer',
  run,
};
