import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openOsmFile } from '../../../src/osm/open_osm_file.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { osmFile, tempDir } from '../../helpers/paths.js';

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isTuilerieError(e), `expected a TuilerieError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), 'one-line message');
    return true;
  });
}

describe('openOsmFile', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir('tuilerie-open-'); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens .osm.pbf with the PBF reader', async () => {
    const r = await openOsmFile(osmFile('wehr.osm.pbf'));
    assert.equal(r.format, 'pbf');
    assert.equal(r.size, fs.statSync(osmFile('wehr.osm.pbf')).size);
  });

  it('opens .osm with the XML reader', async () => {
    assert.equal((await openOsmFile(osmFile('mulhouse.osm'))).format, 'xml');
  });

  it('opens .osm.bz2 with the XML reader through bzip2', async () => {
    assert.equal((await openOsmFile(osmFile('freiburg-roads.osm.bz2'))).format, 'xml.bz2');
  });

  it('accepts a bare .pbf extension', async () => {
    const file = path.join(dir, 'extract.pbf');
    fs.symlinkSync(osmFile('wehr.osm.pbf'), file);
    assert.equal((await openOsmFile(file)).format, 'pbf');
  });

  it('refuses an unknown extension with UNSUPPORTED_FORMAT', async () => {
    const file = path.join(dir, 'roads.shp');
    fs.writeFileSync(file, 'x');
    await rejectsWith(openOsmFile(file), 'UNSUPPORTED_FORMAT', /roads\.shp.*extension/);
  });

  it('reports a missing file as IO_ERROR', async () => {
    await rejectsWith(openOsmFile(path.join(dir, 'absent.osm.pbf')), 'IO_ERROR', /absent\.osm\.pbf.*not found/);
  });

  it('reports a directory as IO_ERROR', async () => {
    const sub = path.join(dir, 'folder.osm');
    fs.mkdirSync(sub);
    await rejectsWith(openOsmFile(sub), 'IO_ERROR', /folder\.osm/);
  });

  it('refuses a text file named .osm.pbf with BAD_INPUT', async () => {
    const file = path.join(dir, 'readme.osm.pbf');
    fs.writeFileSync(file, 'hello, this is text\n');
    await rejectsWith(openOsmFile(file), 'BAD_INPUT', /readme\.osm\.pbf.*not an OSM PBF/);
  });

  it('refuses a PBF named .osm with BAD_INPUT', async () => {
    const file = path.join(dir, 'binary.osm');
    fs.copyFileSync(osmFile('wehr.osm.pbf'), file);
    await rejectsWith(openOsmFile(file), 'BAD_INPUT', /binary\.osm.*not an XML/);
  });

  it('refuses an uncompressed file named .osm.bz2 with BAD_INPUT', async () => {
    const file = path.join(dir, 'plain.osm.bz2');
    fs.copyFileSync(osmFile('mulhouse.osm'), file);
    await rejectsWith(openOsmFile(file), 'BAD_INPUT', /plain\.osm\.bz2.*not a bzip2/);
  });

  it('refuses an empty file with BAD_INPUT', async () => {
    const file = path.join(dir, 'empty.osm.pbf');
    fs.writeFileSync(file, '');
    await rejectsWith(openOsmFile(file), 'BAD_INPUT', /empty/);
  });
});
