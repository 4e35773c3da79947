import assert from 'node:assert/strict';
import type { TileData } from '../../../src/archive/tile_source.js';
import { readFeatures, tilesOver } from '../../../src/print/tile_features.js';
import { FakeTileSource, VECTOR_META } from '../server/fake_tile_source.js';

/** A source whose every read holds the thread for at least `ms` (as decoding a big tile would). */
class SlowSource extends FakeTileSource {
  override async getTile(z: number, x: number, y: number): Promise<TileData | undefined> {
    const until = performance.now() + 2;
    while (performance.now() < until) {
      // busy, like CPU work on the event loop
    }
    return super.getTile(z, x, y);
  }
}

describe('print/tile_features', () => {
  it('lets the event loop turn while it reads many tiles (a request waiting meanwhile is answered before it ends)', async () => {
    const source = new SlowSource(VECTOR_META);
    const n = 2 ** 14;
    const box = { x0: 8500 / n, y0: 5700 / n, x1: 8505.5 / n, y1: 5704.5 / n };
    assert.equal(tilesOver(box, 14).count, 30);
    let turned = false;
    setImmediate(() => (turned = true));
    const reading = readFeatures(source, { z: 14, box, layers: ['poi'] }).then((f) => ({ f, turnedBefore: turned }));
    const { f, turnedBefore } = await reading;
    assert.deepEqual(f, []);
    assert.equal(source.reads, 30);
    assert.ok(turnedBefore, 'the loop never turned during 30 reads of 2 ms or more');
  });
});
