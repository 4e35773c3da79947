/**
 * Catalog.sourcesOf is asked on every raster request (through dataVersion): it
 * is kept per style entry and source-registry generation, and must follow a
 * source that is reopened, added or closed, and a style that is re-read.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MemoryTileCache } from '../../../src/cache/memory_tile_cache.js';
import { silentLogger } from '../../../src/core/logger.js';
import { Catalog } from '../../../src/server/catalog.js';
import { tempDir } from '../../helpers/paths.js';
import { FakeTileSource, VECTOR_META } from './fake_tile_source.js';

describe('Catalog.sourcesOf', () => {
  let dir: string;
  let files: Map<string, FakeTileSource>;
  let catalog: Catalog;
  let stylePath: string;
  beforeEach(async () => {
    dir = tempDir('tuilerie-catalog-sources-');
    files = new Map([['/a.mbtiles', new FakeTileSource(VECTOR_META, 'a1')]]);
    catalog = new Catalog({
      cache: new MemoryTileCache({ maxBytes: 1 << 20 }),
      logger: silentLogger,
      open: async (p) => {
        const s = files.get(p);
        if (!s) throw new Error(`cannot open ${p}`);
        return s;
      },
    });
    // "main" names source a; "extra" has no URL: resolved by its name when such a source exists, else the first vector source
    stylePath = path.join(dir, 'style.json');
    fs.writeFileSync(stylePath, JSON.stringify({ version: 8, sources: { main: { type: 'vector', url: 'mbtiles://a' }, extra: { type: 'vector', tiles: [] } }, layers: [] }));
    await catalog.open({ sources: { a: { path: '/a.mbtiles' } }, styles: { s: { path: stylePath, aliases: [], source: '' } }, watch: false } as never);
  });
  afterEach(async () => {
    await catalog.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ids = () => catalog.sourcesOf(catalog.styles.require('s')).map((s) => `${s.id}:${s.version}`);

  it('scans the style once for many requests while nothing changes', () => {
    const entry = catalog.styles.require('s');
    let lookups = 0;
    const get = catalog.sources.get.bind(catalog.sources);
    catalog.sources.get = (id) => { lookups++; return get(id); };
    const first = catalog.sourcesOf(entry);
    const once = lookups;
    assert.ok(once > 0);
    for (let i = 0; i < 100; i++) assert.equal(catalog.sourcesOf(entry), first);
    for (let i = 0; i < 100; i++) catalog.dataVersion(entry);
    assert.equal(lookups, once);
  });

  it('follows a source reopened with new data, and the data version with it', async () => {
    assert.deepEqual(ids(), ['a:a1']);
    const before = catalog.dataVersion(catalog.styles.require('s'));
    files.set('/a.mbtiles', new FakeTileSource(VECTOR_META, 'a2'));
    // the source alone, as the watcher does: the style entry stays the same
    assert.equal(await catalog.sources.reload('a'), true);
    assert.deepEqual(ids(), ['a:a2']);
    assert.notEqual(catalog.dataVersion(catalog.styles.require('s')), before);
  });

  it('follows a source added later that the style resolves to', async () => {
    assert.deepEqual(ids(), ['a:a1']);
    files.set('/extra.mbtiles', new FakeTileSource(VECTOR_META, 'e1'));
    await catalog.sources.add('extra', '/extra.mbtiles');
    assert.deepEqual(ids(), ['a:a1', 'extra:e1']);
  });

  it('follows a style re-read with other sources', async () => {
    assert.deepEqual(ids(), ['a:a1']);
    files.set('/b.mbtiles', new FakeTileSource(VECTOR_META, 'b1'));
    await catalog.sources.add('b', '/b.mbtiles');
    fs.writeFileSync(stylePath, JSON.stringify({ version: 8, sources: { main: { type: 'vector', url: 'mbtiles://b' } }, layers: [] }));
    await catalog.styles.reloadAll();
    assert.deepEqual(ids(), ['b:b1']);
  });

  it('is empty once the sources are closed', async () => {
    assert.deepEqual(ids(), ['a:a1']);
    await catalog.sources.closeAll();
    assert.deepEqual(ids(), []);
  });
});
