/**
 * How a decoded block crosses from a decode worker to the reader. Typed arrays (node
 * columns, all way refs of the block in one buffer) are transferred; the entity
 * objects travel as one JSON string, because JSON.parse rebuilds them on the
 * receiving thread about twice as fast as structured clone does, and the receiving
 * (main) thread is what limits scaling with more threads.
 */
import type { OsmBlock, OsmNode, OsmRelation, OsmWay } from './types.js';

/** A decoded block as sent between threads; see packBlock/unpackBlock. */
export interface PackedBlock {
  nodeIds: Float64Array;
  nodeLons: Float64Array;
  nodeLats: Float64Array;
  /** Refs of all ways, back to back. */
  refs: Float64Array;
  /** Per way: [offset, length] in `refs`. */
  spans: Float64Array;
  /** JSON of [taggedNodes, ways without refs, relations]. */
  entities: string;
}

export function packBlock(block: OsmBlock): { packed: PackedBlock; transfer: ArrayBuffer[] } {
  const spans = new Float64Array(block.ways.length * 2);
  let refs = new Float64Array(0);
  if (block.ways.length > 0) {
    // The decoder gives every way a view of one shared buffer.
    const buf = block.ways[0].refs.buffer as ArrayBuffer;
    refs = new Float64Array(buf);
    block.ways.forEach((w, i) => {
      if (w.refs.buffer !== buf) throw new Error('way refs do not share one buffer');
      spans[2 * i] = w.refs.byteOffset / 8;
      spans[2 * i + 1] = w.refs.length;
    });
  }
  const ways = block.ways.map((w) => ({ type: 'way', id: w.id, refs: 0, tags: w.tags }));
  const packed: PackedBlock = {
    nodeIds: block.nodeIds, nodeLons: block.nodeLons, nodeLats: block.nodeLats,
    refs, spans, entities: JSON.stringify([block.taggedNodes, ways, block.relations]),
  };
  const transfer = new Set<ArrayBuffer>();
  for (const a of [packed.nodeIds, packed.nodeLons, packed.nodeLats, packed.refs, packed.spans]) {
    if (a.buffer.byteLength > 0) transfer.add(a.buffer as ArrayBuffer);
  }
  return { packed, transfer: [...transfer] };
}

export function unpackBlock(p: PackedBlock): OsmBlock {
  const [taggedNodes, ways, relations] = JSON.parse(p.entities) as [OsmNode[], OsmWay[], OsmRelation[]];
  for (let i = 0; i < ways.length; i++) ways[i].refs = p.refs.subarray(p.spans[2 * i], p.spans[2 * i] + p.spans[2 * i + 1]);
  return { nodeIds: p.nodeIds, nodeLons: p.nodeLons, nodeLats: p.nodeLats, taggedNodes, ways, relations };
}
