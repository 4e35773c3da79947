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

export interface MulhouseTiles { file: string; producer: 'tuilerie' | 'tilemaker' }

const TILEMAKER_EXAMPLES = '/usr/share/doc/tilemaker/examples';

export function importerAvailable(): boolean {
  return fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'import_command.js'));
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || String(r.error)).slice(-2000)}`);
}

export function makeMulhouseTiles(dir: string): MulhouseTiles {
  const file = path.join(dir, 'mulhouse.mbtiles');
  const input = osmFile('mulhouse.osm.pbf');
  if (importerAvailable()) {
    run(process.execPath, [CLI, 'import', '--quiet', '--out', file, input], dir);
    return { file, producer: 'tuilerie' };
  }
  for (const f of ['config-openmaptiles.json', 'process-openmaptiles.lua']) fs.copyFileSync(path.join(TILEMAKER_EXAMPLES, f), path.join(dir, f));
  run('tilemaker', ['--input', input, '--output', file, '--config', 'config-openmaptiles.json', '--process', 'process-openmaptiles.lua'], dir);
  return { file, producer: 'tilemaker' };
}
