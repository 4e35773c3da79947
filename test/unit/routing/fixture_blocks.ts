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

/**
 * A square of streets, 2 grid steps a side: the bottom side (way 1, "Rue Test",
 * nodes 1–2–3 at y=0) gets the tags under test; the three other sides are plain
 * two-way residential streets. Going along the bottom is ~150 m, around ~590 m.
 */
export function squareBlock(bottomTags: OsmTags, middleNodeTags?: OsmTags, relations: OsmRelation[] = []): OsmBlock {
  const nodes: FixtureNode[] = [
    { id: 1, x: 0, y: 0 }, { id: 2, x: 1, y: 0, tags: middleNodeTags }, { id: 3, x: 2, y: 0 },
    { id: 4, x: 2, y: 2 }, { id: 5, x: 0, y: 2 },
  ];
  const res = { highway: 'residential' };
  const ways: FixtureWay[] = [
    { id: 1, refs: [1, 2, 3], tags: { highway: 'residential', name: 'Rue Test', ...bottomTags } },
    { id: 2, refs: [3, 4], tags: { ...res, name: 'Rue Est' } },
    { id: 3, refs: [4, 5], tags: { ...res, name: 'Rue Nord' } },
    { id: 4, refs: [5, 1], tags: { ...res, name: 'Rue Ouest' } },
  ];
  return fixtureBlock(nodes, ways, relations);
}

/**
 * A crossroads J (node 10) with four arms (ways 1 west, 2 east, 3 north, 4 south) and
 * a long ring W → far north-west → N so a forbidden turn has a way around.
 */
export function crossroadsBlock(relations: OsmRelation[] = []): OsmBlock {
  const nodes: FixtureNode[] = [
    { id: 10, x: 0, y: 0 }, { id: 11, x: -1, y: 0 }, { id: 12, x: 1, y: 0 }, { id: 13, x: 0, y: 1 }, { id: 14, x: 0, y: -1 },
    { id: 15, x: -1, y: 3 }, { id: 16, x: 0, y: 3 },
  ];
  const t = { highway: 'tertiary' };
  const ways: FixtureWay[] = [
    { id: 1, refs: [11, 10], tags: { ...t, name: 'Ouest' } },
    { id: 2, refs: [10, 12], tags: { ...t, name: 'Est' } },
    { id: 3, refs: [10, 13], tags: { ...t, name: 'Nord' } },
    { id: 4, refs: [10, 14], tags: { ...t, name: 'Sud' } },
    { id: 5, refs: [11, 15, 16, 13], tags: { ...t, name: 'Rocade' } },
  ];
  return fixtureBlock(nodes, ways, relations);
}

/** A square of two-way streets with a short street inside it that touches nothing: an island of the graph. */
export function squareWithIslandBlock(): OsmBlock {
  const res = { highway: 'residential' };
  return fixtureBlock(
    [{ id: 1, x: 0, y: 0 }, { id: 3, x: 2, y: 0 }, { id: 4, x: 2, y: 2 }, { id: 5, x: 0, y: 2 }, { id: 20, x: 0.9, y: 1 }, { id: 21, x: 1.3, y: 1 }],
    [
      { id: 1, refs: [1, 3], tags: { ...res, name: 'Rue Sud' } },
      { id: 2, refs: [3, 4], tags: { ...res, name: 'Rue Est' } },
      { id: 3, refs: [4, 5], tags: { ...res, name: 'Rue Nord' } },
      { id: 4, refs: [5, 1], tags: { ...res, name: 'Rue Ouest' } },
      { id: 20, refs: [20, 21], tags: { ...res, name: 'Impasse Isolée' } },
    ],
  );
}
