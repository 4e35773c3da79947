import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { StyleRegistry } from '../../../src/server/style_registry.js';
import { silentLogger } from '../../../src/core/logger.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/paths.js';

describe('StyleRegistry', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('serves a style under its id and its aliases', async () => {
    const reg = new StyleRegistry(silentLogger);
    await reg.add('bright', { path: write('s.json', '{"version":8,"sources":{},"layers":[]}'), aliases: ['osm-bright'], source: '' });
    assert.equal(reg.require('osm-bright').id, 'bright');
  });

  it('skips a file that is not a style', async () => {
    const reg = new StyleRegistry(silentLogger);
    assert.equal(await reg.add('x', { path: write('x.json', '{"version":8}'), aliases: [], source: '' }), false);
    assert.throws(() => reg.require('x'), (e: unknown) => isTuilerieError(e, 'NOT_FOUND'));
  });

  it('re-reads styles on reloadAll, with a new generation', async () => {
    const reg = new StyleRegistry(silentLogger);
    const p = write('s.json', '{"version":8,"name":"one","sources":{},"layers":[]}');
    await reg.add('s', { path: p, aliases: [], source: '' });
    const g = reg.require('s').generation;
    fs.writeFileSync(p, '{"version":8,"name":"two","sources":{},"layers":[]}');
    await reg.reloadAll();
    assert.equal(reg.require('s').style.name, 'two');
    assert.ok(reg.require('s').generation > g);
  });
});
