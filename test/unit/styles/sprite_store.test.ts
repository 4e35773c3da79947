import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { SpriteStore } from '../../../src/styles/sprite_store.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { tempDir, UPSTREAM_STYLES_DIR } from '../../helpers/paths.js';

describe('SpriteStore', () => {
  let ours: string;
  beforeEach(() => {
    ours = tempDir('tuilerie-sprites-');
    fs.writeFileSync(path.join(ours, 'sprite.json'), '{"ours":{}}');
    fs.writeFileSync(path.join(ours, 'sprite@2x.png'), 'ours-2x-png');
  });
  afterEach(() => fs.rmSync(ours, { recursive: true, force: true }));

  it("serves an upstream style's own sprite when its directory has one", () => {
    const styleDir = path.join(UPSTREAM_STYLES_DIR, 'osm-bright');
    const f = new SpriteStore({ dir: ours }).get({ styleDir, ratio: 2, format: 'json' });
    assert.equal(f.origin, 'style');
    assert.deepEqual(f.data, fs.readFileSync(path.join(styleDir, 'sprite@2x.json')));
  });

  it('serves ours to a style whose directory has no sprite', () => {
    const styleDir = tempDir('tuilerie-style-');
    try {
      const f = new SpriteStore({ dir: ours }).get({ styleDir, ratio: 1, format: 'json' });
      assert.equal(f.origin, 'tuilerie');
      assert.equal(f.data.toString(), '{"ours":{}}');
      assert.equal(f.contentType, 'application/json; charset=utf-8');
    } finally {
      fs.rmSync(styleDir, { recursive: true, force: true });
    }
  });

  it('picks the @2x PNG for ratio 2', () => {
    const f = new SpriteStore({ dir: ours }).get({ ratio: 2, format: 'png' });
    assert.equal(f.data.toString(), 'ours-2x-png');
    assert.equal(f.contentType, 'image/png');
  });

  it('sees a rebuilt file without restart', () => {
    const store = new SpriteStore({ dir: ours });
    store.get({ ratio: 1, format: 'json' });
    fs.writeFileSync(path.join(ours, 'sprite.json'), '{"rebuilt":{},"longer":1}');
    assert.equal(store.get({ ratio: 1, format: 'json' }).data.toString(), '{"rebuilt":{},"longer":1}');
  });

  it('fails with NOT_FOUND when our sprite has not been built', () => {
    assert.throws(() => new SpriteStore({ dir: ours }).get({ ratio: 1, format: 'png' }), (e: unknown) => isTuilerieError(e, 'NOT_FOUND'));
  });
});
