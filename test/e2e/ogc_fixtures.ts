/**
 * What the OGC end-to-end files share: our import of the Mulhouse extract, a
 * server over it with the raster stack caching into the test's temp dir, and
 * GDAL run asynchronously (the server it talks to lives in this process).
 */
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/load_config.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { NATURAL_EARTH_DIR, REPO_ROOT, osmFile } from '../helpers/paths.js';

const execFileAsync = promisify(execFile);

/** Imports mulhouse.osm.pbf with our CLI into `dir`; returns the MBTiles path. */
export function importMulhouse(dir: string): string {
  const out = path.join(dir, 'mulhouse.mbtiles');
  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'import', '--out', out, '--natural-earth', NATURAL_EARTH_DIR, '--threads', '1', '--quiet', osmFile('mulhouse.osm.pbf')], { cwd: REPO_ROOT, stdio: 'pipe' });
  return out;
}

/** A server on an ephemeral port serving the archive as source `mulhouse` and the given styles (id → file). */
export async function startOgcServer(dir: string, opts: { mbtiles: string; styles: Record<string, string>; logger?: Logger }): Promise<{ server: TuilerieServer; url: string }> {
  const config = loadConfig({
    flags: {
      port: 0,
      host: '127.0.0.1',
      watch: false,
      sources: { mulhouse: { path: opts.mbtiles } },
      styles: Object.fromEntries(Object.entries(opts.styles).map(([id, file]) => [id, { path: file }])),
    },
  });
  const server = new TuilerieServer({ config, logger: opts.logger ?? silentLogger, services: { raster: { cacheDir: path.join(dir, 'raster-cache'), maxQueue: 8 } } });
  return { server, url: await server.start() };
}

/**
 * Runs a GDAL tool. Its WMS tile cache (by default ./gdalwmscache) goes to the
 * test's temp dir, so that nothing lands in the checkout and no run reads an
 * earlier run's images.
 */
export async function gdal(args: string[], tmp: string): Promise<string> {
  const { stdout } = await execFileAsync(args[0], args.slice(1), { cwd: tmp, timeout: 120_000, maxBuffer: 16 << 20, env: { ...process.env, GDAL_HTTP_TIMEOUT: '60', GDAL_DEFAULT_WMS_CACHE_PATH: path.join(tmp, 'gdalwmscache') } });
  return stdout;
}
