/**
 * An update leaves out an object whose signature did not change: equal inputs must give
 * equal signatures, and any change of what the tiler gets (an attribute, its key order, a
 * coordinate's last bit, layer, zooms, sort key, id, label grid, smallest size, the order
 * of the features) another one.
 */
import assert from 'node:assert/strict';
import type { Geometry } from '../../../../src/core/geometry.js';
import { seededRandom } from '../../../../src/core/seeded_random.js';
import { FeatureSignature } from '../../../../src/importer/update/feature_signature.js';
import type { OutputFeature } from '../../../../src/schema/profile.js';

interface Emitted { f: OutputFeature; layer: number; minzoom: number; maxzoom: number; geom: Geometry }

function signature(list: Emitted[]): number {
  const s = new FeatureSignature();
  for (const e of list) s.add(e.f, e.layer, e.minzoom, e.maxzoom, e.geom);
  return s.value();
}

function randomEmitted(r: () => number): Emitted {
  const coords = (n: number): Float64Array => Float64Array.from({ length: 2 * n }, () => r());
  const kind = Math.floor(r() * 3);
  const geom: Geometry = kind === 0 ? { type: 'point', coords: coords(1) } : kind === 1 ? { type: 'line', lines: [coords(4), coords(2)] } : { type: 'polygon', polygons: [[coords(5), coords(4)]] };
  return {
    f: { layer: 'x', geometry: 'line', minzoom: 0, maxzoom: 14, attrs: { class: 'primary', name: `Rue ${Math.floor(r() * 9)}`, rank: 3, oneway: true }, sortKey: 2, id: 1234, labelGrid: { sizePx: 64, limit: 2 }, minPixelSize: 1 },
    layer: Math.floor(r() * 10), minzoom: 4, maxzoom: 14, geom,
  };
}

function copy(e: Emitted): Emitted {
  const g = e.geom;
  const geom: Geometry = g.type === 'point' ? { type: 'point', coords: g.coords.slice() } : g.type === 'line' ? { type: 'line', lines: g.lines.map((l) => l.slice()) } : { type: 'polygon', polygons: g.polygons.map((p) => p.map((x) => x.slice())) };
  return { ...e, f: { ...e.f, attrs: { ...e.f.attrs }, labelGrid: e.f.labelGrid && { ...e.f.labelGrid } }, geom };
}

const edits: [string, (e: Emitted) => void][] = [
  ['an attribute value', (e) => { e.f.attrs.name = `${e.f.attrs.name}.`; }],
  ['a number for its string', (e) => { e.f.attrs.rank = '3'; }],
  ['attribute key order', (e) => { const { class: c, ...rest } = e.f.attrs; e.f.attrs = { ...rest, class: c }; }],
  ['an attribute gone', (e) => { delete e.f.attrs.oneway; }],
  ['the layer', (e) => { e.layer++; }],
  ['the first zoom', (e) => { e.minzoom++; }],
  ['the last zoom', (e) => { e.maxzoom--; }],
  ['the sort key', (e) => { e.f.sortKey = 2.5; }],
  ['the id', (e) => { e.f.id = undefined; }],
  ['the label grid', (e) => { e.f.labelGrid = { sizePx: 64, limit: 3 }; }],
  ['the smallest size', (e) => { e.f.minPixelSize = 2; }],
  ['a coordinate\'s last bit', (e) => {
    const g = e.geom;
    const c = g.type === 'point' ? g.coords : g.type === 'line' ? g.lines[1] : g.polygons[0][1];
    const bits = new BigUint64Array(c.buffer, c.byteOffset, c.length);
    bits[bits.length - 1] ^= 1n;
  }],
];

describe('update/feature_signature', () => {
  it('is the same for the same features and changes with any one thing the tiler gets (property)', () => {
    const r = seededRandom(52);
    for (let t = 0; t < 200; t++) {
      const list = Array.from({ length: 1 + Math.floor(r() * 3) }, () => randomEmitted(r));
      const sig = signature(list);
      assert.ok(Number.isSafeInteger(sig) && sig >= 0 && sig < 2 ** 52);
      assert.equal(signature(list.map(copy)), sig, 'equal inputs, equal signatures');
      for (const [what, edit] of edits) {
        const changed = list.map(copy);
        edit(changed[Math.floor(r() * changed.length)]);
        assert.notEqual(signature(changed), sig, `${what} changed, the signature did not`);
      }
      if (list.length > 1) assert.notEqual(signature([...list.slice(1), list[0]]), sig, 'the features in another order');
    }
  });
});
