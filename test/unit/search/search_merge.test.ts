import assert from 'node:assert/strict';
import { foldText } from '../../../src/core/text_fold.js';
import { communeOfTownHall } from '../../../src/search/search_index_builder.js';
import { mergePieces } from '../../../src/search/search_merge.js';
import type { SearchPiece } from '../../../src/search/search_pieces.js';
import { photonFeatureCollection } from '../../../src/search/photon_geojson.js';

function piece(over: Partial<SearchPiece> & { minx: number }): SearchPiece {
  const base = { key: 'street|rue du sauvage', type: 'street' as const, osmKey: 'highway', osmValue: 'residential', name: 'Rue du Sauvage', nameFr: '', nameDe: '', street: '', housenumber: '', importance: 0.5, miny: 47.74, maxx: over.minx + 0.001, maxy: 47.741 };
  const p = { ...base, ...over } as SearchPiece;
  return { ...p, px: over.px ?? (p.minx + p.maxx) / 2, py: over.py ?? (p.miny + p.maxy) / 2 };
}

describe('search/search_merge', () => {
  it('pieces of one street in neighbouring tiles become one entry spanning them all', () => {
    const out = [...mergePieces([piece({ minx: 7.330 }), piece({ minx: 7.331 }), piece({ minx: 7.3325 })])];
    assert.equal(out.length, 1);
    assert.deepEqual([out[0].pieces, out[0].minx, out[0].maxx], [3, 7.33, 7.3335]);
  });

  it('two streets of the same name far apart stay two; another name is another entry', () => {
    const out = [...mergePieces([piece({ minx: 7.33 }), piece({ minx: 7.5 }), piece({ minx: 7.33, key: 'street|rue x', name: 'Rue X' })])];
    assert.equal(out.length, 3);
  });

  it('every entry point lies inside its extent, and every piece lies inside its entry (random pieces)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const pieces = Array.from({ length: 300 }, () => piece({ minx: 7 + rnd() * 0.2, key: `street|${Math.floor(rnd() * 5)}` }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.minx - b.minx));
    const out = [...mergePieces(pieces)];
    assert.equal(out.reduce((n, e) => n + e.pieces, 0), pieces.length);
    for (const e of out) assert.ok(e.minx <= e.px && e.px <= e.maxx && e.miny <= e.py && e.py <= e.maxy);
    for (const p of pieces) assert.ok(out.some((e) => e.key === p.key && e.minx <= p.minx && p.maxx <= e.maxx), 'covered');
  });
});

describe('search text', () => {
  it('folds accents, case, ß and punctuation', () => {
    assert.equal(foldText("Rue de l'Église-Saint-Étienne"), 'rue de l eglise saint etienne');
    assert.equal(foldText('Große Straße'), 'grosse strasse');
  });

  it('reads the commune of a town hall name', () => {
    assert.equal(communeOfTownHall('Mulhouse'), 'Mulhouse');
    assert.equal(communeOfTownHall('Mairie de Lutterbach'), 'Lutterbach');
    assert.equal(communeOfTownHall("Mairie d'Illzach"), 'Illzach');
    assert.equal(communeOfTownHall('Rathaus Weil am Rhein'), 'Weil am Rhein');
    assert.equal(communeOfTownHall('Mairie'), '');
  });

  it('answers Photon GeoJSON: extent as [minLon, maxLat, maxLon, minLat], no name for a house', () => {
    const fc = photonFeatureCollection([
      { type: 'street', osmKey: 'highway', osmValue: 'residential', name: 'Rue A', street: '', housenumber: '', city: 'Mulhouse', district: '', lon: 7.3, lat: 47.7, bbox: [7.2, 47.6, 7.4, 47.8], score: 1 },
      { type: 'house', osmKey: 'place', osmValue: 'house', name: 'Rue A 3', street: 'Rue A', housenumber: '3', city: 'Mulhouse', district: '', lon: 7.3, lat: 47.7, bbox: [7.3, 47.7, 7.3, 47.7], score: 1 },
    ]) as { features: { properties: Record<string, unknown> }[] };
    assert.deepEqual(fc.features[0].properties.extent, [7.2, 47.8, 7.4, 47.6]);
    assert.deepEqual([fc.features[1].properties.name, fc.features[1].properties.street, fc.features[1].properties.housenumber, fc.features[1].properties.type], [undefined, 'Rue A', '3', 'house']);
  });
});
