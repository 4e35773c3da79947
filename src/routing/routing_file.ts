/**
 * The `.routing` file beside an MBTiles: one header, then typed arrays.
 *
 * Layout: 8-byte magic `TUILROUT`, uint32 format version, uint32 JSON length, the
 * JSON table of contents (metadata + for each array its name, type, byte offset and
 * length), then the arrays, each 8-byte aligned. Loading reads the file once and
 * makes typed-array views over it: no parsing per element. Written to a temporary
 * file and renamed, so a reader never sees half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TuilerieError } from '../core/errors.js';
import { registerTempFile, releaseTempFile, removeStaleTempFiles, tempPathFor } from '../core/temp_files.js';

export const ROUTING_FILE_MAGIC = 'TUILROUT';
/** 2: per-edge road classes (`net.edgeClasses`) for `exclude=`. */
export const ROUTING_FILE_VERSION = 2;

type AnyArray = Int32Array | Uint32Array | Float64Array | Float32Array | Uint8Array;
const TYPES = { Int32Array, Uint32Array, Float64Array, Float32Array, Uint8Array } as const;
type TypeName = keyof typeof TYPES;

interface TocEntry { name: string; type: TypeName; offset: number; length: number }

export interface RoutingFileContents {
  meta: Record<string, unknown>;
  arrays: Map<string, AnyArray>;
}

export const routingFile = {
  write(file: string, meta: Record<string, unknown>, arrays: Map<string, AnyArray>): number {
    const toc: TocEntry[] = [];
    let offset = 0;
    for (const [name, arr] of arrays) {
      toc.push({ name, type: arr.constructor.name as TypeName, offset, length: arr.length });
      offset += Math.ceil(arr.byteLength / 8) * 8;
    }
    const json = Buffer.from(JSON.stringify({ meta, toc }), 'utf8');
    const headerLen = Math.ceil((16 + json.length) / 8) * 8;
    const header = Buffer.alloc(headerLen);
    header.write(ROUTING_FILE_MAGIC, 0, 'latin1');
    header.writeUInt32LE(ROUTING_FILE_VERSION, 8);
    header.writeUInt32LE(json.length, 12);
    json.copy(header, 16);
    removeStaleTempFiles(file);
    const tmp = tempPathFor(file);
    registerTempFile(tmp);
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, header);
      const pad = Buffer.alloc(8);
      for (const [, arr] of arrays) {
        fs.writeSync(fd, new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
        const rest = (8 - (arr.byteLength % 8)) % 8;
        if (rest) fs.writeSync(fd, pad, 0, rest);
      }
      fs.fsyncSync(fd);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      releaseTempFile(tmp);
      throw new TuilerieError('IO_ERROR', `cannot write ${file}: ${(e as Error).message}`, { cause: e });
    }
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
    releaseTempFile(tmp);
    return headerLen + offset;
  },

  /** Format version of a routing file, or undefined when it is missing or not one. */
  version(file: string): number | undefined {
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, 'r');
      const head = Buffer.alloc(12);
      if (fs.readSync(fd, head, 0, 12, 0) < 12 || head.toString('latin1', 0, 8) !== ROUTING_FILE_MAGIC) return undefined;
      return head.readUInt32LE(8);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },

  read(file: string): RoutingFileContents {
    let buf: Buffer;
    try {
      const size = fs.statSync(file).size;
      // A fresh ArrayBuffer (not the pooled one readFileSync may use) keeps views aligned.
      const ab = new ArrayBuffer(size);
      buf = Buffer.from(ab);
      const fd = fs.openSync(file, 'r');
      try {
        let done = 0;
        while (done < size) done += fs.readSync(fd, buf, done, size - done, done);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot read routing graph ${file}: ${(e as Error).message}`, { cause: e });
    }
    if (buf.length < 16 || buf.toString('latin1', 0, 8) !== ROUTING_FILE_MAGIC) {
      throw new TuilerieError('BAD_INPUT', `${file} is not a Tuilerie routing graph; rebuild it with \`tuilerie route-build\``);
    }
    const version = buf.readUInt32LE(8);
    if (version !== ROUTING_FILE_VERSION) {
      throw new TuilerieError('BAD_INPUT', `${file} has routing format version ${version}, this build reads ${ROUTING_FILE_VERSION}; rebuild it with \`tuilerie route-build\``);
    }
    const jsonLen = buf.readUInt32LE(12);
    const { meta, toc } = JSON.parse(buf.toString('utf8', 16, 16 + jsonLen)) as { meta: Record<string, unknown>; toc: TocEntry[] };
    const base = Math.ceil((16 + jsonLen) / 8) * 8;
    const arrays = new Map<string, AnyArray>();
    for (const t of toc) {
      const Ctor = TYPES[t.type];
      if (!Ctor) throw new TuilerieError('BAD_INPUT', `${file}: unknown array type ${t.type}`);
      const bytes = t.length * Ctor.BYTES_PER_ELEMENT;
      if (base + t.offset + bytes > buf.length) throw new TuilerieError('BAD_INPUT', `${file} is truncated; rebuild it`);
      arrays.set(t.name, new Ctor(buf.buffer as ArrayBuffer, buf.byteOffset + base + t.offset, t.length));
    }
    return { meta, arrays };
  },
};
