/**
 * Small OSM XML files written by tests: nodes, ways and relations described in
 * code, so no fixture file is committed and every case states its own data.
 */
import fs from 'node:fs';

export type Tags = Record<string, string>;
export interface XmlNode { id: number; lon: number; lat: number; tags?: Tags }
export interface XmlWay { id: number; refs: number[]; tags?: Tags }
export interface XmlRelation { id: number; members: { type: 'node' | 'way' | 'relation'; ref: number; role?: string }[]; tags?: Tags }
export interface OsmXmlContent { nodes: XmlNode[]; ways?: XmlWay[]; relations?: XmlRelation[] }

/** `v` as XML attribute text. */
export function esc(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The `<tag>` elements of `tags`. */
export function tagLines(tags: Tags | undefined): string {
  return Object.entries(tags ?? {}).map(([k, v]) => `<tag k="${esc(k)}" v="${esc(v)}"/>`).join('');
}

export function osmXml(c: OsmXmlContent): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="tuilerie-test">'];
  for (const n of c.nodes) {
    lines.push(`  <node id="${n.id}" version="1" lat="${n.lat.toFixed(7)}" lon="${n.lon.toFixed(7)}">${tagLines(n.tags)}</node>`);
  }
  for (const w of c.ways ?? []) {
    lines.push(`  <way id="${w.id}" version="1">${w.refs.map((r) => `<nd ref="${r}"/>`).join('')}${tagLines(w.tags)}</way>`);
  }
  for (const r of c.relations ?? []) {
    const members = r.members.map((m) => `<member type="${m.type}" ref="${m.ref}" role="${esc(m.role ?? '')}"/>`).join('');
    lines.push(`  <relation id="${r.id}" version="1">${members}${tagLines(r.tags)}</relation>`);
  }
  lines.push('</osm>', '');
  return lines.join('\n');
}

export function writeOsmXml(file: string, c: OsmXmlContent): string {
  fs.writeFileSync(file, osmXml(c));
  return file;
}
