/**
 * The routing router as the server mounts it: the graph is found beside the served
 * archive, answers 404 InvalidService until it exists, and is reloaded when replaced.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { tempDir } from '../helpers/paths.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildRoutingFromSources } from '../../src/routing/build_routing_graph.js';
import { writeRoutingData } from '../../src/routing/routing_data.js';
import { routingRoutes } from '../../src/server/routing_routes.js';
import type { ServerDeps } from '../../src/server/server_deps.js';
import { RoutingGraphs } from '../../src/server/routing_graphs.js';
import type { SourceRegistry } from '../../src/server/source_registry.js';
import { blockSource, squareBlock } from '../unit/routing/fixture_blocks.js';
import { coords } from '../unit/routing/service_fixture.js';

async function writeGraph(file: string, bottomTags: Record<string, string>): Promise<void> {
  const built = await buildRoutingFromSources({ sources: [blockSource(squareBlock(bottomTags))] });
  writeRoutingData(file, built.data);
}

describe('routing router mounted by the server', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  let graph: string;

  beforeEach(async () => {
    dir = tempDir();
    graph = path.join(dir, 'region.routing');
    const sources = { list: () => [{ id: 'region', path: path.join(dir, 'region.mbtiles') }] } as unknown as SourceRegistry;
    const deps = { sources, logger: silentLogger, services: { routing: new RoutingGraphs({ sources, logger: silentLogger }) } } as unknown as ServerDeps;
    const app = express();
    app.use(routingRoutes(deps));
    server = await new Promise<http.Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = async (p: string): Promise<{ status: number; body: any }> => {
    const res = await fetch(base + p);
    return { status: res.status, body: await res.json() };
  };
  const P_TO_Q = `/route/v1/driving/${coords([1.5, 0], [0.5, 0])}`;

  it('answers 404 InvalidService while there is no graph beside the archive', async () => {
    const { status, body } = await get(P_TO_Q);
    assert.equal(status, 404);
    assert.equal(body.code, 'InvalidService');
  });

  it('finds X.routing beside X.mbtiles', async () => {
    await writeGraph(graph, {});
    const { status, body } = await get(P_TO_Q);
    assert.equal(status, 200);
    assert.ok(body.routes[0].distance < 100);
  });

  it('reloads the graph when the file is replaced', async () => {
    await writeGraph(graph, {});
    assert.ok((await get(P_TO_Q)).body.routes[0].distance < 100);
    // Same network, bottom street now one-way eastbound: P → Q must go around.
    await new Promise((r) => setTimeout(r, 20));
    await writeGraph(graph, { oneway: 'yes' });
    assert.ok((await get(P_TO_Q)).body.routes[0].distance > 400);
  });
});
