/**
 * Labels of our styles evaluated by the style spec's own expression engine:
 * bilingual place names in bright, the server's `?lang=` rewrite on top of
 * them, and the aliases partners use resolving to our styles.
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { createExpression, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { rewriteStyle } from '../../../src/styles/style_rewriter.js';
import { StyleRegistry } from '../../../src/server/style_registry.js';
import { silentLogger } from '../../../src/core/logger.js';
import { REPO_ROOT } from '../../helpers/paths.js';

type Layer = { id: string; layout?: Record<string, unknown> };
type Style = Record<string, unknown> & { layers: Layer[] };

const STYLES_DIR = path.join(REPO_ROOT, 'styles');
const load = (id: string): Style => JSON.parse(fs.readFileSync(path.join(STYLES_DIR, `${id}.json`), 'utf8')) as Style;

const MULHOUSE = { name: 'Mulhouse', 'name:fr': 'Mulhouse', 'name:de': 'Mülhausen' };
const BASEL = { name: 'Basel', 'name:fr': 'Bâle', 'name:de': 'Basel' };
const WEHR = { name: 'Wehr', 'name:de': 'Wehr' };

/** The text a layer's text-field gives a place with these properties at this zoom. */
function label(style: Style, layerId: string, zoom: number, properties: Record<string, string>): string {
  const layer = style.layers.find((l) => l.id === layerId);
  assert.ok(layer, `no layer ${layerId}`);
  const parsed = createExpression(layer.layout?.['text-field'], {
    type: 'string', 'property-type': 'data-driven', expression: { interpolated: false, parameters: ['zoom', 'feature'] },
  } as never);
  assert.equal(parsed.result, 'success', JSON.stringify(parsed.value));
  const value = (parsed.value as { evaluate(g: { zoom: number }, f: unknown): unknown }).evaluate({ zoom }, { type: 1, properties, geometry: [] });
  return String(value);
}

describe('place labels of our styles', () => {
  it('bright: "Basel / Bâle" for a German-named place with a different French name', () => {
    assert.equal(label(load('bright'), 'place-city', 9, BASEL), 'Basel / Bâle');
  });

  it('bright: "Mulhouse / Mülhausen" for a French-named place with a different German name', () => {
    assert.equal(label(load('bright'), 'place-city', 11, MULHOUSE), 'Mulhouse / Mülhausen');
  });

  it('bright: the local name only for a place without both languages', () => {
    assert.equal(label(load('bright'), 'place-town', 9, WEHR), 'Wehr');
  });

  it('bright: the local name only from z13, where the map is about streets', () => {
    assert.equal(label(load('bright'), 'place-city', 14, MULHOUSE), 'Mulhouse');
  });

  it('light keeps local names at every zoom', () => {
    assert.equal(label(load('light'), 'place-city', 9, MULHOUSE), 'Mulhouse');
  });

  it('bright with ?lang=de (server rewrite): the German name alone', () => {
    const de = rewriteStyle(load('bright'), { baseUrl: 'http://x', styleId: 'bright', lang: 'de' }) as Style;
    assert.equal(label(de, 'place-city', 9, MULHOUSE), 'Mülhausen');
  });

  it('bright with ?lang=fr (server rewrite): the French name alone', () => {
    const fr = rewriteStyle(load('bright'), { baseUrl: 'http://x', styleId: 'bright', lang: 'fr' }) as Style;
    assert.equal(label(fr, 'place-city', 9, BASEL), 'Bâle');
  });

  for (const id of ['bright', 'print', 'labels']) {
    it(`${id} rewritten for ?lang=de is still a valid style`, () => {
      const de = rewriteStyle(load(id), { baseUrl: 'http://x', styleId: id, lang: 'de' });
      assert.deepEqual(validateStyleMin(de as never).map((e) => e.message), []);
    });
  }

  it('with ?lang=fr a place without name:fr falls back to its local name', () => {
    const fr = rewriteStyle(load('bright'), { baseUrl: 'http://x', styleId: 'bright', lang: 'fr' }) as Style;
    assert.equal(label(fr, 'place-town', 9, WEHR), 'Wehr');
  });
});

describe('style aliases partners use', () => {
  async function registry(): Promise<StyleRegistry> {
    const r = new StyleRegistry(silentLogger);
    for (const f of fs.readdirSync(STYLES_DIR).filter((n) => n.endsWith('.json'))) {
      await r.add(f.slice(0, -5), { path: path.join(STYLES_DIR, f), aliases: [], source: '' });
    }
    return r;
  }

  const ALIASES: Array<[string, string]> = [['osm-default', 'bright'], ['faded', 'light'], ['grey', 'light'], ['pure', 'nolabels'], ['overlay', 'labels']];
  for (const [alias, id] of ALIASES) {
    it(`${alias} resolves to ${id}`, async () => assert.equal((await registry()).get(alias)?.id, id));
  }

  it('an alias from the config wins over one in style metadata', async () => {
    const r = new StyleRegistry(silentLogger);
    await r.add('mine', { path: path.join(STYLES_DIR, 'dark.json'), aliases: ['grey'], source: '' });
    await r.add('light', { path: path.join(STYLES_DIR, 'light.json'), aliases: [], source: '' });
    assert.equal(r.get('grey')?.id, 'mine');
  });
});
