import assert from 'node:assert/strict';
import { buildPoiIndex, buildStreetIndex, formatSquares } from '../../../src/print/plan_index.js';
import { makeGrid } from '../../../src/print/plan_grid.js';
import type { DecodedFeature } from '../../../src/print/tile_features.js';

const grid = makeGrid({ x0: 0, y0: 0, x1: 3, y1: 2 }, { widthMm: 300, heightMm: 200 }, 100);
const street = (name: string, line: [number, number][], cls = 'minor'): DecodedFeature => ({ layer: 'transportation_name', type: 2, properties: { name, class: cls }, geometry: [line] });
const poi = (name: string, props: Record<string, string>, at: [number, number]): DecodedFeature => ({ layer: 'poi', type: 1, properties: { name, ...props }, geometry: [[at]] });

describe('print/plan_index', () => {
  it('groups the pieces of a street by name and lists the squares of all of them, column first', () => {
    const idx = buildStreetIndex([street('Rue de la Paix', [[0.5, 0.5], [1.5, 0.5]]), street('Rue de la Paix', [[2.5, 1.5], [2.6, 1.6]])], grid, 'fr');
    assert.equal(idx.length, 1);
    assert.equal(idx[0].label, 'Paix (Rue de la)');
    assert.equal(formatSquares(idx[0].squares), 'A1, B1, C2');
  });
  it('sorts by the listed name with French collation', () => {
    const idx = buildStreetIndex([street('Rue Zurich', [[0.5, 0.5], [0.6, 0.5]]), street('Avenue Émile Zola', [[0.5, 0.5], [0.6, 0.5]]), street('Rue des Écoles', [[0.5, 0.5], [0.6, 0.5]])], grid, 'fr');
    assert.deepEqual(idx.map((e) => e.label), ['Écoles (Rue des)', 'Émile Zola (Avenue)', 'Zurich (Rue)']);
  });
  it('leaves out railways and streets outside the frame', () => {
    const idx = buildStreetIndex([street('Ligne 1', [[0.5, 0.5], [1.5, 0.5]], 'transit'), street('Rue Loin', [[5, 5], [6, 6]])], grid, 'fr');
    assert.equal(idx.length, 0);
  });
  it('uses the name in the plan language when the data has one', () => {
    const f = street('Rue du Sauvage', [[0.5, 0.5], [0.6, 0.5]]);
    f.properties['name:de'] = 'Wildemannsgasse';
    assert.equal(buildStreetIndex([f], grid, 'de')[0].label, 'Wildemannsgasse');
  });
  it('lists notable places by category with their square, skipping other POIs', () => {
    const cats = buildPoiIndex([
      poi('Mulhouse', { class: 'town_hall', subclass: 'townhall' }, [2.5, 0.5]),
      poi('Centre socio-culturel', { class: 'town_hall', subclass: 'community_centre' }, [0.5, 0.5]),
      poi('Gare', { class: 'railway', subclass: 'station' }, [0.5, 1.5]),
      poi('Porte Jeune', { class: 'railway', subclass: 'tram_stop' }, [0.5, 1.5]),
      poi('Temple Saint-Étienne', { class: 'place_of_worship', subclass: 'christian' }, [1.5, 1.5]),
    ], grid, 'fr');
    assert.deepEqual(cats.map((c) => [c.id, c.entries.map((e) => `${e.label} ${formatSquares(e.squares)}`)]), [
      ['town_hall', ['Mulhouse C1']],
      ['station', ['Gare A2']],
      ['worship', ['Temple Saint-Étienne B2']],
    ]);
  });
});
