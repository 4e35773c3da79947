/**
 * `tuilerie plan`: a city plan of a place or bbox from OpenMapTiles data, as
 * PDF, PNG or SVG. Serves the data on a loopback port for the renderer (one
 * Chromium, closed at the end), and prints the time each stage took.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import { StreamLogger } from '../core/logger.js';
import { Progress } from '../core/progress.js';
import { loadConfig } from '../config/load_config.js';
import { parsePlanOptions, type PlanFormat } from '../print/plan_options.js';
import { TuilerieServer } from '../server/tuilerie_server.js';
import type { CliCommand, CliContext } from './command.js';
import { parseCommandArgs } from './cli_args.js';
import { bundledStylesDir } from './style_discovery.js';

const HELP = `Usage: tuilerie plan (--place NAME | --bbox W,S,E,N) --out FILE.pdf|.png|.svg [options]

Make a printable city plan of a town or an area from the imported OpenMapTiles
data: the map at a round scale with a grid, a street index, a legend, the scale
bar and the data date, as a PDF (vector text), PNG or SVG. The same plans are
served over HTTP by \`tuilerie serve\` (/plans).

Options:
  --place NAME          town or district, found in the data (place points, town halls)
  --bbox W,S,E,N        area in degrees instead of a place
  --data FILE.mbtiles   OpenMapTiles data (default $TUILERIE_DATA_DIR/openmaptiles.mbtiles, else data/openmaptiles.mbtiles)
  --paper A4|A3|A2|A1|A0        (default A3)
  --orientation portrait|landscape (default landscape)
  --scale N             1:N; default the most detailed of 1:5,000, 1:10,000, 1:15,000, … that fits
  --dpi N               map resolution, 72–600 (default 300)
  --style ID|FILE.json  style id (styles/ID/style.json, styles/ID.json) or file; default print, else osm-bright
  --lang fr|de          labels and index language (default fr)
  --index side|page     street index beside the map or on following pages (default side)
  --title TEXT          title instead of the place name
  --quiet               no log lines
  --verbose             progress of each stage
`;

/** Where a style id is looked for, in order. */
export function styleCandidates(id: string, cwd: string): string[] {
  if (/\.json$/i.test(id)) return [path.resolve(cwd, id)];
  const roots = [path.join(cwd, 'styles'), path.join(cwd, '..', 'shared', 'data', 'styles'), bundledStylesDir()];
  const list = roots.flatMap((r) => [path.join(r, id, 'style.json'), path.join(r, `${id}.json`)]);
  if (id === 'print') list.push(...roots.map((r) => path.join(r, 'osm-bright', 'style.json')));
  return list;
}

async function run(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommandArgs(args, {
    place: { type: 'string' }, bbox: { type: 'string' }, data: { type: 'string' }, paper: { type: 'string' },
    orientation: { type: 'string' }, scale: { type: 'string' }, dpi: { type: 'string' }, style: { type: 'string' },
    lang: { type: 'string' }, index: { type: 'string' }, title: { type: 'string' }, out: { type: 'string', short: 'o' },
    quiet: { type: 'boolean', short: 'q' }, verbose: { type: 'boolean', short: 'v' },
  }, HELP);
  if (parsed.positionals.length) throw new TuilerieError('BAD_REQUEST', `plan: unexpected argument ${parsed.positionals[0]} (give the place with --place)`);
  const v = parsed.values;
  if (v.help) {
    ctx.stdout.write(HELP);
    return 0;
  }
  if (!v.out) throw new TuilerieError('BAD_REQUEST', `plan: --out FILE.pdf|.png|.svg is required\n${HELP}`);
  const ext = /\.(pdf|png|svg)$/i.exec(v.out)?.[1].toLowerCase() as PlanFormat | undefined;
  if (!ext) throw new TuilerieError('UNSUPPORTED_FORMAT', `plan: --out must end in .pdf, .png or .svg (got ${v.out})`);
  const styleArg = v.style ?? 'print';
  const options = parsePlanOptions({ place: v.place, bbox: v.bbox, paper: v.paper, orientation: v.orientation, scale: v.scale, dpi: v.dpi, style: path.basename(styleArg).replace(/(\/style)?\.json$/i, '') || 'print', lang: v.lang, index: v.index, title: v.title, format: ext });
  const cwd = process.cwd();
  const data = path.resolve(cwd, v.data ?? path.join(ctx.env.TUILERIE_DATA_DIR ?? 'data', 'openmaptiles.mbtiles'));
  if (!fs.existsSync(data)) throw new TuilerieError('NOT_FOUND', `plan: no data at ${data}: run tuilerie import (or tuilerie start) first, or give --data FILE.mbtiles`);
  const stylePath = styleCandidates(styleArg, cwd).find((p) => fs.existsSync(p));
  if (!stylePath) throw new TuilerieError('NOT_FOUND', `plan: style "${styleArg}" not found (looked in ${styleCandidates(styleArg, cwd).join(', ')})`);
  const out = path.resolve(cwd, v.out);
  const logger = new StreamLogger({ level: v.quiet ? 'error' : v.verbose ? 'debug' : 'info', stream: ctx.stderr, name: 'plan' });
  logger.info(`style ${options.style}: ${stylePath}`);

  // raster.* settings (pool, timeout, Chromium path) come from the environment as for `serve`
  const config = loadConfig({ env: ctx.env, flags: { port: 0, host: '127.0.0.1', watch: false, sources: { openmaptiles: { path: data } }, styles: { [options.style]: { path: stylePath } } } });
  // the same composition root as `serve`, around a private loopback server; plans store no tiles
  const server = new TuilerieServer({ config, logger: logger.child('server'), services: { raster: { cacheDir: '', memoryBytes: 0 }, sharedTier: false, search: false } });
  try {
    await server.start();
    const maker = server.services.plans.maker({ fallbackDate: fs.statSync(data).mtime });
    const t0 = Date.now();
    const progress = new Progress({ name: 'plan', unit: '%', total: 100, logger, tty: ctx.stderr.isTTY && !v.quiet ? ctx.stderr : undefined });
    let shown = 0;
    const result = await maker.make(options, (p) => {
      logger.debug(`${p.stage} ${Math.round(p.fraction * 100)}% at ${Date.now() - t0} ms`);
      const pct = Math.round(p.fraction * 100);
      if (pct > shown) progress.tick(pct - shown);
      shown = Math.max(shown, pct);
    });
    progress.finish();
    const tmp = `${out}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, result.data);
    fs.renameSync(tmp, out);
    if (!v.quiet) {
      const t = result.timings;
      ctx.stderr.write(`${out}: ${result.title}, 1:${result.scale}, ${result.pages} page(s), map ${result.mapPixels[0]}×${result.mapPixels[1]} px, ${result.streets.length} streets, ${(result.data.length / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
        `(place ${t.place} ms, index ${t.index} ms, map ${t.map} ms, layout ${t.layout} ms, write ${t.write} ms)\n`);
    }
    return 0;
  } finally {
    await server.stop();
  }
}

export const command: CliCommand = { name: 'plan', summary: 'make a city plan (PDF/PNG/SVG)', run };
