import assert from 'node:assert/strict';
import { encodeYielding } from '../../../src/importer/tile_writer.js';

describe('writeTiles: the main thread\'s share of the encoding', () => {
  it('lets the event loop run after every tile of a batch, not only after the batch', async () => {
    const events: string[] = [];
    await encodeYielding(3, (i) => events.push(`tile ${i}`), async () => { events.push('yield'); });
    assert.deepEqual(events, ['tile 0', 'yield', 'tile 1', 'yield', 'tile 2', 'yield']);
  });

  it('hands a waiting thread its next batch between two tiles', async () => {
    // a "worker" whose result comes back (setImmediate) while the main thread is in the middle of its batch
    const events: string[] = [];
    setImmediate(() => events.push('worker result'));
    await encodeYielding(4, (i) => events.push(`tile ${i}`), () => new Promise<void>((r) => setImmediate(r)));
    assert.ok(events.indexOf('worker result') < events.indexOf('tile 3'), events.join(', '));
  });
});
