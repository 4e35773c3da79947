#!/usr/bin/env node
/**
 * `tuilerie <command> [options]`: the only entry point that reads argv/env and exits.
 * Each command lives in its own module exporting `command: CliCommand`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { asTuilerieError } from '../core/errors.js';
import { packageRoot } from '../server/viewer/package_root.js';
import { closestName } from '../config/closest_name.js';
import { removeLiveTempFiles } from '../core/temp_files.js';
import type { CliCommand } from './command.js';

const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  import: () => import('./import_command.js'),
  serve: () => import('./serve_command.js'),
  start: () => import('./start_command.js'),
  convert: () => import('./convert_command.js'),
  'route-build': () => import('./route_build_command.js'),
  plan: () => import('./plan_command.js'),
  seed: () => import('./seed_command.js'),
  update: () => import('./update_command.js'),
};

function usage(): string {
  return [
    'Usage: tuilerie <command> [options]',
    '',
    'Commands:',
    '  import       OSM extracts (.osm.pbf, .osm, .osm.bz2) → OpenMapTiles MBTiles',
    '  serve        serve vector and raster tiles, styles, glyphs, sprites, WMTS/WMS',
    '  update       apply OSM changes (osmChange files) to an archive imported with --updatable',
  '  start        import the default data if needed, then serve it',
    '  seed         pre-render raster tiles of a style into the cache',
    '  plan         make a city plan (PDF/PNG/SVG)',
    '  route-build  build a routing graph from OSM extracts',
    '  convert      convert between MBTiles and PMTiles',
    '',
    'Options: --version (-v) prints the version; --help (-h) this help.',
    '',
    'Run `tuilerie <command> --help` for the options of a command.',
  ].join('\n');
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return `tuilerie ${pkg.version} (node ${process.versions.node})`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(version() + '\n');
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    const near = closestName(name.replace(/^-+/, ''), Object.keys(COMMANDS));
    process.stderr.write(`tuilerie: unknown ${name.startsWith('-') ? 'option' : 'command'} '${name}'${near ? `; did you mean '${near}'?` : ''}\n\n${usage()}\n`);
    return 2;
  }
  let mod: { command: CliCommand };
  try {
    mod = await load();
  } catch (e) {
    process.stderr.write(`tuilerie: command '${name}' is not available in this build (${(e as Error).message})\n`);
    return 2;
  }
  return mod.command.run(rest, { env: process.env, stdout: process.stdout, stderr: process.stderr });
}

/** The exit status of a process ended by SIGPIPE, which Node ignores: 128 + 13. */
const EXIT_BROKEN_PIPE = 141;

// The log or output stream went away (EPIPE: `| head` ended, a log collector or a terminal gone), during a command's
// work or while it prints its summary: without this the error is uncaught (exit 1) and temp files being written stay
// behind; they go first, then the process ends as SIGPIPE would.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => {
    removeLiveTempFiles();
    process.exit(EXIT_BROKEN_PIPE);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    const err = asTuilerieError(e);
    process.stderr.write(`tuilerie: ${err.message}\n`);
    if (err.code === 'INTERNAL' && process.env.TUILERIE_DEBUG) process.stderr.write(String((e as Error).stack) + '\n');
    process.exitCode = err.code === 'BAD_REQUEST' ? 2 : 1;
  },
);
