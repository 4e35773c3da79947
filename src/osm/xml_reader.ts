/**
 * OSM XML reader (.osm, and .osm.bz2 through the system `bzip2 -dc`): a streaming
 * SAX parse (saxes) that emits OsmBlock batches of a few thousand entities, so a
 * large file never sits in memory as a DOM or a string.
 */
import fs from 'node:fs';
import { SaxesParser, type SaxesTag } from 'saxes';
import { TuilerieError } from '../core/errors.js';
import { startBunzip } from './bunzip_stream.js';
import { badXml, numberAttr, utf8Chunks } from './xml_text.js';
import type { OsmBlock, OsmFileReader, OsmHeader, OsmMember, OsmNode, OsmReadOptions, OsmRelation, OsmTags, OsmWay } from './types.js';

/** Entities per emitted block: large enough to amortise per-block work, small enough to stream. */
const BATCH = 4000;
const READ_CHUNK = 256 * 1024;

const MEMBER_TYPES = new Set(['node', 'way', 'relation']);

interface ParseState {
  header: OsmHeader;
  sawRoot: boolean;
  ids: number[];
  lons: number[];
  lats: number[];
  tagged: OsmNode[];
  ways: OsmWay[];
  relations: OsmRelation[];
  count: number;
  ready: OsmBlock[];
  /** Entity being read (its tags and children follow its open tag). */
  node?: OsmNode;
  way?: { id: number; refs: number[]; tags: OsmTags };
  /** Inside a visible <way>, wanted or not: its <nd lat lon> still give node places to a nodes-only read. */
  inWay: boolean;
  relation?: OsmRelation;
  sawEntity: boolean;
}

export class XmlReader implements OsmFileReader {
  readonly format: 'xml' | 'xml.bz2';
  readonly size: number;
  private cachedHeader?: OsmHeader;

