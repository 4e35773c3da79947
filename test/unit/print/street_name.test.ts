import assert from 'node:assert/strict';
import { compareIndexNames, frenchIndexName, indexLetter, indexName } from '../../../src/print/street_name.js';

describe('print/street_name', () => {
  const cases: [string, string][] = [
    ['Rue de la Paix', 'Paix (Rue de la)'],
    ["Rue de l'Arsenal", "Arsenal (Rue de l')"],
    ['Rue du Sauvage', 'Sauvage (Rue du)'],
    ['Rue des Fleurs', 'Fleurs (Rue des)'],
    ["Rue d'Altkirch", "Altkirch (Rue d')"],
    ['Avenue Kennedy', 'Kennedy (Avenue)'],
    ['Boulevard du Président Roosevelt', 'Président Roosevelt (Boulevard du)'],
    ['Place de la Réunion', 'Réunion (Place de la)'],
  ];
  for (const [name, want] of cases) {
    it(`"${name}" is listed as "${want}"`, () => assert.equal(frenchIndexName(name), want));
  }
  it('a name without a type word, or a type word alone, is kept', () => {
    assert.equal(frenchIndexName('Grand-Rue'), 'Grand-Rue');
    assert.equal(frenchIndexName('Rue'), 'Rue');
  });
  it('German names are kept as they are', () => {
    assert.equal(indexName('Hauptstraße', 'de'), 'Hauptstraße');
    assert.equal(indexName('Rue de la Paix', 'de'), 'Rue de la Paix');
  });
  it('sorts with French collation: accented letters with their base letter', () => {
    const names = ['Fer (Rue du)', 'Écoles (Rue des)', 'Eau (Rue de l’)', 'église (Place de l’)', 'Zurich (Rue de)'];
    assert.deepEqual([...names].sort(compareIndexNames('fr')), ['Eau (Rue de l’)', 'Écoles (Rue des)', 'église (Place de l’)', 'Fer (Rue du)', 'Zurich (Rue de)']);
  });
  it('files accented initials under their base letter', () => {
    assert.equal(indexLetter('Écoles (Rue des)'), 'E');
    assert.equal(indexLetter('4e Division (Rue de la)'), '#');
  });
});
