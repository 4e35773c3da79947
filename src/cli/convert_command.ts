/**
 * `tuilerie convert IN OUT`: MBTiles ⇄ PMTiles, chosen by the extensions
 * (IN may also be an http(s) URL of a PMTiles archive).
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import { StreamLogger } from '../core/logger.js';
import { formatCount, formatDuration } from '../core/progress.js';
import { convertArchive } from '../archive/convert.js';
import { openTileSource } from '../archive/open_tile_source.js';
import { openTileSink } from '../archive/open_tile_sink.js';
import type { CliCommand, CliContext } from './command.js';
import { parseCommandArgs } from './cli_args.js';

const HELP = `Usage: tuilerie convert [options] IN OUT

Copies every tile and the metadata of IN into OUT; the formats follow the extensions
(.mbtiles, .pmtiles). IN may be an http(s) URL of a PMTiles archive.
OUT is written to a temp file and renamed when complete.

Options:
  --force        replace OUT if it exists
  --name TEXT    tileset name in the output metadata
  --quiet        only errors
`;

async function run(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommandArgs(args, {
    force: { type: 'boolean', short: 'f' },
    name: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  }, HELP);
  const v = parsed.values;
  if (v.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  if (parsed.positionals.length !== 2) throw new TuilerieError('BAD_REQUEST', `convert: expected IN and OUT\n${HELP}`);
  const [input, output] = parsed.positionals;
  const isUrl = /^https?:\/\//i.test(input);
  const out = path.resolve(output);
  if (!isUrl && path.resolve(input) === out) throw new TuilerieError('BAD_REQUEST', 'convert: IN and OUT are the same file');
  if (fs.existsSync(out) && !v.force) throw new TuilerieError('BAD_REQUEST', `convert: ${output} exists; add --force to replace it`);

  const logger = new StreamLogger({ level: v.quiet ? 'error' : 'info', stream: ctx.stderr });
  const tty = ctx.stderr.isTTY && !v.quiet ? ctx.stderr : undefined;
  const source = await openTileSource(isUrl ? input : path.resolve(input), { logger });
  try {
    const sink = openTileSink(out, { logger });
    const result = await convertArchive({ source, sink, logger, tty, metadata: v.name !== undefined ? { name: v.name } : undefined });
    if (!v.quiet) ctx.stderr.write(`converted ${formatCount(result.tiles)} tiles to ${output} in ${formatDuration(result.ms)}\n`);
  } finally {
    await source.close();
  }
  return 0;
}

export const command: CliCommand = { name: 'convert', summary: 'convert between MBTiles and PMTiles', run };
