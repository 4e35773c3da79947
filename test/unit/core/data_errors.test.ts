import assert from 'node:assert/strict';
import { DataErrors } from '../../../src/core/data_errors.js';

describe('DataErrors', () => {
  it('counts by code', () => {
    const e = new DataErrors();
    e.count('osm_missing_node');
    e.count('osm_missing_node', 4);
    e.count('osm_unclosed_ring');
    assert.equal(e.get('osm_missing_node'), 5);
    assert.equal(e.get('osm_unclosed_ring'), 1);
    assert.equal(e.get('osm_degenerate_ring'), 0);
    assert.equal(e.total, 6);
  });

  it('ignores zero and negative counts', () => {
    const e = new DataErrors();
    e.count('osm_missing_node', 0);
    e.count('osm_missing_node', -2);
    assert.deepEqual(e.entries(), []);
  });

  it('merges another DataErrors or a plain record', () => {
    const a = new DataErrors();
    a.count('osm_missing_node', 2);
    const b = new DataErrors();
    b.count('osm_missing_node', 3);
    b.count('osm_wrong_role');
    a.merge(b).merge({ osm_wrong_role: 2, custom_code: 1 });
    assert.deepEqual(a.toJSON(), { osm_missing_node: 5, osm_wrong_role: 3, custom_code: 1 });
  });

  it('summarises largest counts first on one line', () => {
    const e = new DataErrors();
    assert.equal(e.summary(), 'none');
    e.count('osm_unclosed_ring', 2);
    e.count('osm_missing_node', 133);
    assert.equal(e.summary(), 'osm_missing_node=133 osm_unclosed_ring=2');
  });
});
