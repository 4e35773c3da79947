/** Reads a whole OSM file into plain maps, for comparing readers and counting. */
import type { OsmFileReader, OsmReadOptions, OsmRelation, OsmTags, OsmWay } from '../../../src/osm/types.js';

export interface Collected {
  nodes: Map<number, [number, number]>;
  nodeTags: Map<number, OsmTags>;
  ways: Map<number, OsmWay>;
  relations: Map<number, OsmRelation>;
  blocks: number;
  /** Entity ids in the order they came: 'n1', 'w2', … */
  order: string[];
}

export async function collect(reader: OsmFileReader, opts: OsmReadOptions = {}, keepOrder = false): Promise<Collected> {
  const c: Collected = { nodes: new Map(), nodeTags: new Map(), ways: new Map(), relations: new Map(), blocks: 0, order: [] };
  for await (const b of reader.blocks(opts)) {
    c.blocks++;
    for (let i = 0; i < b.nodeIds.length; i++) {
      c.nodes.set(b.nodeIds[i], [b.nodeLons[i], b.nodeLats[i]]);
      if (keepOrder) c.order.push('n' + b.nodeIds[i]);
    }
    for (const n of b.taggedNodes) c.nodeTags.set(n.id, n.tags);
    for (const w of b.ways) { c.ways.set(w.id, w); if (keepOrder) c.order.push('w' + w.id); }
    for (const r of b.relations) { c.relations.set(r.id, r); if (keepOrder) c.order.push('r' + r.id); }
  }
  return c;
}
