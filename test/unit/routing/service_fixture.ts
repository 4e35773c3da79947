/** Builds an OSRM service over hand-made blocks, all in memory. */
import type { OsmBlock } from '../../../src/osm/types.js';
import { buildRoutingFromSources } from '../../../src/routing/build_routing_graph.js';
import { OsrmError } from '../../../src/routing/osrm_params.js';
import { OsrmService } from '../../../src/routing/osrm_service.js';
import { Router } from '../../../src/routing/router.js';
import { blockSource, nodeLonLat } from './fixture_blocks.js';

export async function serviceFor(block: OsmBlock): Promise<OsrmService> {
  const r = await buildRoutingFromSources({ sources: [blockSource(block)] });
  return new OsrmService(new Router(r.data));
}

/** `lon,lat;lon,lat` of grid points. */
export function coords(...pts: Array<[number, number]>): string {
  return pts.map(([x, y]) => nodeLonLat(x, y).map((v) => v.toFixed(7)).join(',')).join(';');
}

export interface RouteBody {
  code: string;
  routes: Array<{ distance: number; duration: number; geometry: unknown; legs: Array<{ steps: Array<Record<string, any>>; annotation?: Record<string, number[]> }> }>;
  waypoints: Array<{ name: string; location: [number, number]; distance: number }>;
}

export function route(s: OsrmService, profile: string, c: string, query: Record<string, string> = {}): RouteBody {
  return s.route(profile, c, query) as unknown as RouteBody;
}

/** The OSRM code a call fails with, or 'Ok'. */
export function osrmCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof OsrmError) return e.code;
    throw e;
  }
  return 'Ok';
}
