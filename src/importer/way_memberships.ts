/**
 * Which relations (of the types the profile asked for: routes, boundaries) each
 * way belongs to, as typed arrays sorted by way id instead of a Map with an array
 * of objects per member way (a JS Map also stops at 2^24 entries). A way's
 * memberships are rebuilt as objects when it is processed, in the order the old
 * Map gave them: relations in the store's order, members in the relation's order.
 */
import type { OsmTags } from '../osm/types.js';
import type { RelationMembership } from '../schema/profile.js';
import type { RelationStore } from './relation_store.js';

/** Decoded tag lists kept for reuse (route relations have many member ways in a row). */
const TAG_CACHE = 1024;
const SIDES: (RelationMembership['side'])[] = [undefined, 'left', 'right'];

export class WayMemberships {
  /** Sorted by way id; ties in collection order. */
  private readonly wayIds: Float64Array;
  /** The relation (its number in the store) and the member (number in the store) of each entry. */
  private readonly rel: Uint32Array;
  private readonly member: Uint32Array;
  private readonly side: Uint8Array;
  private readonly tagCache = new Map<number, OsmTags>();

  /** Memberships of ways in the relations of `relationTypes`. */
  constructor(private readonly relations: RelationStore, relationTypes: ReadonlySet<string>) {
    const wanted = (i: number): boolean => relationTypes.has(relations.tagsAt(i).type ?? '');
    let n = 0;
    for (let i = 0; i < relations.length; i++) {
      if (!wanted(i)) continue;
      for (let k = relations.memberStart(i), end = relations.memberStart(i + 1); k < end; k++) if (relations.memberType(k) === 'way') n++;
    }
    const ways = new Float64Array(n), rels = new Uint32Array(n), members = new Uint32Array(n);
    let e = 0;
    for (let i = 0; i < relations.length; i++) {
      if (!wanted(i)) continue;
      for (let k = relations.memberStart(i), end = relations.memberStart(i + 1); k < end; k++) {
        if (relations.memberType(k) !== 'way') continue;
        ways[e] = relations.memberRef(k); rels[e] = i; members[e] = k; e++;
      }
    }
    const order = new Uint32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    order.sort((a, b) => ways[a] - ways[b] || a - b);
    this.wayIds = new Float64Array(n);
    this.rel = new Uint32Array(n);
    this.member = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const o = order[k];
      this.wayIds[k] = ways[o]; this.rel[k] = rels[o]; this.member[k] = members[o];
    }
    this.side = new Uint8Array(n);
  }

  get size(): number {
    return this.wayIds.length;
  }

  /** The first entry of way `wayId`, or -1. */
  private first(wayId: number): number {
    let lo = 0, hi = this.wayIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.wayIds[mid] < wayId) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.wayIds.length && this.wayIds[lo] === wayId ? lo : -1;
  }

  private tagsOf(rel: number): OsmTags {
    let t = this.tagCache.get(rel);
    if (!t) {
      if (this.tagCache.size >= TAG_CACHE) this.tagCache.clear();
      t = this.relations.tagsAt(rel);
      this.tagCache.set(rel, t);
    }
    return t;
  }

  /** The memberships of way `wayId` (an empty array when it has none). */
  get(wayId: number): RelationMembership[] {
    const out: RelationMembership[] = [];
    for (let k = this.first(wayId); k >= 0 && k < this.wayIds.length && this.wayIds[k] === wayId; k++) {
      const r = this.rel[k];
      const m: RelationMembership = { relationId: this.relations.idAt(r), role: this.relations.memberRole(this.member[k]), tags: this.tagsOf(r) };
      const s = SIDES[this.side[k]];
      if (s) m.side = s;
      out.push(m);
    }
    return out;
  }

  /** Whether way `wayId` is a member of relation number `rel` of the store. */
  has(wayId: number, rel: number): boolean {
    for (let k = this.first(wayId); k >= 0 && k < this.wayIds.length && this.wayIds[k] === wayId; k++) if (this.rel[k] === rel) return true;
    return false;
  }

  /** Sets the side of the first membership of way `wayId` in relation number `rel` of the store; false when it has none. */
  setSide(wayId: number, rel: number, side: 'left' | 'right'): boolean {
    for (let k = this.first(wayId); k >= 0 && k < this.wayIds.length && this.wayIds[k] === wayId; k++) {
      if (this.rel[k] !== rel) continue;
      this.side[k] = side === 'left' ? 1 : 2;
      return true;
    }
    return false;
  }
}
