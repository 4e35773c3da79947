/**
 * The key of the object a tile feature comes from, as an updatable import keeps it
 * with each feature: one number that both names the object and orders it as a
 * single-threaded import emits features — Natural Earth, then tagged nodes, the sea,
 * ways, relations, each by id. Natural Earth records (never changed by an update)
 * share one key, and so do sea polygons (always rebuilt together): a stable sort
 * keeps their emission order.
 */
import type { SourceFeature } from '../../schema/profile.js';

const PHASE = { naturalearth: 0, node: 1, sea: 2, way: 3, relation: 4 } as const;
const SPAN = 2 ** 49;
/** Ids are shifted by this, so negative ids (editor files) order and round-trip too. */
const SHIFT = 2 ** 48;

export function sourceKeyOf(src: SourceFeature): number {
  if (src.source === 'naturalearth') return 0;
  if (src.source === 'coastline') return PHASE.sea * SPAN;
  return osmKey(src.osmType ?? 'relation', src.id);
}

export function osmKey(type: 'node' | 'way' | 'relation', id: number): number {
  return PHASE[type] * SPAN + id + SHIFT;
}

/** The key every sea polygon's features carry. */
export const SEA_KEY = PHASE.sea * SPAN;
