import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describeConfig } from '../../../src/config/config_docs.js';
import { CONFIG_SCHEMA, type ScalarKey } from '../../../src/config/config_schema.js';
import { loadConfig } from '../../../src/config/load_config.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { DEFAULT_RASTER_SETTINGS } from '../../../src/render/raster_stack.js';
import { rasterSettingsOf } from '../../../src/server/serving_services.js';
import { tempDir } from '../../helpers/paths.js';

const group = CONFIG_SCHEMA.raster;
if (group.kind !== 'group') throw new Error('raster is a config group');
const RASTER_KEYS = Object.entries(group.keys) as Array<[string, ScalarKey]>;

/** A valid value of a key that differs from its default. */
function otherValue(spec: ScalarKey): unknown {
  if (spec.type === 'string') return `${String(spec.default)}-other`;
  const d = Number(spec.default);
  const v = spec.max !== undefined && d + 1 > spec.max ? d - 1 : d + 1;
  return v;
}

describe('config: raster settings', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (obj: unknown) => {
    const p = path.join(dir, 'tuilerie.json');
    fs.writeFileSync(p, JSON.stringify(obj));
    return p;
  };

  it('declares every setting the renderer takes from configuration, and each reaches the raster stack', () => {
    assert.ok(RASTER_KEYS.length >= 10);
    for (const [key, spec] of RASTER_KEYS) {
      assert.equal(spec.kind, 'scalar', key);
      assert.ok(spec.description.length > 20, `raster.${key} has a description`);
      assert.ok(key in DEFAULT_RASTER_SETTINGS, `raster.${key} is a RasterSettings field`);
      const value = otherValue(spec);
      const c = loadConfig({ baseDir: dir, flags: { raster: { [key]: key === 'cacheDir' ? path.join(dir, 'elsewhere') : value } } });
      const settings = rasterSettingsOf(c.raster) as Record<string, unknown>;
      assert.deepEqual(settings[key], key === 'cacheDir' ? path.join(dir, 'elsewhere') : value, `raster.${key} set in the configuration reaches the settings`);
    }
  });

  it('lists every raster key with its type and default in --help-config', () => {
    const doc = describeConfig();
    for (const [key, spec] of RASTER_KEYS) {
      const line = doc.split('\n').find((l) => l.startsWith(`raster.${key}  `));
      assert.ok(line, `raster.${key} is listed`);
      assert.ok(line.includes(`${spec.type}, default ${JSON.stringify(spec.default)}`), line);
      if (spec.env) assert.ok(line.includes(`env ${spec.env}`), line);
    }
  });

  it('reads raster settings from the file and lets the environment override them', () => {
    const file = write({ raster: { poolSize: 3, timeoutMs: 5000, chromiumPath: '/opt/chromium' } });
    const c = loadConfig({ file, env: { TUILERIE_RASTER_POOL_SIZE: '2' } });
    assert.deepEqual([c.raster.poolSize, c.raster.timeoutMs, c.raster.chromiumPath], [2, 5000, '/opt/chromium']);
  });

  it('rejects an out-of-range raster setting, naming the key', () => {
    const file = write({ raster: { metaSize: 0 } });
    assert.throws(() => loadConfig({ file }), (e: Error) => isTuilerieError(e, 'CONFIG_ERROR') && e.message.includes('raster.metaSize'));
  });

  it('puts the rendered-tile cache inside dataDir by default, whatever the working directory', () => {
    const file = write({ dataDir: 'data' });
    const c = loadConfig({ file });
    assert.equal(c.raster.cacheDir, path.join(dir, 'data', 'raster-cache'));
  });

  it('resolves a relative cacheDir against dataDir, from the file and from the environment', () => {
    const file = write({ dataDir: '/srv/tiles', raster: { cacheDir: 'cache/raster' } });
    assert.equal(loadConfig({ file }).raster.cacheDir, path.join('/srv/tiles', 'cache', 'raster'));
    assert.equal(loadConfig({ file, env: { TUILERIE_RASTER_CACHE_DIR: '../shared-cache' } }).raster.cacheDir, path.join('/srv', 'shared-cache'));
  });

  it('keeps an absolute cacheDir as written, and an empty one turns the disk tier off', () => {
    const file = write({ dataDir: '/srv/tiles', raster: { cacheDir: '/var/cache/tuilerie' } });
    assert.equal(loadConfig({ file }).raster.cacheDir, '/var/cache/tuilerie');
    assert.equal(loadConfig({ file: write({ raster: { cacheDir: '' } }) }).raster.cacheDir, '');
  });
});
