/**
 * Hand-made OSM data for routing tests: a few nodes on a ~100 m grid near Strasbourg
 * (France, so French speed defaults apply) and ways between them.
 */
import type { OsmBlock, OsmNode, OsmRelation, OsmTags, OsmWay } from '../../../src/osm/types.js';

export interface FixtureNode { id: number; x: number; y: number; tags?: OsmTags }
export interface FixtureWay { id: number; refs: number[]; tags: OsmTags }

export const ORIGIN = { lon: 7.75, lat: 48.58 };
/** Grid step in degrees (≈ 74 m east–west, 111 m north–south). */
export const STEP = 0.001;

export function nodeLonLat(x: number, y: number): [number, number] {
  return [ORIGIN.lon + x * STEP, ORIGIN.lat + y * STEP];
}

export function fixtureBlock(nodes: FixtureNode[], ways: FixtureWay[], relations: OsmRelation[] = []): OsmBlock {
  const taggedNodes: OsmNode[] = nodes.filter((n) => n.tags).map((n) => {
    const [lon, lat] = nodeLonLat(n.x, n.y);
    return { type: 'node', id: n.id, lon, lat, tags: n.tags! };
  });
  const osmWays: OsmWay[] = ways.map((w) => ({ type: 'way', id: w.id, refs: Float64Array.from(w.refs), tags: w.tags }));
  return {
    nodeIds: Float64Array.from(nodes.map((n) => n.id)),
    nodeLons: Float64Array.from(nodes.map((n) => nodeLonLat(n.x, n.y)[0])),
    nodeLats: Float64Array.from(nodes.map((n) => nodeLonLat(n.x, n.y)[1])),
    taggedNodes,
    ways: osmWays,
    relations,
  };
}

export function restriction(id: number, kind: string, from: number, via: number, to: number, extra: OsmTags = {}): OsmRelation {
  return {
    type: 'relation',
    id,
    tags: { type: 'restriction', restriction: kind, ...extra },
    members: [
      { type: 'way', ref: from, role: 'from' },
      { type: 'node', ref: via, role: 'via' },
      { type: 'way', ref: to, role: 'to' },
    ],
  };
}

/** A source of blocks as the graph builder reads it. */
export function blockSource(block: OsmBlock): { blocks(): AsyncIterable<OsmBlock> } {
  return {
    async *blocks() {
      yield block;
    },
  };
}
