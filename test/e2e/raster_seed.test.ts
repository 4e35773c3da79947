import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { execFileSync } from 'node:child_process';
import { command as seed } from '../../src/cli/seed_command.js';
import type { CliContext } from '../../src/cli/command.js';
import { DiskTileCache } from '../../src/cache/disk_tile_cache.js';
import { NATURAL_EARTH_DIR, REPO_ROOT, UPSTREAM_STYLES_DIR, osmFile, tempDir } from '../helpers/paths.js';

function capture(): { ctx: CliContext; out: () => string } {
  let text = '';
  const sink = new Writable({ write(c, _e, cb) { text += String(c); cb(); } }) as unknown as NodeJS.WriteStream;
  return { ctx: { env: {}, stdout: sink, stderr: new Writable({ write(_c, _e, cb) { cb(); } }) as unknown as NodeJS.WriteStream }, out: () => text };
}

const number = (out: string, label: string) => Number(new RegExp(`${label}\\s+(\\d+)`).exec(out)?.[1]);

describe('tuilerie seed @slow', function () {
  let dir: string;
  let configFile: string;
  const args = () => ['--config', configFile, '--style', 'positron', '--zooms', '13-14', '--bbox', '7.326,47.749,7.342,47.755', '--concurrency', '2'];

  before(() => {
    dir = tempDir('tuilerie-seed-');
    const mbtiles = path.join(dir, 'mulhouse.mbtiles');
    execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'import', '--out', mbtiles, '--natural-earth', NATURAL_EARTH_DIR, '--threads', '1', '--quiet', osmFile('mulhouse.osm.pbf')], { cwd: REPO_ROOT, stdio: 'pipe' });
    configFile = path.join(dir, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify({ dataDir: path.join(dir, 'data'), sources: { mulhouse: { path: mbtiles } }, styles: { positron: { path: path.join(UPSTREAM_STYLES_DIR, 'positron', 'style.json') } } }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('renders the tiles of the area into the disk cache the server reads', async () => {
    const { ctx, out } = capture();
    assert.equal(await seed.run(args(), ctx), 0);
    assert.ok(number(out(), 'tiles rendered') > 0, out());
    const cache = new DiskTileCache({ dir: path.join(dir, 'data', 'raster-cache') });
    assert.ok(cache.stats().entries >= number(out(), 'tiles rendered'));
    cache.close();
  });

  it('skips fresh tiles when run again (resumable)', async () => {
    const { ctx, out } = capture();
    assert.equal(await seed.run(args(), ctx), 0);
    assert.equal(number(out(), 'tiles rendered'), 0);
    assert.ok(number(out(), 'tiles skipped') > 0);
  });

  it('renders again the tiles stored before --refresh-before', async () => {
    const { ctx, out } = capture();
    assert.equal(await seed.run([...args(), '--refresh-before', new Date(Date.now() + 60_000).toISOString()], ctx), 0);
    assert.equal(number(out(), 'tiles skipped'), 0);
  });

  it('refuses --bbox together with --clip', async () => {
    const { ctx } = capture();
    await assert.rejects(seed.run([...args(), '--clip', path.join(dir, 'x.geojson')], ctx), /cannot be combined/);
  });
});
