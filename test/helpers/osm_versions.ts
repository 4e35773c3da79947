/**
 * Versions of a real extract made by editing it in code, and the osmChange between two
 * versions made by `osmium derive-changes` (Debian osmium-tool): what the update tests
 * apply. An edited object gets the next version number, as in OSM (osmium compares
 * versions to tell what changed).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { SaxesParser } from 'saxes';
import { esc, tagLines, type Tags } from './osm_xml.js';

export interface OsmObject {
  type: 'node' | 'way' | 'relation';
  id: number;
  version: number;
  lon?: number;
  lat?: number;
  refs?: number[];
  members?: { type: string; ref: number; role: string }[];
  tags: Tags;
}

/** Every object of an OSM file (any format osmium reads), in file order. */
export function readOsmObjects(file: string): OsmObject[] {
  const xml = execFileSync('osmium', ['cat', file, '-f', 'osm', '-o', '-'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const out: OsmObject[] = [];
  let cur: OsmObject | undefined;
  const p = new SaxesParser();
  p.on('opentag', (t) => {
    const a = t.attributes as Record<string, string>;
    if (t.name === 'node' || t.name === 'way' || t.name === 'relation') {
      cur = { type: t.name, id: Number(a.id), version: Number(a.version ?? 1), tags: {} };
      if (t.name === 'node') { cur.lon = Number(a.lon); cur.lat = Number(a.lat); }
      if (t.name === 'way') cur.refs = [];
      if (t.name === 'relation') cur.members = [];
      out.push(cur);
    } else if (cur && t.name === 'tag') cur.tags[a.k] = a.v;
    else if (cur && t.name === 'nd') cur.refs!.push(Number(a.ref));
    else if (cur && t.name === 'member') cur.members!.push({ type: a.type, ref: Number(a.ref), role: a.role ?? '' });
  });
  p.write(xml).close();
  return out;
}

/** Writes the objects as a sorted .osm.pbf (through osmium sort). */
export function writeOsmObjects(objects: OsmObject[], file: string): void {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="tuilerie-test">'];
  for (const o of objects) {
    const tags = tagLines(o.tags);
    if (o.type === 'node') lines.push(`<node id="${o.id}" version="${o.version}" lat="${o.lat!.toFixed(7)}" lon="${o.lon!.toFixed(7)}">${tags}</node>`);
    else if (o.type === 'way') lines.push(`<way id="${o.id}" version="${o.version}">${o.refs!.map((r) => `<nd ref="${r}"/>`).join('')}${tags}</way>`);
    else lines.push(`<relation id="${o.id}" version="${o.version}">${o.members!.map((m) => `<member type="${m.type}" ref="${m.ref}" role="${esc(m.role)}"/>`).join('')}${tags}</relation>`);
  }
  lines.push('</osm>');
  const xml = `${file}.tmp.osm`;
  fs.writeFileSync(xml, lines.join('\n'));
  execFileSync('osmium', ['sort', '--overwrite', '-o', file, xml]);
  fs.rmSync(xml);
}

/** The osmChange turning `from` into `to` (osmium derive-changes). */
export function deriveChanges(from: string, to: string, out: string): void {
  execFileSync('osmium', ['derive-changes', '--overwrite', '-o', out, from, to]);
}

/** A deep copy, so each version is edited on its own. */
export function copyObjects(objects: OsmObject[]): OsmObject[] {
  return objects.map((o) => ({ ...o, tags: { ...o.tags }, refs: o.refs && [...o.refs], members: o.members?.map((m) => ({ ...m })) }));
}
