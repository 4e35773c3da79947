/**
 * OSM PBF reader: the main thread reads blobs in file order and a pool of worker
 * threads inflates and decodes them; blocks are yielded in file order with a bounded
 * number in flight, so memory stays flat on any file size.
 */
import fs from 'node:fs';
import os from 'node:os';
import { TuilerieError, isTuilerieError } from '../core/errors.js';
import { decodeHeaderBlock, unsupportedFeatures, type BlockFilter } from './pbf_block_decoder.js';
import { decodeBlob, PbfDecodeError } from './pbf_blob.js';
import { PbfBlobStream, type RawBlob } from './pbf_blob_stream.js';
import { BlobDecodeError, PbfDecodePool } from './pbf_decode_pool.js';
import type { OsmBlock, OsmFileReader, OsmHeader, OsmReadOptions } from './types.js';

/** Blobs handed to the pool ahead of the one being yielded, per thread. */
const IN_FLIGHT_PER_THREAD = 4;
/** Default thread count: one worker per this much file (up to the core count). */
const BYTES_PER_DEFAULT_THREAD = 8 * 1024 * 1024;

export class PbfReader implements OsmFileReader {
  readonly format = 'pbf' as const;
  readonly size: number;
  private cachedHeader?: OsmHeader;

  constructor(readonly path: string) {
    try {
      this.size = fs.statSync(path).size;
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot read OSM file ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async header(): Promise<OsmHeader> {
    if (this.cachedHeader) return this.cachedHeader;
    const stream = new PbfBlobStream(this.path);
    await stream.open();
    try {
      return await this.readHeader(stream);
    } finally {
      await stream.close();
    }
  }

  async *blocks(opts: OsmReadOptions = {}): AsyncGenerator<OsmBlock> {
    const filter: BlockFilter = { nodes: opts.nodes ?? true, ways: opts.ways ?? true, relations: opts.relations ?? true, routing: opts.routingOnly ?? false };
    // By default, no more workers than the file has work for: each starts cold (JIT), which costs more than it gives on a small extract.
    const threads = Math.max(1, Math.floor(opts.threads ?? Math.min(os.availableParallelism(), Math.ceil(this.size / BYTES_PER_DEFAULT_THREAD))));
    const stream = new PbfBlobStream(this.path);
    await stream.open();
    let pool: PbfDecodePool | undefined;
    try {
      await this.readHeader(stream);
      opts.onBytes?.(stream.consumed);
      if (!filter.nodes && !filter.ways && !filter.relations) return;
      pool = new PbfDecodePool(threads);
      const queue: { block: Promise<OsmBlock>; end: number }[] = [];
      let eof = false;
      for (;;) {
        while (!eof && queue.length < threads * IN_FLIGHT_PER_THREAD) {
          const blob = await stream.next();
          if (!blob) { eof = true; break; }
          if (blob.type !== 'OSMData') {
            if (blob.type === 'OSMHeader') throw this.bad(blob, 'a second OSMHeader block');
            continue; // the spec lets readers skip unknown blob types
          }
          const p = pool.decode(blob.data, filter).catch((e: unknown) => { throw this.wrap(e, blob); });
          p.catch(() => {}); // observed later, in order; avoids an unhandled rejection meanwhile
          queue.push({ block: p, end: stream.consumed });
        }
        const next = queue.shift();
        if (!next) break;
        const block = await next.block;
        opts.onBytes?.(next.end);
        if (block.nodeIds.length || block.taggedNodes.length || block.ways.length || block.relations.length) yield block;
      }
    } finally {
      await pool?.close();
      await stream.close();
    }
  }

  private async readHeader(stream: PbfBlobStream): Promise<OsmHeader> {
    const blob = await stream.next();
    if (!blob) throw new TuilerieError('BAD_INPUT', `${this.path}: empty file, not an OSM PBF`);
    if (blob.type !== 'OSMHeader') throw this.bad(blob, `first block is '${blob.type}', expected 'OSMHeader' (not an OSM PBF file)`);
    let header: OsmHeader;
    try {
      header = decodeHeaderBlock(decodeBlob(blob.data));
    } catch (e) {
      throw this.wrap(e, blob);
    }
    const unknown = unsupportedFeatures(header);
    if (unknown.length > 0) {
      const hint = unknown.includes('HistoricalInformation') ? ' (a history file: use a current-data extract)' : '';
      throw new TuilerieError('UNSUPPORTED_FORMAT', `${this.path} requires features this reader does not support: ${unknown.join(', ')}${hint}`);
    }
    this.cachedHeader = header;
    return header;
  }

  private bad(blob: RawBlob, what: string): TuilerieError {
    return new TuilerieError('BAD_INPUT', `${this.path}: ${what} at byte ${blob.offset}`);
  }

  private wrap(e: unknown, blob: RawBlob): TuilerieError {
    if (isTuilerieError(e)) return e.code === 'UNSUPPORTED_FORMAT' ? new TuilerieError(e.code, `${this.path}: ${e.message}`) : e;
    if (e instanceof BlobDecodeError && e.code === 'UNSUPPORTED_FORMAT') return new TuilerieError(e.code, `${this.path}: ${e.message}`);
    if (e instanceof BlobDecodeError || e instanceof PbfDecodeError || e instanceof Error) {
      return this.bad(blob, `corrupt ${blob.type} block: ${e.message}`);
    }
    return this.bad(blob, `corrupt ${blob.type} block: ${String(e)}`);
  }
}
