import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load_config.js';
import { closestName } from '../../../src/config/closest_name.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/paths.js';

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isTuilerieError(e, 'CONFIG_ERROR'), `expected CONFIG_ERROR, got ${String(e)}`);
    return (e as Error).message;
  }
  assert.fail('expected a CONFIG_ERROR');
}

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (obj: unknown) => {
    const p = path.join(dir, 'tuilerie.json');
    fs.writeFileSync(p, typeof obj === 'string' ? obj : JSON.stringify(obj));
    return p;
  };

  it('gives the declared defaults without any layer', () => {
    const c = loadConfig();
    assert.equal(c.port, 8080);
    assert.equal(c.cache.missingTileStatus, 204);
    assert.match(c.cache.control.tiles, /stale-while-revalidate/);
  });

  it('lets the file override defaults', () => {
    assert.equal(loadConfig({ file: write({ port: 9001 }) }).port, 9001);
  });

  it('lets the environment override the file', () => {
    assert.equal(loadConfig({ file: write({ port: 9001 }), env: { TUILERIE_PORT: '9002' } }).port, 9002);
  });

  it('lets CLI flags override the environment', () => {
    assert.equal(loadConfig({ env: { TUILERIE_PORT: '9002' }, flags: { port: 9003 } }).port, 9003);
  });

  it('merges nested groups key by key', () => {
    const c = loadConfig({ file: write({ cache: { control: { tiles: 'no-cache' } } }) });
    assert.equal(c.cache.control.tiles, 'no-cache');
    assert.match(c.cache.control.fonts, /max-age/);
  });

  it('resolves source paths against the config file directory', () => {
    const c = loadConfig({ file: write({ sources: { osm: { path: 'x.mbtiles' } } }) });
    assert.equal(c.sources.osm.path, path.join(dir, 'x.mbtiles'));
  });

  it('accepts a bare path string as a source entry', () => {
    const c = loadConfig({ file: write({ sources: { osm: 'x.mbtiles' } }) });
    assert.equal(c.sources.osm.path, path.join(dir, 'x.mbtiles'));
  });

  it('keeps an http(s) source URL as written', () => {
    const c = loadConfig({ file: write({ sources: { remote: { path: 'https://example.org/tiles.pmtiles' } } }) });
    assert.equal(c.sources.remote.path, 'https://example.org/tiles.pmtiles');
  });

  it('fills style entry defaults', () => {
    const c = loadConfig({ file: write({ styles: { bright: { path: 's.json' } } }) });
    assert.deepEqual(c.styles.bright.aliases, []);
  });

  it('returns a frozen object', () => {
    const c = loadConfig();
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.cache.control));
  });

  it('names an unknown key and suggests the closest one', () => {
    const msg = configError(() => loadConfig({ file: write({ cache: { memroyBytes: 5 } }) }));
    assert.match(msg, /"cache\.memroyBytes"/);
    assert.match(msg, /did you mean "cache\.memoryBytes"/);
  });

  it('names the key and expected type of a wrong value', () => {
    const msg = configError(() => loadConfig({ file: write({ port: 'eighty' }) }));
    assert.match(msg, /"port" must be an integer between 0 and 65535/);
  });

  it('rejects an out-of-range number', () => {
    assert.match(configError(() => loadConfig({ flags: { port: 70000 } })), /"port"/);
  });

  it('rejects a value outside an enumeration', () => {
    assert.match(configError(() => loadConfig({ file: write({ cache: { missingTileStatus: 500 } }) })), /one of 204, 404/);
  });

  it('rejects a bad environment value and names the variable', () => {
    const msg = configError(() => loadConfig({ env: { TUILERIE_PORT: 'x' } }));
    assert.match(msg, /"port".*environment variable TUILERIE_PORT/);
  });

  it('requires a path for each source', () => {
    assert.match(configError(() => loadConfig({ file: write({ sources: { osm: {} } }) })), /"sources\.osm\.path" is required/);
  });

  it('rejects a source id with a slash', () => {
    assert.match(configError(() => loadConfig({ file: write({ sources: { 'a/b': { path: 'x' } } }) })), /sources\.a\/b/);
  });

  it('reports unknown keys inside a source entry', () => {
    assert.match(configError(() => loadConfig({ file: write({ sources: { osm: { pth: 'x' } } }) })), /did you mean "sources\.osm\.path"/);
  });

  it('rejects a file that is not JSON, naming the file', () => {
    const p = write('{ port: 1');
    assert.match(configError(() => loadConfig({ file: p })), new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*not valid JSON`));
  });

  it('rejects a publicUrl that is not an http URL', () => {
    assert.match(configError(() => loadConfig({ flags: { publicUrl: 'tiles.example.org' } })), /publicUrl/);
  });

  it('strips the trailing slash of publicUrl', () => {
    assert.equal(loadConfig({ flags: { publicUrl: 'https://t.example.org/maps/' } }).publicUrl, 'https://t.example.org/maps');
  });

  it('parses comma-separated lists from the environment', () => {
    assert.deepEqual(loadConfig({ env: { TUILERIE_CORS_ORIGINS: 'https://a.fr, https://b.de' } }).cors.origins, ['https://a.fr', 'https://b.de']);
  });

  it('reports every problem at once', () => {
    const msg = configError(() => loadConfig({ file: write({ port: 'x', hots: 'y' }) }));
    assert.match(msg, /"port"/);
    assert.match(msg, /"hots".*did you mean "host"/);
  });

  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`rejects a "${key}" key as an unknown key, at the top and in groups (no TypeError, no prototype change)`, () => {
      const text = `{"${key}": {"port": 1}, "cache": {"${key}": {"memoryBytes": 1}, "control": {"${key}": "x"}}}`;
      const msg = configError(() => loadConfig({ file: write(text) }));
      assert.match(msg, new RegExp(`unknown config key "${key}"`));
      assert.match(msg, new RegExp(`unknown config key "cache\\.${key}"`));
      assert.match(msg, new RegExp(`unknown config key "cache\\.control\\.${key}"`));
      assert.equal(({} as Record<string, unknown>).port, undefined);
    });

    it(`rejects "${key}" as a source or style id and as a field of an entry`, () => {
      const msg = configError(() => loadConfig({ file: write(`{"sources": {"${key}": {"path": "a.mbtiles"}, "b": {"path": "b.mbtiles", "${key}": 1}}, "styles": {"${key}": "s.json"}}`) }));
      assert.match(msg, new RegExp(`"sources\\.${key}": "${key}" is a reserved name`));
      assert.match(msg, new RegExp(`unknown config key "sources\\.b\\.${key}"`));
      assert.match(msg, new RegExp(`"styles\\.${key}": "${key}" is a reserved name`));
    });
  }

  it('defaults to a tile server\'s HTTP limits and reads them from the file and environment', () => {
    const c = loadConfig();
    assert.deepEqual({ ...c.http }, { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 65_000 });
    assert.equal(loadConfig({ file: write({ http: { requestTimeoutMs: 5000, headersTimeoutMs: 2000 } }) }).http.requestTimeoutMs, 5000);
    assert.equal(loadConfig({ env: { TUILERIE_HEADERS_TIMEOUT_MS: '4000' } }).http.headersTimeoutMs, 4000);
  });

  it('rejects a headers timeout longer than the request timeout', () => {
    assert.match(configError(() => loadConfig({ flags: { http: { requestTimeoutMs: 2000, headersTimeoutMs: 5000 } } })), /http\.headersTimeoutMs.*must not exceed/);
  });

  it('allows cross-origin reads from anywhere and POST from nowhere by default', () => {
    const c = loadConfig();
    assert.deepEqual([...c.cors.origins], ['*']);
    assert.deepEqual([...c.cors.postOrigins], []);
    assert.deepEqual([...loadConfig({ env: { TUILERIE_CORS_POST_ORIGINS: 'https://a.fr' } }).cors.postOrigins], ['https://a.fr']);
  });
});

describe('closestName', () => {
  it('finds a one-letter typo', () => assert.equal(closestName('prot', ['port', 'host']), 'port'));
  it('gives nothing for an unrelated name', () => assert.equal(closestName('zzzzzzzz', ['port', 'host']), undefined));
});
