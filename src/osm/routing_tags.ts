/**
 * What a routing graph reads from OSM, by tags: routable ways (highways and ferry
 * routes), nodes that may block them (barrier, access) and turn restrictions. The
 * graph builder keeps these, and an update that changes one rebuilds the graph.
 */
import type { OsmTags } from './types.js';

export function isRoutableWay(tags: OsmTags | undefined): boolean {
  return !!tags && (tags.highway !== undefined || tags.route === 'ferry');
}

export function isRoutingNode(tags: OsmTags | undefined): boolean {
  return !!tags && (tags.barrier !== undefined || tags.access !== undefined);
}

export function isRoutingRelation(tags: OsmTags | undefined): boolean {
  return tags?.type === 'restriction';
}
