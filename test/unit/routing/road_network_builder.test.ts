/**
 * RoadNetworkBuilder keeps ways in typed arrays and drops the copies of a way read
 * twice (overlapping extracts) itself: the network of two overlapping inputs, in
 * any order, equals that of their union read once, turn restrictions included.
 */
import assert from 'node:assert/strict';
import type { OsmBlock } from '../../../src/osm/types.js';
import type { RoadNetwork } from '../../../src/routing/road_network.js';
import { RoadNetworkBuilder } from '../../../src/routing/road_network_builder.js';
import { crossroadsBlock, fixtureBlock, restriction, squareBlock } from './fixture_blocks.js';

function build(blocks: OsmBlock[]): RoadNetwork {
  const b = new RoadNetworkBuilder(['car', 'foot']);
  for (const x of blocks) b.addWaysAndRelations(x);
  b.endWayPass();
  for (const x of blocks) b.addNodes(x);
  return b.build();
}

/** The block restricted to some ways (all nodes kept, as an extract overlapping the others). */
function part(block: OsmBlock, keep: (id: number) => boolean, relations = true): OsmBlock {
  return { ...block, ways: block.ways.filter((w) => keep(w.id)), relations: relations ? block.relations : [] };
}

/** Edges as comparable strings (OSM ids of the ends, length, weights), in a canonical order. */
function edges(net: RoadNetwork): string[] {
  const out: string[] = [];
  for (let e = 0; e < net.edgeCount; e++) {
    out.push([net.nodeOsmId[net.edgeFrom[e]], net.nodeOsmId[net.edgeTo[e]], net.edgeLength[e].toFixed(3),
      net.weights.car!.forward[e], net.weights.car!.backward[e], net.strings[net.edgeName[e]]].join(' '));
  }
  return out.sort();
}

function restrictions(net: RoadNetwork): string[] {
  return (net.restrictions.car ?? []).map((r) => [
    net.nodeOsmId[net.edgeFrom[r.fromEdge]], net.nodeOsmId[net.edgeTo[r.fromEdge]], net.nodeOsmId[r.via],
    net.nodeOsmId[net.edgeFrom[r.toEdge]], net.nodeOsmId[net.edgeTo[r.toEdge]], r.only,
  ].join(' ')).sort();
}

describe('RoadNetworkBuilder', () => {
  const whole = crossroadsBlock([restriction(100, 'no_left_turn', 1, 10, 3)]);
  const ids = whole.ways.map((w) => w.id);

  it('builds the same network from overlapping inputs as from their union, whatever their order', () => {
    const once = build([whole]);
    assert.ok(once.edgeCount > 0);
    assert.equal(restrictions(once).length, 1);
    const mid = ids[Math.floor(ids.length / 2)];
    // both parts hold the ways around the middle id: those are read twice
    const a = part(whole, (id) => id <= mid + 1);
    const b = part(whole, (id) => id >= mid - 1, false);
    for (const order of [[a, b], [b, a]]) {
      const twice = build(order);
      assert.equal(twice.edgeCount, once.edgeCount);
      assert.deepEqual(edges(twice), edges(once));
      assert.deepEqual(restrictions(twice), restrictions(once));
    }
  });

  it('keeps the first copy of a way read twice with different nodes', () => {
    const first = crossroadsBlock();
    const w1 = first.ways[0];
    const other = { ...first, ways: [{ ...w1, refs: Float64Array.from([...w1.refs].reverse()) }] };
    const net = build([first, other]);
    const ref = build([first]);
    assert.deepEqual(edges(net), edges(ref));
  });

  it('makes a barrier node read in two overlapping inputs one barrier, closed to the profiles it stops', () => {
    const square = squareBlock({}, { barrier: 'bollard' });
    const once = build([square]);
    const twice = build([square, square]);
    for (const net of [once, twice]) {
      assert.deepEqual([...net.barriers.car!].map((n) => net.nodeOsmId[n]), [2]);
      assert.equal(net.barriers.foot!.length, 0);
    }
    assert.deepEqual(edges(twice), edges(once));
  });

  it('lets go of its input arrays once built, and refuses to build twice', () => {
    const b = new RoadNetworkBuilder(['car']);
    b.addWaysAndRelations(whole);
    b.endWayPass();
    b.addNodes(whole);
    assert.ok(b.build().edgeCount > 0);
    assert.throws(() => b.build(), /once/);
  });

  it('breaks a way at a node missing from the input and counts that node once', () => {
    const nodes = [1, 2, 3, 4, 5].map((id) => ({ id, x: id, y: 0 }));
    const road = { id: 7, refs: [1, 2, 3, 4, 5], tags: { highway: 'residential', name: 'Rue Coupée' } };
    const b = new RoadNetworkBuilder(['car']);
    const block = fixtureBlock(nodes.filter((n) => n.id !== 3), [road]);
    b.addWaysAndRelations(block);
    b.endWayPass();
    b.addNodes(block);
    const net = b.build();
    assert.deepEqual(edges(net).map((e) => e.split(' ').slice(0, 2).join('-')), ['1-2', '4-5']);
    assert.equal(b.stats.missingNodes, 1);
    assert.equal(net.geomStart[net.edgeCount], net.coordLon.length);
  });
});
