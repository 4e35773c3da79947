import assert from 'node:assert/strict';
import { isArea } from '../../../src/importer/area_rules.js';

describe('importer/area rules', () => {
  it('makes closed buildings, landuse and water areas', () => {
    assert.equal(isArea({ building: 'yes' }, true), true);
    assert.equal(isArea({ landuse: 'forest' }, true), true);
    assert.equal(isArea({ natural: 'water' }, true), true);
  });
  it('never makes an open way an area', () => {
    assert.equal(isArea({ building: 'yes' }, false), false);
  });
  it('keeps closed roads, coastlines and tree rows as lines unless area=yes', () => {
    assert.equal(isArea({ highway: 'residential' }, true), false);
    assert.equal(isArea({ highway: 'pedestrian', area: 'yes' }, true), true);
    assert.equal(isArea({ natural: 'coastline' }, true), false);
    assert.equal(isArea({ natural: 'tree_row' }, true), false);
    assert.equal(isArea({ leisure: 'track' }, true), false);
  });
  it('honours area=no', () => {
    assert.equal(isArea({ building: 'yes', area: 'no' }, true), false);
  });
  it('uses value lists for keys that are lines by default', () => {
    assert.equal(isArea({ barrier: 'fence' }, true), false);
    assert.equal(isArea({ barrier: 'hedge' }, true), true);
    assert.equal(isArea({ waterway: 'river' }, true), false);
    assert.equal(isArea({ waterway: 'riverbank' }, true), true);
  });
});
