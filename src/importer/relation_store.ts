/**
 * The relations an import keeps (areas to assemble, routes and boundaries whose
 * memberships ways carry), as typed arrays instead of one object graph per
 * relation: ids and member refs in Float64Arrays, member types in bytes, roles as
 * indexes into a table of the distinct role strings, tags in a TagBuffer
 * (tag_buffer.ts). At 54 M nodes the relations kept as objects took a few hundred
 * MiB of heap, growing with the input; here a member costs 13 bytes. A relation is
 * rebuilt as an object only while it is used (`at`, iteration).
 */
import type { OsmMember, OsmRelation, OsmTags } from '../osm/types.js';
import { TagBuffer } from './tag_buffer.js';
import { withCapacity } from '../core/growable_arrays.js';

const TYPES: OsmMember['type'][] = ['node', 'way', 'relation'];
const TYPE_CODE: Record<OsmMember['type'], number> = { node: 0, way: 1, relation: 2 };

export class RelationStore implements Iterable<OsmRelation> {
  private n = 0;
  private m = 0;
  private ids = new Float64Array(64);
  private tagPos = new Float64Array(64);
  /** Members of relation i: [starts[i], starts[i + 1]). */
  private starts = new Uint32Array(65);
  private refs = new Float64Array(256);
  private types = new Uint8Array(256);
  private roles = new Uint32Array(256);
  private readonly roleTable: string[] = [];
  private readonly roleIndex = new Map<string, number>();
  private readonly tags = new TagBuffer();

  get length(): number {
    return this.n;
  }

  /** Bytes of the typed arrays and tag chunks (the role table aside: distinct strings only). */
  get bytes(): number {
    return this.ids.byteLength + this.tagPos.byteLength + this.starts.byteLength +
      this.refs.byteLength + this.types.byteLength + this.roles.byteLength + this.tags.bytes;
  }

  push(rel: OsmRelation): void {
    const i = this.n++;
    this.ids = withCapacity(this.ids, this.n);
    this.tagPos = withCapacity(this.tagPos, this.n);
    this.starts = withCapacity(this.starts, this.n + 1);
    this.ids[i] = rel.id;
    this.tagPos[i] = this.tags.add(rel.tags);
    const end = this.m + rel.members.length;
    this.refs = withCapacity(this.refs, end);
    this.types = withCapacity(this.types, end);
    this.roles = withCapacity(this.roles, end);
    for (const mem of rel.members) {
      const k = this.m++;
      this.refs[k] = mem.ref;
      this.types[k] = TYPE_CODE[mem.type];
      let r = this.roleIndex.get(mem.role);
      if (r === undefined) {
        r = this.roleTable.length;
        this.roleTable.push(mem.role);
        this.roleIndex.set(mem.role, r);
      }
      this.roles[k] = r;
    }
    this.starts[this.n] = this.m;
  }

  idAt(i: number): number {
    return this.ids[i];
  }

  /** The tags of relation i (a fresh object). */
  tagsAt(i: number): OsmTags {
    return this.tags.get(this.tagPos[i]);
  }

  /** The members of relation i are numbers [memberStart(i), memberStart(i + 1)) of the store. */
  memberStart(i: number): number {
    return this.starts[i];
  }
  memberType(k: number): OsmMember['type'] {
    return TYPES[this.types[k]];
  }
  memberRef(k: number): number {
    return this.refs[k];
  }
  memberRole(k: number): string {
    return this.roleTable[this.roles[k]];
  }

  /** Relation i, as an object (fresh: tags and members are the caller's). */
  at(i: number): OsmRelation {
    const members: OsmMember[] = [];
    for (let k = this.starts[i], end = this.starts[i + 1]; k < end; k++) {
      members.push({ type: TYPES[this.types[k]], ref: this.refs[k], role: this.roleTable[this.roles[k]] });
    }
    return { type: 'relation', id: this.ids[i], members, tags: this.tags.get(this.tagPos[i]) };
  }

  *[Symbol.iterator](): Iterator<OsmRelation> {
    for (let i = 0; i < this.n; i++) yield this.at(i);
  }
}
