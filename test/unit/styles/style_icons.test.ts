/**
 * Icons of our styles: chosen by `match` over names our sprite has (no `image`/`coalesce` fallbacks, which race
 * the sprite in MapLibre), checked when the styles are generated; POIs with neither an icon nor a name draw nothing.
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { featureFilter, expression, type FilterSpecification, type StylePropertySpecification } from '@maplibre/maplibre-gl-style-spec';
import { checkIcons, iconNamesOf, ourSpriteNames } from '../../../scripts/build_styles.js';
import { buildSprite } from '../../../src/styles/sprite_builder.js';
import { REPO_ROOT } from '../../helpers/paths.js';

interface Layer { id: string; filter?: unknown; layout?: Record<string, unknown> }
const load = (id: string): Layer[] => (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'styles', `${id}.json`), 'utf8')) as { layers: Layer[] }).layers;
const poiLayer = (id: string): Layer => load(id).find((l) => l.id === 'poi')!;

function iconOf(layer: Layer, properties: Record<string, string | number>): string {
  const spec = { type: 'resolvedImage', 'property-type': 'data-driven', expression: { parameters: ['zoom', 'feature'] } } as unknown as StylePropertySpecification;
  const e = expression.createPropertyExpression(layer.layout!['icon-image'] as never, `layers.${layer.id}.layout.icon-image`, spec);
  if (e.result !== 'success') throw new Error(JSON.stringify(e.value));
  const v = e.value.evaluate({ zoom: 16 }, { type: 'Point', properties } as never);
  return String(v ?? '');
}

function drawn(layer: Layer, properties: Record<string, string | number>): boolean {
  return featureFilter(layer.filter as FilterSpecification, `layers.${layer.id}.filter`).filter({ zoom: 16 }, { type: 1, properties } as never);
}

describe('icons of our styles', () => {
  it('the generator knows exactly the names of the sprite we build', async () => {
    const require = createRequire(path.join(REPO_ROOT, 'package.json'));
    const makiDir = path.join(path.dirname(require.resolve('@mapbox/maki/package.json')), 'icons');
    const built = Object.keys((await buildSprite({ makiDir, pixelRatio: 1 })).index).sort();
    assert.deepEqual([...ourSpriteNames()].sort(), built);
  });

  it('refuses image and coalesce fallbacks in icon-image', () => {
    assert.throws(() => iconNamesOf(['coalesce', ['image', 'cafe_11'], ['image', 'circle-11']], 'x'), /coalesce/);
    assert.throws(() => iconNamesOf(['image', 'cafe_11'], 'x'), /image/);
    assert.deepEqual(iconNamesOf(['match', ['get', 'class'], 'cafe', 'cafe_11', ['bar', 'pub'], 'bar_11', ''], 'x'), ['cafe_11', 'bar_11']);
  });

  it('fails the build when a layer names an icon the sprite lacks', () => {
    const layers = [{ id: 'poi', layout: { 'icon-image': ['match', ['get', 'class'], 'cafe', 'cafe_11', 'no_such_icon'] } }];
    assert.throws(() => checkIcons('test', layers, new Set(['cafe_11'])), /no_such_icon/);
    assert.doesNotThrow(() => checkIcons('test', layers, new Set(['cafe_11', 'no_such_icon'])));
  });

  for (const id of ['bright', 'light', 'dark', 'print']) {
    it(`${id}: POIs get the icon of their subclass, else of their class, else none`, () => {
      const poi = poiLayer(id);
      assert.equal(iconOf(poi, { class: 'place_of_worship', subclass: 'christian' }), 'place_of_worship_11');
      assert.equal(iconOf(poi, { class: 'attraction', subclass: 'artwork' }), 'attraction_11');
      assert.equal(iconOf(poi, { class: 'shop', subclass: 'bakery' }), 'bakery_11');
      assert.equal(iconOf(poi, { class: 'brownfield', subclass: 'brownfield' }), '');
    });

    it(`${id}: an unnamed POI without an icon of its own draws nothing; named, or with an icon, it is drawn`, () => {
      const poi = poiLayer(id);
      assert.equal(drawn(poi, { class: 'brownfield', subclass: 'brownfield', rank: 5 }), false);
      assert.equal(drawn(poi, { class: 'brownfield', subclass: 'brownfield', rank: 5, name: 'Friche DMC' }), true);
      assert.equal(drawn(poi, { class: 'cafe', subclass: 'cafe', rank: 5 }), true);
    });
  }
});
