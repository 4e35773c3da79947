/**
 * osmChange reader (.osc, .osc.gz, .osc.bz2): a streaming SAX parse (saxes) that
 * yields the changes in file order, in batches, so a large daily diff never sits in
 * memory. Each change is the full new version of the object (create, modify) or its
 * id (delete), as the OSM API and `osmium derive-changes` write them.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { SaxesParser, type SaxesTag } from 'saxes';
import { TuilerieError } from '../core/errors.js';
import { startBunzip } from './bunzip_stream.js';
import { badXml, numberAttr, utf8Chunks } from './xml_text.js';
import type { OsmEntity, OsmMember, OsmTags } from './types.js';

export type OscAction = 'create' | 'modify' | 'delete';

export type OscChange =
  | { action: 'create' | 'modify'; entity: OsmEntity }
  | { action: 'delete'; type: OsmEntity['type']; id: number };

const BATCH = 2000;
const READ_CHUNK = 256 * 1024;
const ACTIONS = new Set(['create', 'modify', 'delete']);
const MEMBER_TYPES = new Set(['node', 'way', 'relation']);

interface Current {
  type: OsmEntity['type'];
  id: number;
  lon?: number;
  lat?: number;
  refs: number[];
  members: OsmMember[];
  tags: OsmTags;
}

export class OscReader {
  constructor(readonly path: string) {}

  /** The changes of the file in order, in batches. */
  async *changes(): AsyncGenerator<OscChange[]> {
    let size: number;
    try {
      size = fs.statSync(this.path).size;
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot read change file ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    if (size === 0) throw this.bad('empty file');
    const ready: OscChange[][] = [];
    let batch: OscChange[] = [];
    let action: OscAction | undefined;
    let cur: Current | undefined;
    let sawRoot = false;
    const parser = new SaxesParser();
    parser.on('error', (e) => { throw this.bad(`XML error: ${e.message}`); });
    parser.on('opentag', (tag: SaxesTag) => {
      const a = tag.attributes as Record<string, string>;
      if (!sawRoot) {
        if (tag.name !== 'osmChange') throw this.bad(`root element is <${tag.name}>, expected <osmChange> (not an osmChange file)`);
        sawRoot = true;
        return;
      }
      if (ACTIONS.has(tag.name)) { action = tag.name as OscAction; return; }
      if (tag.name === 'node' || tag.name === 'way' || tag.name === 'relation') {
        if (!action) throw this.bad(`<${tag.name}> outside <create>, <modify> or <delete>`);
        cur = { type: tag.name, id: this.num(a, 'id', tag.name), refs: [], members: [], tags: {} };
        if (tag.name === 'node' && action !== 'delete') {
          cur.lon = this.num(a, 'lon', 'node');
          cur.lat = this.num(a, 'lat', 'node');
        }
        return;
      }
      if (!cur) return;
      if (tag.name === 'nd') cur.refs.push(this.num(a, 'ref', 'nd'));
      else if (tag.name === 'tag' && a.k !== undefined) cur.tags[a.k] = a.v ?? '';
      else if (tag.name === 'member') {
        if (!MEMBER_TYPES.has(a.type)) throw this.bad(`relation ${cur.id}: unknown member type '${a.type}'`);
        cur.members.push({ type: a.type as OsmMember['type'], ref: this.num(a, 'ref', 'member'), role: a.role ?? '' });
      }
    });
    parser.on('closetag', (tag: SaxesTag) => {
      if (ACTIONS.has(tag.name)) { action = undefined; return; }
      if (!cur || tag.name !== cur.type) return;
      batch.push(toChange(action!, cur));
      cur = undefined;
      if (batch.length >= BATCH) { ready.push(batch); batch = []; }
    });

    const file = fs.createReadStream(this.path, { highWaterMark: READ_CHUNK });
    const lower = this.path.toLowerCase();
    const bz = lower.endsWith('.bz2') ? startBunzip(file, this.path) : undefined;
    const gunzip = lower.endsWith('.gz') ? zlib.createGunzip() : undefined;
    if (gunzip) file.pipe(gunzip);
    const text: AsyncIterable<Buffer> = bz ? bz.child.stdout : gunzip ?? file;
    try {
      for await (const s of utf8Chunks(text, () => this.bad('invalid UTF-8 text (not an osmChange file)'))) {
        parser.write(s);
        while (ready.length) yield ready.shift()!;
      }
      if (bz) await bz.done;
      parser.close();
      if (!sawRoot) throw this.bad('no <osmChange> element (empty or not an osmChange file)');
      if (batch.length) yield batch;
    } catch (e) {
      if (e instanceof TuilerieError) throw e;
      throw this.bad(`unreadable: ${(e as Error).message}`);
    } finally {
      file.destroy();
      gunzip?.destroy();
      if (bz && bz.child.exitCode === null) bz.child.kill();
    }
  }

  private num(a: Record<string, string>, key: string, el: string): number {
    return numberAttr(this.path, a, key, el);
  }

  private bad(what: string): TuilerieError {
    return badXml(this.path, what);
  }
}

function toChange(action: OscAction, c: Current): OscChange {
  if (action === 'delete') return { action, type: c.type, id: c.id };
  if (c.type === 'node') return { action, entity: { type: 'node', id: c.id, lon: c.lon!, lat: c.lat!, tags: c.tags } };
  if (c.type === 'way') return { action, entity: { type: 'way', id: c.id, refs: Float64Array.from(c.refs), tags: c.tags } };
  return { action, entity: { type: 'relation', id: c.id, members: c.members, tags: c.tags } };
}
