import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { legendRows, legendSize, renderLegendPng } from '../../../src/ogc/legend_graphic.js';
import { REPO_ROOT } from '../../helpers/paths.js';

const style = (id: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'styles', `${id}.json`), 'utf8')) as Record<string, unknown>;

describe('ogc/legend_graphic', () => {
  it('lists the symbols the style draws, in the colours of its layers', () => {
    const s = {
      version: 8, sources: {}, layers: [
        { id: 'water', type: 'fill', source: 'x', 'source-layer': 'water', paint: { 'fill-color': '#123456' } },
        { id: 'road_minor', type: 'line', source: 'x', 'source-layer': 'transportation', paint: { 'line-color': 'rgb(10,20,30)' } },
      ],
    };
    const rows = legendRows(s, 'fr');
    assert.deepEqual(rows.map((r) => [r.label, r.kind, r.color]), [['Rue', 'line', '#0a141e'], ['Eau', 'area', '#123456']]);
    assert.deepEqual(legendRows(s, 'de').map((r) => r.label), ['Straße', 'Wasser']);
  });

  it('a style without any of those symbols (the labels overlay) gets one row for its labels', () => {
    const rows = legendRows(style('labels'), 'fr');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].kind, 'text');
  });

  it('renders a PNG of the advertised size with the style colours in it', async () => {
    const s = style('bright');
    const rows = legendRows(s, 'fr');
    assert.ok(rows.length >= 5, `rows: ${rows.map((r) => r.label)}`);
    const png = await renderLegendPng(s, 'fr');
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [legendSize(rows).width, legendSize(rows).height]);
    const water = rows.find((r) => r.label === 'Eau')!.color;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(water.slice(i, i + 2), 16));
    let found = false;
    for (let i = 0; i < data.length && !found; i += info.channels) found = Math.abs(data[i] - r) <= 2 && Math.abs(data[i + 1] - g) <= 2 && Math.abs(data[i + 2] - b) <= 2;
    assert.ok(found, `the water swatch ${water} is drawn`);
  });
});
