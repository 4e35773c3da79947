/**
 * A Mulhouse MBTiles for the browser test, made in a temp dir at test time:
 * with our importer when the build has it (dist/src/cli/import_command.js),
 * else with Debian tilemaker and its OpenMapTiles example profile, so the page
 * can be tested before and after the importer lands.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, REPO_ROOT, osmFile } from '../helpers/paths.js';
import { loadConfig } from '../../src/config/load_config.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';

export interface MulhouseTiles { file: string; producer: 'tuilerie' | 'tilemaker' }

const TILEMAKER_EXAMPLES = '/usr/share/doc/tilemaker/examples';

export function importerAvailable(): boolean {
  return fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'import_command.js'));
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || String(r.error)).slice(-2000)}`);
}

/** `importArgs` (e.g. --natural-earth DIR) go to our importer; tilemaker, the fallback, cannot take them. */
export function makeMulhouseTiles(dir: string, importArgs: string[] = []): MulhouseTiles {
  const file = path.join(dir, 'mulhouse.mbtiles');
  const input = osmFile('mulhouse.osm.pbf');
  if (importerAvailable()) {
    run(process.execPath, [CLI, 'import', '--quiet', ...importArgs, '--out', file, input], dir);
    return { file, producer: 'tuilerie' };
  }
  if (importArgs.length > 0) throw new Error(`import options ${importArgs.join(' ')} need our importer: npm run build`);
  for (const f of ['config-openmaptiles.json', 'process-openmaptiles.lua']) fs.copyFileSync(path.join(TILEMAKER_EXAMPLES, f), path.join(dir, f));
  run('tilemaker', ['--input', input, '--output', file, '--config', 'config-openmaptiles.json', '--process', 'process-openmaptiles.lua'], dir);
  return { file, producer: 'tilemaker' };
}

/** Our server on 127.0.0.1 (port 0) serving `tiles` as source `mulhouse` and the given styles (id → file), assets built. */
export async function serveMulhouse(dir: string, tiles: MulhouseTiles, styles: Record<string, string>): Promise<{ server: TuilerieServer; base: string }> {
  // the glyphs and sprites the server answers with; skipped when already up to date
  const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'build_assets.ts')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`asset build failed: ${build.stderr}`);
  const config = loadConfig({
    baseDir: dir,
    flags: {
      port: 0, host: '127.0.0.1', watch: false,
      sources: { mulhouse: { path: tiles.file } },
      styles: Object.fromEntries(Object.entries(styles).map(([id, file]) => [id, { path: file }])),
    },
  });
  const server = new TuilerieServer({ config });
  return { server, base: await server.start() };
}
