/**
 * OSM data with osmChange files applied on the fly: the blocks of the base sources
 * (the extracts as imported) without the objects the changes modified or deleted,
 * then one block of the objects' final versions. The changes are read first and
 * held in memory (the last version of each changed object only): they are small next
 * to the base, which streams as before. Objects in several base sources (overlapping
 * extracts) are replaced in each.
 */
import type { OsmBlock, OsmBlockSource, OsmEntity, OsmNode, OsmReadOptions, OsmRelation, OsmWay } from './types.js';
import { OscReader } from './osc_reader.js';

type Final<T> = Map<number, T | null>;

export class ChangedOsmSource implements OsmBlockSource {
  private constructor(
    private readonly bases: OsmBlockSource[],
    private readonly nodes: Final<OsmNode>,
    private readonly ways: Final<OsmWay>,
    private readonly relations: Final<OsmRelation>,
  ) {}

  /** Reads the change files in order (the last version of an object wins; null: deleted). */
  static async open(bases: OsmBlockSource[], changeFiles: string[]): Promise<ChangedOsmSource> {
    const finals = { node: new Map(), way: new Map(), relation: new Map() } as { [K in OsmEntity['type']]: Final<Extract<OsmEntity, { type: K }>> };
    for (const file of changeFiles) {
      for await (const batch of new OscReader(file).changes()) {
        for (const c of batch) {
          if (c.action === 'delete') finals[c.type].set(c.id, null);
          else (finals[c.entity.type] as Final<OsmEntity>).set(c.entity.id, c.entity);
        }
      }
    }
    return new ChangedOsmSource(bases, finals.node, finals.way, finals.relation);
  }

  /** How many objects the changes replace, add or delete. */
  get changedObjects(): number {
    return this.nodes.size + this.ways.size + this.relations.size;
  }

  async *blocks(opts: OsmReadOptions = {}): AsyncIterable<OsmBlock> {
    const want = { nodes: opts.nodes !== false, ways: opts.ways !== false, relations: opts.relations !== false };
    for (const base of this.bases) {
      for await (const b of base.blocks(opts)) yield this.without(b);
    }
    const last = emptyBlock();
    const coords: number[] = [];
    if (want.nodes) {
      for (const n of this.nodes.values()) {
        if (!n) continue;
        if (Object.keys(n.tags).length > 0) last.taggedNodes.push(n);
        coords.push(n.id, n.lon, n.lat);
      }
    }
    last.nodeIds = Float64Array.from({ length: coords.length / 3 }, (_, i) => coords[3 * i]);
    last.nodeLons = Float64Array.from({ length: coords.length / 3 }, (_, i) => coords[3 * i + 1]);
    last.nodeLats = Float64Array.from({ length: coords.length / 3 }, (_, i) => coords[3 * i + 2]);
    if (want.ways) for (const w of this.ways.values()) if (w) last.ways.push(w);
    if (want.relations) for (const r of this.relations.values()) if (r) last.relations.push(r);
    yield last;
  }

  /** The block without the objects the changes replace or delete. */
  private without(b: OsmBlock): OsmBlock {
    let keep: number[] | undefined;
    for (let i = 0; i < b.nodeIds.length; i++) {
      const changed = this.nodes.has(b.nodeIds[i]);
      if (changed && !keep) keep = Array.from({ length: i }, (_, k) => k);
      else if (!changed && keep) keep.push(i);
    }
    const pick = (a: Float64Array): Float64Array => (keep ? Float64Array.from(keep, (i) => a[i]) : a);
    return {
      nodeIds: pick(b.nodeIds),
      nodeLons: pick(b.nodeLons),
      nodeLats: pick(b.nodeLats),
      taggedNodes: this.nodes.size ? b.taggedNodes.filter((n) => !this.nodes.has(n.id)) : b.taggedNodes,
      ways: this.ways.size ? b.ways.filter((w) => !this.ways.has(w.id)) : b.ways,
      relations: this.relations.size ? b.relations.filter((r) => !this.relations.has(r.id)) : b.relations,
    };
  }
}

function emptyBlock(): OsmBlock {
  return { nodeIds: new Float64Array(0), nodeLons: new Float64Array(0), nodeLats: new Float64Array(0), taggedNodes: [], ways: [], relations: [] };
}
