import { strict as assert } from 'node:assert';
import { isLatin, omtNames } from '../../../src/schema/omt_names.js';

describe('omtNames', () => {
  it('writes name, name_en, name_de and every name:xx of a bilingual Alsatian place', () => {
    const n = omtNames({ name: 'Mulhouse', 'name:fr': 'Mulhouse', 'name:de': 'Mülhausen', 'name:gsw': 'Mìlhüsa', 'name:als': 'Milhüsa' });
    assert.equal(n.name, 'Mulhouse');
    assert.equal(n.name_de, 'Mülhausen');
    assert.equal(n['name:fr'], 'Mulhouse');
    assert.equal(n['name:de'], 'Mülhausen');
    assert.equal(n['name:gsw'], 'Mìlhüsa');
    assert.equal(n['name:als'], 'Milhüsa');
  });

  it('falls back to name for name_en, name_int and name:latin', () => {
    const n = omtNames({ name: 'Colmar' });
    assert.equal(n.name_en, 'Colmar');
    assert.equal(n.name_int, 'Colmar');
    assert.equal(n['name:latin'], 'Colmar');
    assert.equal(n['name:nonlatin'], undefined);
  });

  it('puts a non-Latin name in name:nonlatin and a Latin translation in name:latin', () => {
    const n = omtNames({ name: 'Москва', 'name:en': 'Moscow' });
    assert.equal(n['name:nonlatin'], 'Москва');
    assert.equal(n['name:latin'], 'Moscow');
  });

  it('uses a Latin translation for name_int when the name is not Latin', () => {
    const n = omtNames({ name: 'Αθήνα', 'name:fr': 'Athènes' });
    assert.equal(n.name_int, 'Athènes');
    assert.equal(n['name:latin'], 'Athènes');
  });

  it('keeps only the non-Latin part of a mixed name in name:nonlatin', () => {
    assert.equal(omtNames({ name: 'Tokyo 東京' })['name:nonlatin'], '東京');
  });

  it('ignores name:xx keys that are not languages', () => {
    const n = omtNames({ name: 'X', 'name:left': 'A', 'name:etymology:wikidata': 'Q1' });
    assert.equal(n['name:left'], undefined);
    assert.equal(n['name:etymology:wikidata'], undefined);
  });

  it('returns nothing for an unnamed object', () => {
    assert.deepEqual(omtNames({ highway: 'residential' }), {});
  });

  it('tells Latin from non-Latin scripts', () => {
    assert.equal(isLatin('Straße 12'), true);
    assert.equal(isLatin('東京'), false);
  });
});