  constructor(readonly path: string) {
    this.format = path.toLowerCase().endsWith('.bz2') ? 'xml.bz2' : 'xml';
    try {
      this.size = fs.statSync(path).size;
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot read OSM file ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async header(): Promise<OsmHeader> {
    if (!this.cachedHeader) {
      const state = newState();
      // Stops at the first entity: the header is everything before it.
      for await (const _ of this.parse(state, { nodes: false, ways: false, relations: false }, true)) { /* drain */ }
      this.cachedHeader = state.header;
    }
    return this.cachedHeader;
  }

  async *blocks(opts: OsmReadOptions = {}): AsyncGenerator<OsmBlock> {
    const state = newState();
    yield* this.parse(state, opts, false);
    this.cachedHeader ??= state.header;
  }

  private async *parse(state: ParseState, opts: OsmReadOptions, headerOnly: boolean): AsyncGenerator<OsmBlock> {
    const want = { nodes: opts.nodes ?? true, ways: opts.ways ?? true, relations: opts.relations ?? true };
    const parser = new SaxesParser();
    parser.on('error', (e) => { throw this.bad(`XML error at line ${e.message}`); });
    parser.on('opentag', (tag) => this.onOpen(state, tag, want));
    parser.on('closetag', (tag) => onClose(state, tag.name));

    const file = fs.createReadStream(this.path, { highWaterMark: READ_CHUNK });
    let bytes = 0;
    file.on('data', (c) => { bytes += c.length; });
    const bz = this.format === 'xml.bz2' ? startBunzip(file, this.path) : undefined;
    const text: AsyncIterable<Buffer> = bz ? bz.child.stdout : file;
    let stopped = false;
    try {
      for await (const s of utf8Chunks(text, () => this.bad('invalid UTF-8 text (not an OSM XML file)'))) {
        parser.write(s);
        if (headerOnly && state.sawEntity) { stopped = true; break; }
        opts.onBytes?.(bytes);
        while (state.ready.length) yield state.ready.shift()!;
      }
      if (bz && !stopped) await bz.done;
      if (!stopped) {
        parser.close();
        if (!state.sawRoot) throw this.bad('no <osm> element (empty or not an OSM XML file)');
        flush(state);
        opts.onBytes?.(bytes);
        while (state.ready.length) yield state.ready.shift()!;
      }
    } finally {
      file.destroy();
      if (bz && bz.child.exitCode === null) bz.child.kill();
    }
  }

  private onOpen(state: ParseState, tag: SaxesTag, want: Required<Pick<OsmReadOptions, 'nodes' | 'ways' | 'relations'>>): void {
    const a = tag.attributes as Record<string, string>;
    if (!state.sawRoot) {
      if (tag.name !== 'osm') throw this.bad(`root element is <${tag.name}>, expected <osm> (not an OSM XML file)`);
      state.sawRoot = true;
      if (a.generator) state.header.writingProgram = a.generator;
      if (a.timestamp) state.header.timestamp = a.timestamp;
      return;
    }
    switch (tag.name) {
      case 'node':
        state.sawEntity = true;
        if (want.nodes && a.visible !== 'false') state.node = { type: 'node', id: this.num(a, 'id', tag.name), lon: this.num(a, 'lon', tag.name), lat: this.num(a, 'lat', tag.name), tags: {} };
        break;
      case 'way':
        state.sawEntity = true;
        state.inWay = a.visible !== 'false';
        if (want.ways && a.visible !== 'false') state.way = { id: this.num(a, 'id', tag.name), refs: [], tags: {} };
        break;
      case 'relation':
        state.sawEntity = true;
        if (want.relations && a.visible !== 'false') state.relation = { type: 'relation', id: this.num(a, 'id', tag.name), members: [], tags: {} };
        break;
      case 'nd': {
        if (!state.inWay) break;
        const ref = this.num(a, 'ref', tag.name);
        state.way?.refs.push(ref);
        // locations on ways (osmium add-locations-to-ways): the node's place, as if it had been read
        if (want.nodes && a.lat !== undefined && a.lon !== undefined) {
          state.ids.push(ref);
          state.lons.push(this.num(a, 'lon', tag.name));
          state.lats.push(this.num(a, 'lat', tag.name));
        }
        break;
      }
      case 'member':
        if (state.relation) {
          if (!MEMBER_TYPES.has(a.type)) throw this.bad(`relation ${state.relation.id}: unknown member type '${a.type}'`);
          state.relation.members.push({ type: a.type as OsmMember['type'], ref: this.num(a, 'ref', tag.name), role: a.role ?? '' });
        }
        break;
      case 'tag': {
        const owner = state.node ?? state.way ?? state.relation;
        if (owner && a.k !== undefined) owner.tags[a.k] = a.v ?? '';
        break;
      }
      case 'bounds':
        state.header.bbox = [this.num(a, 'minlon', 'bounds'), this.num(a, 'minlat', 'bounds'), this.num(a, 'maxlon', 'bounds'), this.num(a, 'maxlat', 'bounds')];
        break;
      case 'bound': {
        // Osmosis' older form: box="minlat,minlon,maxlat,maxlon".
        const v = (a.box ?? '').split(',').map(Number);
        if (v.length !== 4 || v.some((x) => !Number.isFinite(x))) throw this.bad(`<bound> with invalid box='${a.box ?? ''}'`);
        state.header.bbox = [v[1], v[0], v[3], v[2]];
        break;
      }
      case 'meta':
        // Overpass API puts the data timestamp here.
        if (a.osm_base && !state.header.timestamp) state.header.timestamp = a.osm_base;
        break;
      default:
    }
  }

  private num(a: Record<string, string>, key: string, el: string): number {
    return numberAttr(this.path, a, key, el);
  }

  private bad(what: string): TuilerieError {
    return badXml(this.path, what);
  }

}

function newState(): ParseState {
  return { header: { requiredFeatures: [] }, sawRoot: false, ids: [], lons: [], lats: [], tagged: [], ways: [], relations: [], count: 0, ready: [], sawEntity: false, inWay: false };
}

function onClose(state: ParseState, name: string): void {
  if (name === 'node' && state.node) {
    const n = state.node;
    state.ids.push(n.id);
    state.lons.push(n.lon);
    state.lats.push(n.lat);
    for (const _ in n.tags) { state.tagged.push(n); break; }
    state.node = undefined;
  } else if (name === 'way' && state.inWay) {
    const w = state.way;
    if (w) state.ways.push({ type: 'way', id: w.id, refs: Float64Array.from(w.refs), tags: w.tags });
    state.way = undefined;
    state.inWay = false;
  } else if (name === 'relation' && state.relation) {
    state.relations.push(state.relation);
    state.relation = undefined;
  } else return;
  if (++state.count >= BATCH) flush(state);
}

function flush(state: ParseState): void {
  if (state.count === 0) return;
  state.ready.push({
    nodeIds: Float64Array.from(state.ids),
    nodeLons: Float64Array.from(state.lons),
    nodeLats: Float64Array.from(state.lats),
    taggedNodes: state.tagged,
    ways: state.ways,
    relations: state.relations,
  });
  state.ids = []; state.lons = []; state.lats = [];
  state.tagged = []; state.ways = []; state.relations = [];
  state.count = 0;
}
