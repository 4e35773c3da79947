import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cssColorToHex, legendFromStyle } from '../../../src/styles/style_legend.js';
import { UPSTREAM_STYLES_DIR } from '../../helpers/paths.js';

describe('styles/style_legend', () => {
  it('reads CSS colours as hex, alpha blended onto white', () => {
    assert.equal(cssColorToHex('#fea'), '#ffeeaa');
    assert.equal(cssColorToHex('rgba(0, 0, 0, 0.5)'), '#808080');
    assert.equal(cssColorToHex('hsl(0, 100%, 50%)'), '#ff0000');
    assert.equal(cssColorToHex('not a colour'), undefined);
  });
  it('takes the water and building colours from the style', () => {
    const style = JSON.parse(fs.readFileSync(path.join(UPSTREAM_STYLES_DIR, 'osm-bright', 'style.json'), 'utf8'));
    const items = legendFromStyle(style);
    const water = items.find((i) => i.label.fr === 'Eau')!;
    const building = items.find((i) => i.label.fr === 'Bâtiment')!;
    assert.equal(water.color, cssColorToHex('hsl(210, 67%, 85%)'));
    assert.equal(building.color, '#dfdbd7');
  });
});
