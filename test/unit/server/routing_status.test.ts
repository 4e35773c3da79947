/**
 * /routing/status.json tells pages whether routing is here (always 200, so a browser logs no 404),
 * while the OSRM routes keep their 404 (no graph) and 503 + Retry-After (graph being built).
 */
import assert from 'node:assert/strict';
import express from 'express';
import { createRoutingRouter } from '../../../src/server/routing_routes.js';
import type { OsrmService } from '../../../src/routing/osrm_service.js';
import { listen, request, type Listening } from './http_client.js';

describe('routing status', () => {
  let server: Listening | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  async function serve(service: () => OsrmService | undefined, preparing: () => boolean): Promise<string> {
    const app = express();
    app.use(createRoutingRouter({ service, preparing }));
    server = await listen(app);
    return server.url;
  }

  it('says absent, preparing and ready with status 200, while OSRM routes answer 404 and 503', async () => {
    let graph: OsrmService | undefined;
    let building = false;
    const url = await serve(() => graph, () => building);
    const status = async (): Promise<unknown> => {
      const r = await request(`${url}/routing/status.json`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['cache-control'], 'no-store');
      return r.json();
    };
    assert.deepEqual(await status(), { status: 'absent' });
    assert.equal((await request(`${url}/route/v1/driving/7.3,47.7;7.4,47.8`)).status, 404);
    building = true;
    assert.deepEqual(await status(), { status: 'preparing', retryAfter: 30 });
    assert.equal((await request(`${url}/route/v1/driving/7.3,47.7;7.4,47.8`)).status, 503);
    graph = { route: () => ({ code: 'Ok', routes: [], waypoints: [] }) } as unknown as OsrmService;
    building = false;
    assert.deepEqual(await status(), { status: 'ready' });
    assert.equal((await request(`${url}/route/v1/driving/7.3,47.7;7.4,47.8`)).status, 200);
  });

  it('says absent when loading the graph fails', async () => {
    const url = await serve(() => { throw new Error('corrupt graph'); }, () => false);
    assert.deepEqual((await request(`${url}/routing/status.json`)).json(), { status: 'absent' });
  });
});
