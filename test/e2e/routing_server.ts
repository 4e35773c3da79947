/**
 * The OSRM HTTP API on a graph built from a real extract, answered by the routing
 * router on an ephemeral 127.0.0.1 port; `close` stops it and removes the graph.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { osmFile, tempDir } from '../helpers/paths.js';
import { buildRoutingGraph } from '../../src/routing/build_routing_graph.js';
import type { OsrmService } from '../../src/routing/osrm_service.js';
import { createRoutingRouter, loadOsrmService } from '../../src/server/routing_routes.js';

export interface RoutingServer {
  /** `http://127.0.0.1:PORT` */
  base: string;
  service: OsrmService;
  get(p: string): Promise<{ status: number; body: any }>;
  close(): void;
}

export async function serveRoutingGraph(extract: string): Promise<RoutingServer> {
  const dir = tempDir();
  const file = path.join(dir, extract.replace(/\.osm\.pbf$/, '.routing'));
  await buildRoutingGraph({ inputs: [osmFile(extract)], out: file });
  const service = loadOsrmService(file);
  const app = express();
  app.use(createRoutingRouter({ service: () => service }));
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    service,
    async get(p) {
      const res = await fetch(base + p);
      return { status: res.status, body: await res.json() };
    },
    close() {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
