/**
 * `node dist/scripts/build_assets.js [--force] [--out DIR] [--fonts-dir DIR]`
 * (run by `npm run setup`): glyph PBFs of Noto Sans from Debian fonts-noto-core
 * and Maki sprites at @1x and @2x, into assets/ (git-ignored). Skips each part
 * whose inputs have not changed since its last build (a stamp file records them).
 * All BMP ranges the fonts cover are built (≈ 2,800 codepoints a face: Latin,
 * Greek, Cyrillic, punctuation, symbols, …); this takes a few seconds, so no
 * subset is needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { StreamLogger, type Logger } from '../src/core/logger.js';
import { asTuilerieError } from '../src/core/errors.js';
import { buildGlyphs, type FontSource } from '../src/styles/glyph_builder.js';
import { buildSprite } from '../src/styles/sprite_builder.js';

/** Bump when the output of a builder changes for the same inputs. */
const GLYPH_BUILD_VERSION = 2;
const SPRITE_BUILD_VERSION = 1;

const FACES: Array<{ name: string; file: string }> = [
  { name: 'Noto Sans Regular', file: 'NotoSans-Regular.ttf' },
  { name: 'Noto Sans Bold', file: 'NotoSans-Bold.ttf' },
  { name: 'Noto Sans Italic', file: 'NotoSans-Italic.ttf' },
  { name: 'Noto Sans Bold Italic', file: 'NotoSans-BoldItalic.ttf' },
];

interface Args { force: boolean; out: string; fontsDir: string }

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (no package.json above this script)');
    dir = up;
  }
  return dir;
}

function parseArgs(argv: string[], root: string): Args {
  const args: Args = { force: false, out: path.join(root, 'assets'), fontsDir: '/usr/share/fonts/truetype/noto' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') args.force = true;
    else if (a === '--out') args.out = path.resolve(argv[++i] ?? '');
    else if (a === '--fonts-dir') args.fontsDir = path.resolve(argv[++i] ?? '');
    else throw new Error(`unknown option ${a}; use --force, --out DIR, --fonts-dir DIR`);
  }
  return args;
}

/** What a part was built from: when it equals the stamp on disk, the part is up to date. */
function fingerprint(version: number, files: string[]): string {
  const parts = files.map((f) => {
    const st = fs.statSync(f);
    return `${path.basename(f)}:${st.size}:${Math.round(st.mtimeMs)}`;
  });
  return JSON.stringify({ version, inputs: parts });
}

function upToDate(stampFile: string, print: string): boolean {
  try {
    return fs.readFileSync(stampFile, 'utf8') === print;
  } catch {
    return false;
  }
}

function writeAtomic(file: string, data: Buffer | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function glyphs(args: Args, log: Logger): void {
  const outDir = path.join(args.out, 'fonts');
  const fonts: FontSource[] = FACES.map((f) => ({ name: f.name, file: path.join(args.fontsDir, f.file) }))
    .filter((f) => {
      if (fs.existsSync(f.file)) return true;
      log.warn(`font ${f.file} not found: ${f.name} will fall back to another face (install Debian fonts-noto-core)`);
      return false;
    });
  if (fonts.length === 0) throw new Error(`no Noto Sans fonts in ${args.fontsDir}: install Debian fonts-noto-core`);
  const stamp = path.join(outDir, '.stamp');
  const print = fingerprint(GLYPH_BUILD_VERSION, fonts.map((f) => f.file));
  if (!args.force && upToDate(stamp, print)) {
    log.info(`glyphs up to date in ${outDir} (${fonts.length} fonts)`);
    return;
  }
  const t0 = Date.now();
  const summary = buildGlyphs({ fonts, outDir, logger: log, tty: process.stderr.isTTY ? process.stderr : undefined });
  for (const s of summary) log.info(`${s.name}: ${s.glyphs} glyphs in ${s.ranges} ranges, ${(s.ms / 1000).toFixed(1)}s`);
  writeAtomic(stamp, print);
  log.info(`glyphs built in ${((Date.now() - t0) / 1000).toFixed(1)}s → ${outDir}`);
}

async function sprites(args: Args, root: string, log: Logger): Promise<void> {
  const outDir = path.join(args.out, 'sprites');
  const require = createRequire(path.join(root, 'package.json'));
  const makiRoot = path.dirname(require.resolve('@mapbox/maki/package.json'));
  const makiDir = path.join(makiRoot, 'icons');
  const stamp = path.join(outDir, '.stamp');
  const print = fingerprint(SPRITE_BUILD_VERSION, [path.join(makiRoot, 'package.json'), ...fs.readdirSync(makiDir).sort().map((f) => path.join(makiDir, f))]);
  if (!args.force && upToDate(stamp, print)) {
    log.info(`sprites up to date in ${outDir}`);
    return;
  }
  fs.mkdirSync(outDir, { recursive: true });
  for (const ratio of [1, 2] as const) {
    const t0 = Date.now();
    const sheet = await buildSprite({ makiDir, pixelRatio: ratio });
    const suffix = ratio === 2 ? '@2x' : '';
    writeAtomic(path.join(outDir, `sprite${suffix}.png`), sheet.png);
    writeAtomic(path.join(outDir, `sprite${suffix}.json`), JSON.stringify(sheet.index, null, 1) + '\n');
    log.info(`sprite${suffix}: ${Object.keys(sheet.index).length} names, ${sheet.png.length} bytes PNG, ${Date.now() - t0} ms`);
  }
  writeAtomic(stamp, print);
}

async function main(): Promise<void> {
  const log = new StreamLogger({ name: 'build_assets' });
  const root = repoRoot();
  const args = parseArgs(process.argv.slice(2), root);
  glyphs(args, log.child('glyphs'));
  await sprites(args, root, log.child('sprites'));
}

main().catch((e) => {
  const err = asTuilerieError(e);
  process.stderr.write(`build_assets: ${err.message}\n`);
  process.exitCode = 1;
});
