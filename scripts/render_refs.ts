/**
 * Render references of our styles: the three real extracts (Mulhouse, Wehr,
 * Schopfheim) imported into one MBTiles, served by our own server and drawn
 * by its static-map endpoint (`/styles/{id}/static/{lon},{lat},{zoom}/512x512.png`:
 * src/render's Chromium renderer, one browser, one page kept between renders),
 * so the references also guard the raster path a client uses.
 *
 * `npx tsx scripts/render_refs.ts [--style ID] [--out DIR]` writes the images
 * to test/render/expected/<style>/<place>-z<zoom>.png (what `UPDATE=1 npx mocha
 * test/render/` does too); test/render/styles_render.test.ts compares fresh
 * renders with them. PNGs are reduced to a 128-colour palette, the same way on
 * both sides, to keep the committed references small.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadConfig } from '../src/config/load_config.js';
import { silentLogger } from '../src/core/logger.js';
import { TuilerieServer } from '../src/server/tuilerie_server.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));
export const EXPECTED_DIR = path.join(REPO_ROOT, 'test', 'render', 'expected');
export const RENDER_SIZE = 512;
export const RENDER_ZOOMS: readonly number[] = [6, 10, 13, 15, 17];
export const RENDER_STYLES: readonly string[] = ['bright', 'light', 'dark', 'nolabels', 'labels', 'print'];

/** View centres: the built-up part of each extract. */
export const RENDER_PLACES: Readonly<Record<string, { file: string; center: [number, number] }>> = {
  mulhouse: { file: 'mulhouse.osm.pbf', center: [7.334, 47.752] },
  wehr: { file: 'wehr.osm.pbf', center: [7.912, 47.5905] },
  schopfheim: { file: 'schopfheim.osm.pbf', center: [7.906, 47.744] },
};

export function expectedPath(style: string, place: string, zoom: number, dir = EXPECTED_DIR): string {
  return path.join(dir, style, `${place}-z${zoom}.png`);
}

/** The 128-colour palette PNG both the references and the fresh renders are reduced to. */
export function quantize(png: Buffer): Promise<Buffer> {
  return sharp(png).png({ palette: true, colours: 128, dither: 0, compressionLevel: 9, effort: 10 }).toBuffer();
}

export interface RenderSessionOptions {
  workDir: string;
  sharedData?: string;
}

/** One import, one server, one browser; `render` may be called many times, `close` once. */
export class StyleRenderSession {
  private constructor(private readonly server: TuilerieServer, private readonly url: string) {}

  static async open(opts: RenderSessionOptions): Promise<StyleRenderSession> {
    const shared = opts.sharedData ?? process.env.TUILERIE_TEST_DATA ?? path.join(REPO_ROOT, '..', 'shared', 'data');
    ensureAssets();
    const mbtiles = path.join(opts.workDir, 'openmaptiles.mbtiles');
    execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'import', '--quiet', '--threads', '1',
      '--out', mbtiles, '--natural-earth', path.join(shared, 'naturalearth'),
      ...Object.values(RENDER_PLACES).map((p) => path.join(shared, 'osm', p.file))], { cwd: REPO_ROOT, stdio: 'pipe' });
    const config = loadConfig({
      flags: {
        port: 0, host: '127.0.0.1', watch: false,
        sources: { openmaptiles: { path: mbtiles } },
        styles: Object.fromEntries(RENDER_STYLES.map((s) => [s, { path: path.join(REPO_ROOT, 'styles', `${s}.json`) }])),
      },
    });
    // no disk cache: every render is fresh
    const server = new TuilerieServer({ config, logger: silentLogger, services: { raster: { cacheDir: '', poolSize: 1 } } });
    const url = await server.start();
    return new StyleRenderSession(server, url);
  }

  /** The server's static map of `style` at `zoom` over `place`, as a palette PNG. */
  async render(style: string, place: string, zoom: number): Promise<Buffer> {
    const [lon, lat] = RENDER_PLACES[place].center;
    const res = await fetch(`${this.url}/styles/${style}/static/${lon},${lat},${zoom}/${RENDER_SIZE}x${RENDER_SIZE}.png`);
    if (!res.ok) throw new Error(`static map of ${style} at ${place} z${zoom}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    return quantize(Buffer.from(await res.arrayBuffer()));
  }

  /** Stops the server, which closes the raster renderer's browser. */
  async close(): Promise<void> {
    await this.server.stop();
  }
}

/** Our sprite and glyphs are built at setup (git-ignored); build them when a fresh checkout has not. */
function ensureAssets(): void {
  if (fs.existsSync(path.join(REPO_ROOT, 'assets', 'sprites', 'sprite.json')) && fs.existsSync(path.join(REPO_ROOT, 'assets', 'fonts', 'Noto Sans Regular'))) return;
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'build_assets.ts')], { cwd: REPO_ROOT, stdio: 'pipe' });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes('--style') ? args[args.indexOf('--style') + 1] : undefined;
  const out = args.includes('--out') ? path.resolve(args[args.indexOf('--out') + 1]) : EXPECTED_DIR;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tuilerie-render-refs-'));
  const session = await StyleRenderSession.open({ workDir: work });
  try {
    for (const style of RENDER_STYLES.filter((s) => only === undefined || s === only)) {
      for (const place of Object.keys(RENDER_PLACES)) {
        for (const zoom of RENDER_ZOOMS) {
          const file = expectedPath(style, place, zoom, out);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, await session.render(style, place, zoom));
        }
      }
      process.stdout.write(`${style}: ${Object.keys(RENDER_PLACES).length * RENDER_ZOOMS.length} images in ${path.join(out, style)}\n`);
    }
  } finally {
    await session.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((e: unknown) => {
    process.stderr.write(`render_refs: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
