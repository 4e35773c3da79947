import assert from 'node:assert/strict';
import { TileEncodePool } from '../../../src/importer/tile_encode_pool.js';
import { OpenMapTilesProfile } from '../../../src/schema/openmaptiles_profile.js';

describe('TileEncodePool: heap limits of the encoder threads', function () {
  this.timeout(120_000);
  const layers = new OpenMapTilesProfile().layers;

  it('starts every thread with the old generation it is given', async () => {
    const pool = new TileEncodePool(2, [], layers, { youngMb: 8, oldMb: 160 });
    try {
      assert.deepEqual(pool.resourceLimits.map((r) => [r.maxOldGenerationSizeMb, r.maxYoungGenerationSizeMb]), [[160, 8], [160, 8]]);
    } finally {
      await pool.close();
    }
  });
});
