import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { FIXTURES_DIR, tempDir } from '../../helpers/paths.js';
import { command } from '../../../src/cli/convert_command.js';
import { PmtilesSource } from '../../../src/archive/pmtiles/pmtiles_source.js';
import type { CliContext } from '../../../src/cli/command.js';

function ctx(): CliContext & { err: () => string } {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (d) => { text += String(d); });
  return { env: {}, stdout: new PassThrough() as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream, err: () => text };
}

describe('tuilerie convert', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('converts an MBTiles file to PMTiles', async () => {
    const out = path.join(dir, 'out.pmtiles');
    const c = ctx();
    assert.equal(await command.run([path.join(FIXTURES_DIR, 'mbtiles', 'plain_1.mbtiles'), out], c), 0);
    const src = await PmtilesSource.open(out);
    await src.close();
    assert.equal(src.tileCount(), 285);
  });

  it('refuses to replace an existing output without --force', async () => {
    const out = path.join(dir, 'out.pmtiles');
    fs.writeFileSync(out, 'keep');
    await assert.rejects(command.run([path.join(FIXTURES_DIR, 'mbtiles', 'plain_1.mbtiles'), out], ctx()), { code: 'BAD_REQUEST' });
    assert.equal(fs.readFileSync(out, 'utf8'), 'keep');
  });

  it('fails with BAD_INPUT on a corrupt input and writes nothing', async () => {
    const out = path.join(dir, 'out.pmtiles');
    await assert.rejects(command.run([path.join(FIXTURES_DIR, 'mbtiles', 'corrupt.mbtiles'), out], ctx()), { code: 'BAD_INPUT' });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('asks for both IN and OUT', async () => {
    await assert.rejects(command.run(['only-one.mbtiles'], ctx()), { code: 'BAD_REQUEST' });
  });
});
