import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load_config.js';
import { isTileserverGlConfig } from '../../../src/config/tileserver_gl_config.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/paths.js';
import { TILESERVER_GL_DOC_EXAMPLE } from '../../helpers/tileserver_gl_example.js';

const DOC_EXAMPLE = TILESERVER_GL_DOC_EXAMPLE;

describe('tileserver-gl config.json', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (obj: unknown) => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify(obj));
    const warnings: string[] = [];
    return { config: loadConfig({ file, onWarning: (w) => warnings.push(w) }), warnings };
  };

  it('is told apart from ours by its "options" or "data" key', () => {
    assert.equal(isTileserverGlConfig(DOC_EXAMPLE), true);
    assert.equal(isTileserverGlConfig({ data: {} }), true);
    assert.equal(isTileserverGlConfig({ sources: {}, styles: {} }), false);
  });

  it("the documentation's example loads: data and styles under its paths, serve_rendered and the image options mapped", () => {
    const { config } = load(DOC_EXAMPLE);
    assert.deepEqual(config.sources, { 'zurich-vector': { path: path.join(dir, 'data', 'zurich.mbtiles') } });
    assert.deepEqual(Object.keys(config.styles).sort(), ['basic', 'hybrid']);
    assert.equal(config.styles.basic.path, path.join(dir, 'styles', 'basic.json'));
    assert.equal(config.styles.basic.spritesDir, path.join(dir, 'sprites'));
    assert.equal(config.styles.basic.rendered, true);
    assert.equal(config.styles.hybrid.rendered, false);
    assert.equal(config.raster.maxPixels, 2048);
    assert.equal(config.raster.quality, 80);
  });

  it('warns once per option that does not apply, naming it', () => {
    const { warnings } = load(DOC_EXAMPLE);
    for (const key of ['options.paths.fonts', 'options.paths.icons', 'options.paths.files', 'options.domains', 'options.allowedHosts', 'options.maxScaleFactor', 'options.pbfAlias',
      'options.serveAllFonts', 'options.allowRemoteMarkerIcons', 'options.allowInlineMarkerImages', 'options.staticAttributionText', 'options.tileMargin',
      'options.formatOptions', 'styles.basic.tilejson', 'styles.hybrid.tilejson', 'styles.remote']) {
      assert.equal(warnings.filter((w) => w.includes(`${key}:`)).length, 1, `${key} in\n${warnings.join('\n')}`);
    }
    // what maps, or is the default, says nothing
    for (const key of ['options.paths.root', 'options.paths.styles', 'options.paths.mbtiles', 'options.paths.sprites', 'options.maxSize', 'options.serveStaticMaps', 'options.serveAllStyles', 'styles.hybrid.serve_rendered']) {
      assert.ok(!warnings.some((w) => w.includes(`${key}:`)), `${key} warned`);
    }
  });

  it('root is relative to the config file, the other paths to root; pmtiles URLs stay URLs; s3 is skipped with a warning', () => {
    const { config, warnings } = load({
      options: { paths: { root: 'srv', pmtiles: 'pm' } },
      data: { a: { pmtiles: 'a.pmtiles' }, b: { pmtiles: 'https://example.com/b.pmtiles' }, c: { pmtiles: 's3://bucket/c.pmtiles' }, d: { mbtiles: 'd.mbtiles', encoding: 'mapbox' } },
    });
    assert.equal(config.sources.a.path, path.join(dir, 'srv', 'pm', 'a.pmtiles'));
    assert.equal(config.sources.b.path, 'https://example.com/b.pmtiles');
    assert.equal(config.sources.d.path, path.join(dir, 'srv', 'd.mbtiles'));
    assert.equal(config.sources.c, undefined);
    assert.ok(warnings.some((w) => w.includes('data.c:') && w.includes('s3')));
    assert.ok(warnings.some((w) => w.includes('data.d.encoding:')));
  });

  it('serveAllStyles points stylesDir at its styles path; no data entries: archives are looked for in its mbtiles path', () => {
    const { config } = load({ options: { paths: { styles: 'st', mbtiles: 'tiles' }, serveAllStyles: true } });
    assert.equal(config.stylesDir, path.join(dir, 'st'));
    assert.equal(config.dataDir, path.join(dir, 'tiles'));
  });

  it('Tuilerie keys beside it are checked as usual, with the closest name', () => {
    assert.equal(load({ data: {}, publicUrl: 'https://tiles.example.org' }).config.publicUrl, 'https://tiles.example.org');
    assert.throws(() => load({ data: {}, publicURL: 'x' }), (e) => isTuilerieError(e, 'CONFIG_ERROR') && /did you mean "publicUrl"/.test((e as Error).message));
  });
});
