/**
 * Opens an OSM file with the reader its extension calls for, after checking that the
 * first bytes agree, so a mislabelled file fails at once with a clear message rather
 * than deep inside a decoder.
 */
import fs from 'node:fs/promises';
import { TuilerieError } from '../core/errors.js';
import { PbfReader } from './pbf_reader.js';
import { XmlReader } from './xml_reader.js';
import type { OsmFileReader } from './types.js';

type Format = OsmFileReader['format'];

const EXTENSIONS: [string, Format][] = [
  ['.osm.pbf', 'pbf'],
  ['.pbf', 'pbf'],
  ['.osm.bz2', 'xml.bz2'],
  ['.osm', 'xml'],
];

export function osmFormatOf(path: string): Format | undefined {
  const lower = path.toLowerCase();
  return EXTENSIONS.find(([ext]) => lower.endsWith(ext))?.[1];
}

export async function openOsmFile(path: string): Promise<OsmFileReader> {
  const format = osmFormatOf(path);
  if (!format) {
    throw new TuilerieError('UNSUPPORTED_FORMAT', `${path}: unknown OSM file extension; expected .osm.pbf, .pbf, .osm or .osm.bz2`);
  }
  let head: Buffer;
  try {
    const fh = await fs.open(path, 'r');
    try {
      head = Buffer.alloc(64);
      const { bytesRead } = await fh.read(head, 0, 64, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'file not found' : err.code === 'EISDIR' ? 'is a directory, not a file' : err.message;
    throw new TuilerieError('IO_ERROR', `${path}: cannot read OSM file: ${why}`, { cause: e });
  }
  const problem = checkMagic(head, format);
  if (problem) throw new TuilerieError('BAD_INPUT', `${path}: ${problem}`);
  return format === 'pbf' ? new PbfReader(path) : new XmlReader(path);
}

/** What is wrong with the first bytes for the format, or undefined when they fit. */
function checkMagic(head: Buffer, format: Format): string | undefined {
  if (head.length === 0) return 'empty file';
  if (format === 'pbf') {
    // A PBF starts with a 4-byte header length, then a BlobHeader whose field 1 is the string "OSMHeader".
    const ok = head.length >= 15 && head[4] === 0x0a && head[5] === 9 && head.toString('latin1', 6, 15) === 'OSMHeader';
    return ok ? undefined : `not an OSM PBF file (it does not start with an OSMHeader block; first bytes: ${preview(head)})`;
  }
  if (format === 'xml.bz2') {
    return head.toString('latin1', 0, 3) === 'BZh' ? undefined : `not a bzip2 file (first bytes: ${preview(head)})`;
  }
  let s = head.toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return s.trimStart().startsWith('<') ? undefined : `not an XML file (first bytes: ${preview(head)})`;
}

function preview(head: Buffer): string {
  return JSON.stringify(head.subarray(0, 16).toString('latin1').replace(/[^\x20-\x7e]/g, '.'));
}
