import assert from 'node:assert/strict';
import { addBanded, inZoomOrder, type ZoomBand } from '../../../src/schema/zoom_bands.js';
import type { FeatureCollector, OutputFeature } from '../../../src/schema/profile.js';

function collect(bands: ZoomBand[], minzoom = 0, maxzoom = 14): OutputFeature[] {
  const out: OutputFeature[] = [];
  const c = { add: (f: OutputFeature) => { out.push(f); } } as FeatureCollector;
  addBanded(c, { layer: 'l', geometry: 'line', minzoom, maxzoom, attrs: { base: 1 } }, bands);
  return out;
}

/** A seeded generator (mulberry32): property cases that repeat. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('schema/zoom_bands', () => {
  it('inZoomOrder: true exactly when a stable sort by fromZoom keeps the bands as they are (property)', () => {
    const r = rng(13);
    for (let n = 0; n < 500; n++) {
      const bands = Array.from({ length: Math.floor(r() * 5) }, (_, i) => ({ fromZoom: Math.floor(r() * 6), attrs: { i } }));
      const sorted = [...bands].sort((a, b) => a.fromZoom - b.fromZoom);
      assert.equal(inZoomOrder(bands), sorted.every((b, i) => b === bands[i]), JSON.stringify(bands));
    }
  });

  it('writes bands given out of zoom order as it writes them in order (property)', () => {
    const r = rng(7);
    for (let n = 0; n < 300; n++) {
      const bands = Array.from({ length: 1 + Math.floor(r() * 4) }, () => ({
        fromZoom: Math.floor(r() * 16), attrs: { a: r() < 0.5 ? undefined : Math.floor(r() * 3), b: r() < 0.3 ? '' : 'x' },
      }));
      const minzoom = Math.floor(r() * 10), maxzoom = minzoom + Math.floor(r() * 6);
      const sorted = [...bands].sort((a, b) => a.fromZoom - b.fromZoom);
      assert.deepEqual(collect(bands, minzoom, maxzoom), collect(sorted, minzoom, maxzoom));
    }
  });

  it('folds consecutive bands with the same attributes into one', () => {
    const out = collect([{ fromZoom: 0, attrs: { a: 1 } }, { fromZoom: 5, attrs: { a: 1 } }, { fromZoom: 9, attrs: { b: 'x' } }]);
    assert.deepEqual(out.map((f) => [f.minzoom, f.maxzoom, f.attrs]), [[0, 8, { base: 1, a: 1 }], [9, 14, { base: 1, a: 1, b: 'x' }]]);
  });
});
