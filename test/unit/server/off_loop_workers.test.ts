/**
 * The server's worker threads are its own (STYLE habit 11): built by the
 * composition root at `raster.niceness`, and ended when the server stops.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { loadConfig } from '../../../src/config/load_config.js';
import { silentLogger } from '../../../src/core/logger.js';
import { currentThreadId } from '../../../src/core/thread_priority.js';
import { TuilerieServer } from '../../../src/server/tuilerie_server.js';
import { tempDir } from '../../helpers/paths.js';

describe('server/off_loop_workers', () => {
  let dir: string;
  let server: TuilerieServer | undefined;
  beforeEach(() => { dir = tempDir('tuilerie-workers-'); });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs at the configured raster.niceness, and its threads end when the server stops', async function () {
    if (currentThreadId() === undefined) this.skip();
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, dataDir: dir, sources: {}, styles: {}, raster: { niceness: 3 } } });
    server = new TuilerieServer({ config, logger: silentLogger });
    await server.start();
    const { workers } = server.services;
    // an empty buffer is a vector tile without layers; a 1×1 image composed over another
    assert.equal((await workers.geojson.toGeojson(Buffer.alloc(0), { z: 0, x: 0, y: 0 })).toString(), '{"type":"FeatureCollection","features":[]}');
    const px = () => ({ data: Buffer.from([10, 20, 30, 255]), width: 1, height: 1 });
    assert.deepEqual([...(await workers.pixels.compose(px(), px())).data], [10, 20, 30, 255]);
    const tids = [...workers.geojson.stats().priorities, ...workers.pixels.stats().priorities].map((p) => p.tid!);
    assert.equal(tids.length, 2);
    for (const tid of tids) assert.equal(os.getPriority(tid), Math.min(19, os.getPriority() + 3), `worker thread ${tid}`);
    const live = () => tids.filter((t) => fs.existsSync(`/proc/self/task/${t}`));
    assert.deepEqual(live(), tids);
    await server.stop();
    server = undefined;
    assert.deepEqual(live(), []);
  });
});
