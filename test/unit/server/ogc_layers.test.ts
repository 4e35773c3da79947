import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isOpaqueStyle } from '../../../src/server/ogc_layers.js';
import { REPO_ROOT } from '../../helpers/paths.js';

describe('server/ogc_layers', () => {
  it('our styles are opaque but the labels overlay', () => {
    for (const id of ['bright', 'light', 'dark', 'nolabels', 'labels', 'print']) {
      const style = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'styles', `${id}.json`), 'utf8')) as Record<string, unknown>;
      assert.equal(isOpaqueStyle(style), id !== 'labels', id);
    }
  });

  it('a hidden, transparent or zero-opacity background does not make a style opaque', () => {
    const bg = (l: Record<string, unknown>) => ({ layers: [{ id: 'bg', type: 'background', ...l }] });
    assert.equal(isOpaqueStyle(bg({ paint: { 'background-color': '#fff' } })), true);
    assert.equal(isOpaqueStyle(bg({ layout: { visibility: 'none' } })), false);
    assert.equal(isOpaqueStyle(bg({ paint: { 'background-opacity': 0 } })), false);
    assert.equal(isOpaqueStyle(bg({ paint: { 'background-color': 'rgba(0, 0, 0, 0)' } })), false);
    assert.equal(isOpaqueStyle({ layers: [] }), false);
  });
});
