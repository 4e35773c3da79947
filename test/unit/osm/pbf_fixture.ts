/**
 * Writes tiny synthetic OSM PBF files for cases the real extracts do not contain
 * (plain Node messages, odd granularity, history files, lzma blobs).
 */
import fs from 'node:fs';
import { deflateSync } from 'node:zlib';
import { PbfWriter } from 'pbf';

export interface FixtureNode { id: number; lat: number; lon: number; tags?: Record<string, string> }

export interface FixtureOptions {
  requiredFeatures?: string[];
  /** How the data blob is stored: zlib (default), raw, or tagged as lzma (payload not really lzma). */
  compression?: 'zlib' | 'raw' | 'lzma';
  granularity?: number;
  latOffset?: number;
  lonOffset?: number;
  nodes?: FixtureNode[];
}

function blob(payload: Uint8Array, compression: FixtureOptions['compression']): Uint8Array {
  const w = new PbfWriter();
  if (compression === 'raw') w.writeBytesField(1, payload);
  else {
    w.writeVarintField(2, payload.length);
    w.writeBytesField(compression === 'lzma' ? 4 : 3, compression === 'lzma' ? payload : deflateSync(payload));
  }
  return w.finish();
}

function frame(type: string, data: Uint8Array): Buffer {
  const h = new PbfWriter();
  h.writeStringField(1, type);
  h.writeVarintField(3, data.length);
  const header = h.finish();
  const len = Buffer.alloc(4);
  len.writeUInt32BE(header.length);
  return Buffer.concat([len, header, data]);
}

export function writePbfFixture(file: string, opts: FixtureOptions = {}): void {
  const hb = new PbfWriter();
  for (const f of opts.requiredFeatures ?? ['OsmSchema-V0.6']) hb.writeStringField(4, f);
  hb.writeStringField(16, 'tuilerie-test');

  const strings = [''];
  const sid = (s: string): number => {
    let i = strings.indexOf(s);
    if (i < 0) { i = strings.length; strings.push(s); }
    return i;
  };
  const gran = opts.granularity ?? 100;
  const latOff = opts.latOffset ?? 0, lonOff = opts.lonOffset ?? 0;
  const group = new PbfWriter();
  for (const n of opts.nodes ?? []) {
    group.writeMessage(1, (node: FixtureNode, pw) => {
      pw.writeSVarintField(1, node.id);
      const tags = Object.entries(node.tags ?? {});
      if (tags.length) {
        pw.writePackedVarint(2, tags.map(([k]) => sid(k)));
        pw.writePackedVarint(3, tags.map(([, v]) => sid(v)));
      }
      pw.writeSVarintField(8, Math.round((node.lat * 1e9 - latOff) / gran));
      pw.writeSVarintField(9, Math.round((node.lon * 1e9 - lonOff) / gran));
    }, n);
  }
  const groupBytes = group.finish();
  const pb = new PbfWriter();
  pb.writeMessage(1, (ss: string[], pw) => { for (const s of ss) pw.writeStringField(1, s); }, strings);
  pb.writeBytesField(2, groupBytes);
  pb.writeVarintField(17, gran);
  if (latOff) pb.writeVarintField(19, latOff);
  if (lonOff) pb.writeVarintField(20, lonOff);

  fs.writeFileSync(file, Buffer.concat([
    frame('OSMHeader', blob(hb.finish(), 'zlib')),
    frame('OSMData', blob(pb.finish(), opts.compression ?? 'zlib')),
  ]));
}
