import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { archiveUrlSourceId, rewriteStyle } from '../../../src/styles/style_rewriter.js';
import { UPSTREAM_STYLES_DIR } from '../../helpers/paths.js';

const BASE = 'http://tiles.test';
const base = (style: Record<string, unknown>, extra: Partial<Parameters<typeof rewriteStyle>[1]> = {}) =>
  rewriteStyle(style, { baseUrl: BASE, styleId: 'bright', ...extra });
const layerStyle = (textField: unknown) => ({
  version: 8,
  sources: {},
  layers: [{ id: 'l', type: 'symbol', source: 's', 'source-layer': 'place', layout: { 'text-field': textField } }],
});
const textField = (doc: Record<string, unknown>) => ((doc.layers as Array<{ layout: Record<string, unknown> }>)[0].layout['text-field']);
const fr = ['coalesce', ['get', 'name:fr'], ['get', 'name'], ['get', 'name:latin']];

describe('style_rewriter', () => {
  describe('archiveUrlSourceId', () => {
    it('reads mbtiles://{id}', () => assert.equal(archiveUrlSourceId('mbtiles://{openmaptiles}'), 'openmaptiles'));
    it('reads mbtiles://id', () => assert.equal(archiveUrlSourceId('mbtiles://openmaptiles'), 'openmaptiles'));
    it('reads pmtiles://{id}', () => assert.equal(archiveUrlSourceId('pmtiles://{osm}'), 'osm'));
    it('reads tuilerie://data/id', () => assert.equal(archiveUrlSourceId('tuilerie://data/openmaptiles'), 'openmaptiles'));
    it('ignores http URLs', () => assert.equal(archiveUrlSourceId('https://api.maptiler.com/tiles/v3/tiles.json'), undefined));
  });

  describe('URLs', () => {
    it('points an mbtiles:// source at our TileJSON', () => {
      const out = base({ version: 8, sources: { omt: { type: 'vector', url: 'mbtiles://{mulhouse}' } }, layers: [] });
      assert.equal((out.sources as Record<string, { url: string }>).omt.url, `${BASE}/data/mulhouse.json`);
    });

    it('points a tuilerie://data source at our TileJSON', () => {
      const out = base({ version: 8, sources: { omt: { type: 'vector', url: 'tuilerie://data/openmaptiles' } }, layers: [] });
      assert.equal((out.sources as Record<string, { url: string }>).omt.url, `${BASE}/data/openmaptiles.json`);
    });

    it('points a remote vector source at the source the resolver picks', () => {
      const out = base({ version: 8, sources: { openmaptiles: { type: 'vector', url: 'https://api.maptiler.com/tiles/v3/tiles.json?key={key}' } }, layers: [] }, { resolveSource: () => 'mulhouse' });
      assert.equal((out.sources as Record<string, { url: string }>).openmaptiles.url, `${BASE}/data/mulhouse.json`);
    });

    it('keeps a remote source the resolver does not map', () => {
      const url = 'https://example.org/tiles.json';
      const out = base({ version: 8, sources: { x: { type: 'vector', url } }, layers: [] }, { resolveSource: () => undefined });
      assert.equal((out.sources as Record<string, { url: string }>).x.url, url);
    });

    it('leaves geojson sources alone', () => {
      const src = { type: 'geojson', data: 'https://example.org/x.geojson' };
      const out = base({ version: 8, sources: { g: src }, layers: [] }, { resolveSource: () => 'mulhouse' });
      assert.deepEqual((out.sources as Record<string, unknown>).g, src);
    });

    it('points remote glyphs at our font route', () => {
      const out = base({ version: 8, sources: {}, glyphs: 'https://api.maptiler.com/fonts/{fontstack}/{range}.pbf?key={key}', layers: [] });
      assert.equal(out.glyphs, `${BASE}/fonts/{fontstack}/{range}.pbf`);
    });

    it('expands tuilerie:// glyphs under the base URL', () => {
      const out = base({ version: 8, sources: {}, glyphs: 'tuilerie://fonts/{fontstack}/{range}.pbf', layers: [] });
      assert.equal(out.glyphs, `${BASE}/fonts/{fontstack}/{range}.pbf`);
    });

    it('points the sprite at the style sprite route', () => {
      const out = base({ version: 8, sources: {}, sprite: 'https://openmaptiles.github.io/osm-bright-gl-style/sprite', layers: [] });
      assert.equal(out.sprite, `${BASE}/styles/bright/sprite`);
    });

    it('does not mutate its input', () => {
      const style = { version: 8, sources: { omt: { type: 'vector', url: 'mbtiles://{a}' } }, layers: [] };
      const copy = JSON.parse(JSON.stringify(style));
      base(style, { lang: 'fr' });
      assert.deepEqual(style, copy);
    });
  });

  describe('labels (?lang)', () => {
    it('turns {name:latin} into name:xx with fallback to name', () => {
      assert.deepEqual(textField(base(layerStyle('{name:latin}'), { lang: 'fr' })), fr);
    });

    it('drops the non-latin line of "{name:latin}\\n{name:nonlatin}"', () => {
      assert.deepEqual(textField(base(layerStyle('{name:latin}\n{name:nonlatin}'), { lang: 'fr' })), fr);
    });

    it('keeps literal text around a name token', () => {
      assert.deepEqual(textField(base(layerStyle('Ville de {name}'), { lang: 'de' })), ['concat', 'Ville de ', ['coalesce', ['get', 'name:de'], ['get', 'name'], ['get', 'name:latin']]]);
    });

    it('rewrites name_en and name_int tokens', () => {
      assert.deepEqual(textField(base(layerStyle('{name_en}'), { lang: 'fr' })), fr);
      assert.deepEqual(textField(base(layerStyle('{name_int}'), { lang: 'fr' })), fr);
    });

    it('leaves {ref} and {housenumber} alone', () => {
      assert.equal(textField(base(layerStyle('{ref}'), { lang: 'fr' })), '{ref}');
    });

    it('rewrites ["get","name:latin"] in expressions', () => {
      assert.deepEqual(textField(base(layerStyle(['to-string', ['get', 'name:latin']]), { lang: 'fr' })), ['to-string', fr]);
    });

    it('drops the non-latin part of a concat expression with its separator', () => {
      const out = textField(base(layerStyle(['concat', ['get', 'name:latin'], '\n', ['get', 'name:nonlatin']]), { lang: 'fr' }));
      assert.deepEqual(out, ['to-string', fr]);
    });

    it('turns a zoom function into a step expression', () => {
      const out = textField(base(layerStyle({ stops: [[3, '{name:latin}'], [8, '{name}\n{ref}']] }), { lang: 'fr' }));
      assert.deepEqual(out, ['step', ['zoom'], fr, 8, ['concat', fr, '\n', ['to-string', ['get', 'ref']]]]);
    });

    it('changes no label without lang', () => {
      assert.equal(textField(base(layerStyle('{name:latin}'))), '{name:latin}');
    });
  });

  describe('upstream OpenMapTiles styles', () => {
    const names = fs.readdirSync(UPSTREAM_STYLES_DIR).filter((n) => fs.existsSync(path.join(UPSTREAM_STYLES_DIR, n, 'style.json')));
    for (const name of names) {
      it(`${name}: stays a valid style after rewriting with lang=de`, () => {
        const style = JSON.parse(fs.readFileSync(path.join(UPSTREAM_STYLES_DIR, name, 'style.json'), 'utf8'));
        const out = rewriteStyle(style, { baseUrl: BASE, styleId: name, lang: 'de', resolveSource: () => 'mulhouse' });
        assert.deepEqual(validateStyleMin(out as never).map((e) => e.message), []);
        assert.ok(!JSON.stringify(out).includes('maptiler.com'), 'no MapTiler URL left');
        const layers = JSON.stringify(out.layers);
        const count = (needle: string) => layers.split(needle).length - 1;
        assert.ok(!layers.includes('{name:latin}'), 'no {name:latin} token left');
        assert.ok(count('["coalesce",["get","name:de"],["get","name"]') > 0, 'labels use name:de');
        assert.equal(count('["get","name:latin"]'), count('["coalesce",["get","name:de"]'), 'name:latin only as the last fallback');
      });
    }
  });
});
