/**
 * `tuilerie seed --style ID [--bbox W,S,E,N | --clip FILE.geojson] --zooms 0-14 [--scale 1,2]
 *   [--format png] [--tile-size 256] [--concurrency N] [--refresh-before DATE] [--config FILE] [FILE.mbtiles ...]`
 * Pre-renders raster tiles into the disk cache the server reads (raster.cacheDir, <dataDir>/raster-cache by default).
 * The renderer needs tiles, glyphs and sprites over HTTP, so a private server is
 * started on a loopback port for the duration of the seed, and the seed
 * renders through that server's services (the same factory as `serve`).
 */
import path from 'node:path';
import { loadConfig } from '../config/load_config.js';
import { TuilerieError } from '../core/errors.js';
import { StreamLogger } from '../core/logger.js';
import { formatCount, formatDuration } from '../core/progress.js';
import type { Bounds } from '../core/tile_math.js';
import { makeTileFilter, readClipOutline } from '../importer/tile_bounds_filter.js';
import { parseImageFormat } from '../render/image_codec.js';
import { seedTiles, type SeedSummary } from '../render/raster_seeder.js';
import { TuilerieServer } from '../server/tuilerie_server.js';
import { configFileFrom, parseBbox, parseZoomRange, parseCommandArgs } from './cli_args.js';
import { defaultStyles } from './style_discovery.js';
import type { CliCommand, CliContext } from './command.js';

const HELP = `Usage: tuilerie seed --style ID --zooms 0-14 [options] [FILE.mbtiles ...]

Pre-render raster tiles of a style into the cache the server uses (raster.cacheDir,
<dataDir>/raster-cache by default).
Resumable: tiles already rendered from the current data are skipped.

Options:
  --style ID              style to render (required)
  --zooms A-B             zoom range, e.g. 0-14 (required)
  --bbox W,S,E,N          area in degrees (default: the bounds of the style's data)
  --clip FILE.geojson     only tiles intersecting this outline
  --scale 1,2             pixel ratios (default 1)
  --format png            png, jpg or webp (default png)
  --tile-size 256         256 or 512 (default 256)
  --concurrency N         metatiles in flight (default 2: one rendering, one being cut)
  --refresh-before DATE   also re-render tiles stored before this ISO date/time
  --config FILE           the server's JSON configuration (default: $TUILERIE_CONFIG, else ./tuilerie.json)
  -h, --help              this help`;

function parseList(s: string, flag: string, allowed: number[]): number[] {
  const v = s.split(',').map(Number);
  if (!v.length || v.some((n) => !allowed.includes(n))) throw new TuilerieError('BAD_REQUEST', `${flag} must be a list of ${allowed.join(', ')} (got ${s})`);
  return [...new Set(v)];
}

export function formatSeedSummary(s: SeedSummary): string {
  return [
    `metatiles rendered  ${formatCount(s.metatiles)}`,
    `tiles rendered      ${formatCount(s.rendered)}`,
    `tiles skipped       ${formatCount(s.skipped)} (already fresh)`,
    `tiles failed        ${formatCount(s.failed)}`,
    `time                ${formatDuration(s.ms)} (${s.tilesPerSecond.toFixed(1)} tiles/s)`,
    `peak memory (node)  ${Math.round(s.peakRssMb)} MiB`,
  ].join('\n');
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommandArgs(args, {
    style: { type: 'string' },
    zooms: { type: 'string' },
    bbox: { type: 'string' },
    clip: { type: 'string' },
    scale: { type: 'string' },
    format: { type: 'string' },
    'tile-size': { type: 'string' },
    concurrency: { type: 'string' },
    'refresh-before': { type: 'string' },
    config: { type: 'string' },
  }, HELP);
  const v = parsed.values;
  if (v.help) {
    ctx.stdout.write(HELP + '\n');
    return 0;
  }
  if (!v.style || !v.zooms) throw new TuilerieError('BAD_REQUEST', `--style and --zooms are required\n\n${HELP}`);
  if (v.bbox && v.clip) throw new TuilerieError('BAD_REQUEST', '--bbox and --clip cannot be combined: the clip outline has its own bounds');
  const zooms = parseZoomRange(v.zooms, '--zooms');
  const scales = parseList(v.scale ?? '1', '--scale', [1, 2, 3]);
  const format = parseImageFormat(v.format ?? 'png');
  const tileSize = parseList(v['tile-size'] ?? '256', '--tile-size', [256, 512])[0];
  const concurrency = Number(v.concurrency ?? 2);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new TuilerieError('BAD_REQUEST', `--concurrency must be 1 to 16 (got ${v.concurrency})`);
  let refreshBefore: number | undefined;
  if (v['refresh-before'] !== undefined) {
    refreshBefore = Date.parse(v['refresh-before']);
    if (!Number.isFinite(refreshBefore)) throw new TuilerieError('BAD_REQUEST', `--refresh-before must be an ISO date such as 2026-11-28 or 2026-11-28T12:00Z (got ${v['refresh-before']})`);
  }
  const clip = v.clip ? readClipOutline(v.clip) : undefined;

  const sources: Record<string, { path: string }> = {};
  for (const f of parsed.positionals) sources[path.basename(f).replace(/\.(mbtiles|pmtiles)$/i, '')] = { path: path.resolve(f) };
  const file = configFileFrom(v.config, ctx.env);
  const base = loadConfig({ file, env: ctx.env, flags: {} });
  const logger = new StreamLogger({ level: base.logLevel, format: base.logFormat, stream: ctx.stderr, name: 'seed' });
  const config = loadConfig({
    file,
    env: ctx.env,
    flags: {
      port: 0,
      host: '127.0.0.1',
      watch: false,
      ...(Object.keys(sources).length ? { sources: { ...base.sources, ...sources } } : {}),
      ...(Object.keys(base.styles).length ? {} : { styles: defaultStyles(base.stylesDir, logger) }),
    },
  });
  // the server's own services (one browser): the seed fills its disk cache, so no memory tier, and a queue for the metatiles in flight
  const server = new TuilerieServer({ config, logger: logger.child('server'), services: { raster: { maxQueue: concurrency + 2, memoryBytes: 0, queueWaitMs: 0 }, sharedTier: false, search: false } });
  try {
    await server.start();
    const stack = server.services.raster;
    if (!stack.disk) throw new TuilerieError('CONFIG_ERROR', 'raster.cacheDir is empty: there is no disk cache to seed; set it in the configuration');
    const style = await stack.tiles.requireStyle(v.style);
    const bounds: Bounds = v.bbox ? parseBbox(v.bbox) : clip ? clip.bounds : style.bounds ?? [-180, -85.0511, 180, 85.0511];
    const filter = clip ? makeTileFilter(bounds, clip.polygon) : undefined;
    logger.info(`seeding ${style.id} z${zooms[0]}-${zooms[1]} over ${bounds.map((n) => n.toFixed(4)).join(',')} at ${scales.map((s) => `${s}x`).join(',')} ${format}`);
    const summary = await seedTiles({
      service: stack.tiles,
      disk: stack.disk,
      style,
      bounds,
      filter,
      zooms,
      scales,
      format,
      tileSize,
      concurrency,
      refreshBefore,
      logger,
      tty: ctx.stderr.isTTY ? ctx.stderr : undefined,
    });
    ctx.stdout.write(formatSeedSummary(summary) + '\n');
    return summary.failed ? 1 : 0;
  } finally {
    await server.stop();
  }
}

export const command: CliCommand = {
  name: 'seed',
  summary: 'pre-render raster tiles of a style into the cache',
  run,
};
