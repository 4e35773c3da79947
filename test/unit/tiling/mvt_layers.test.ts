import assert from 'node:assert/strict';
import { encodeMvt, type MvtLayer } from '../../../src/tiling/mvt_encoder.js';
import { mvtLayerMessages } from '../../../src/tiling/mvt_layers.js';

function layer(name: string, n: number): MvtLayer {
  return {
    name, extent: 4096,
    features: Array.from({ length: n }, (_, i) => ({ id: i + 1, type: 2 as const, geometry: [Int32Array.from([i, 0, i + 10, 300 + i])], properties: { class: `c${i % 3}`, rank: i } })),
  };
}

describe('tiling/mvt_layers', () => {
  it('splits a tile into its layer messages: each encodes alone to the same bytes, and together they are the tile', () => {
    const layers = [layer('water', 3), layer('transportation_name', 40), layer('poi', 1)];
    const tile = encodeMvt(layers);
    const parts = mvtLayerMessages(tile);
    assert.deepEqual([...parts.keys()], ['water', 'transportation_name', 'poi']);
    layers.forEach((l) => assert.ok(Buffer.from(parts.get(l.name)!).equals(encodeMvt([l])), l.name));
    assert.ok(Buffer.concat([...parts.values()]).equals(tile));
    assert.equal(mvtLayerMessages(new Uint8Array(0)).size, 0);
  });

  it('refuses a truncated tile or another top-level field, with BAD_INPUT', () => {
    const tile = encodeMvt([layer('water', 5)]);
    assert.throws(() => mvtLayerMessages(tile.subarray(0, tile.length - 3)), { code: 'BAD_INPUT' });
    assert.throws(() => mvtLayerMessages(Buffer.from([0x08, 0x01])), { code: 'BAD_INPUT' });
  });
});
