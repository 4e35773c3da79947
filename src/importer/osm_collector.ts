/**
 * Stage `osm_read`: one pass over every input, filling the node store (all node
 * locations), the way store (refs of every way, tags of wanted ones) and the
 * relations the profile needs; tagged nodes the profile wants are handed to
 * `onNode` at once (they need no lookup), so they are never all held in memory. Several inputs form one
 * dataset: objects present in more than one extract are kept once.
 */
import type { Logger } from '../core/logger.js';
import { Progress, progressTo } from '../core/progress.js';
import { DataErrors } from '../core/data_errors.js';
import type { OsmBlock, OsmFileReader, OsmHeader, OsmNode, OsmTags, OsmWay } from '../osm/types.js';
import { IdRunSet } from '../osm/id_run_set.js';
import { NodeStore, type NodeSpillOptions } from '../osm/node_store.js';
import type { Profile } from '../schema/profile.js';
import { WayStore } from './way_store.js';
import { RelationStore } from './relation_store.js';
import type { TagSpillOptions } from './tag_buffer.js';
import { isAreaRelation } from './area_rules.js';

export interface OsmCollection {
  nodes: NodeStore;
  ways: WayStore;
  /** Multipolygon/boundary relations to build as areas, and relations whose memberships ways carry. */
  relations: RelationStore;
  headers: OsmHeader[];
  counts: { nodes: number; ways: number; relations: number; duplicates: number };
}

export interface CollectOptions {
  readers: OsmFileReader[];
  profile: Profile;
  threads: number;
  logger: Logger;
  tty?: NodeJS.WriteStream;
  errors: DataErrors;
  /** Called with each tagged node the profile wants, as it is read (a node carries its own location). */
  onNode: (node: OsmNode) => void;
  /** Called with every way read, whatever the profile wants (the coastline keeps its own). */
  onWay?: (way: OsmWay) => void;
  /** Called with every block read, before anything else sees it (the update store keeps it all). */
  onBlock?: (block: OsmBlock) => void;
  /** Past this budget, node locations go to a temporary file. */
  nodeSpill?: NodeSpillOptions;
  /** Past this budget, the tags of wanted ways go to a temporary file (read back in way order). */
  wayTagSpill?: TagSpillOptions;
}

/** True for the relations an import collects: areas the profile wants, and relations of the types it asked for. */
export function wantsRelation(profile: Profile, relationTypes: ReadonlySet<string>, tags: OsmTags): boolean {
  const t = tags.type;
  return (isAreaRelation(tags) && profile.wants(tags, 'relation')) || (t !== undefined && relationTypes.has(t));
}

export async function collectOsm(opts: CollectOptions): Promise<OsmCollection> {
  const { readers, profile } = opts;
  const nodes = new NodeStore(opts.nodeSpill);
  const ways = new WayStore({ tagSpill: opts.wayTagSpill });
  const relations = new RelationStore();
  const headers: OsmHeader[] = [];
  const counts = { nodes: 0, ways: 0, relations: 0, duplicates: 0 };
  const relationTypes = new Set(profile.relationTypes);
  const multi = readers.length > 1;
  // ids seen, to keep objects of overlapping extracts once: compact sorted runs, not a JS Set (2^24 entries at most)
  const seenNodes = multi ? new IdRunSet() : undefined;
  const seenRelations = new IdRunSet();

  const totalBytes = readers.reduce((s, r) => s + r.size, 0);
  const progress = new Progress({ name: 'osm_read', unit: 'bytes', total: totalBytes, logger: opts.logger, tty: opts.tty });
  try {
    await readAll();
  } catch (e) {
    // node locations and way tags past their budgets are in files: the caller never gets the stores to close them
    nodes.close();
    ways.close();
    throw e;
  }
  counts.duplicates += ways.duplicateCount;
  return { nodes, ways, relations, headers, counts };

  async function readAll(): Promise<void> {
    let before = 0;
    for (const reader of readers) {
      headers.push(await reader.header());
      let last = 0;
      for await (const block of reader.blocks({
        threads: opts.threads,
        onBytes: (b) => {
          progress.tick(b - last);
          last = b;
        },
      })) {
        opts.onBlock?.(block);
        const n = block.nodeIds.length;
        counts.nodes += n;
        if (n > 0) nodes.addBlock(block.nodeIds, block.nodeLons, block.nodeLats);
        for (const node of block.taggedNodes) {
          if (seenNodes) {
            if (seenNodes.has(node.id)) { counts.duplicates++; continue; }
            seenNodes.add(node.id);
          }
          if (profile.wants(node.tags, 'node')) opts.onNode(node);
        }
        for (const way of block.ways) {
          counts.ways++;
          const wanted = profile.wants(way.tags, 'way');
          ways.add(way.id, way.refs, wanted ? way.tags : null);
          opts.onWay?.(way);
        }
        for (const rel of block.relations) {
          counts.relations++;
          if (seenRelations.has(rel.id)) { counts.duplicates++; continue; }
          seenRelations.add(rel.id);
          if (wantsRelation(profile, relationTypes, rel.tags)) relations.push(rel);
        }
      }
      before += reader.size;
      progress.tick(before - progress.count);
    }
    progress.finish();
    nodes.seal(progressTo(opts.logger, opts.tty));
    ways.seal();
  }
}
