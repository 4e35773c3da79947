import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MbtilesSource } from '../../../src/archive/mbtiles/mbtiles_source.js';
import { PlaceFinder } from '../../../src/print/place_finder.js';
import { mercBoxOf } from '../../../src/print/plan_scale.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { REPO_ROOT, osmFile, tempDir } from '../../helpers/paths.js';

describe('print/place_finder on a Mulhouse import @slow', function () {
  this.timeout(120_000);
  let dir: string;
  let source: MbtilesSource;

  before(() => {
    dir = tempDir('tuilerie-place-');
    const out = path.join(dir, 'm.mbtiles');
    execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'import', '--out', out, '--threads', '1', '--quiet', osmFile('mulhouse.osm.pbf')], { cwd: REPO_ROOT, stdio: 'pipe' });
    source = MbtilesSource.open(out);
  });
  after(async () => {
    await source?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds Mulhouse by its town hall (the extract has no place node), ignoring case', async () => {
    const p = await new PlaceFinder(source).find('mulhouse');
    assert.equal(p.name, 'Mulhouse');
    assert.equal(p.kind, 'town_hall');
    assert.ok(p.lon > 7.32 && p.lon < 7.35 && p.lat > 47.74 && p.lat < 47.76);
  });
  it('keeps the extent within the data bounds', async () => {
    const p = await new PlaceFinder(source).find('Mulhouse');
    const data = mercBoxOf(source.metadata().bounds!);
    assert.ok(p.extent.x0 >= data.x0 && p.extent.x1 <= data.x1 && p.extent.y0 >= data.y0 && p.extent.y1 <= data.y1);
  });
  it('an unknown name is NOT_FOUND with the closest names as suggestions', async () => {
    await assert.rejects(new PlaceFinder(source).find('Mulhuse'), (e) => isTuilerieError(e, 'NOT_FOUND') && (e.details?.suggestions as string[]).includes('Mulhouse'));
  });
});
