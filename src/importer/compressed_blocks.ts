/**
 * A temporary file as a byte stream cut into fixed-size blocks, each compressed with
 * zlib (deflate at level 1: spilled tile features shrink about 5×, for a few percent
 * of the import's CPU) and checked by zlib's Adler-32 on reading. Callers write and
 * read a plain stream: a record may span blocks. Layout: an 8-byte magic, then per
 * block `u32 raw length, u32 compressed length, zlib data` (little-endian), then an
 * empty block header (0, 0) that marks a complete file: a file cut at a block
 * boundary is reported as truncated, not read as a shorter one.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { TuilerieError } from '../core/errors.js';
import { rethrowDiskError } from '../core/disk_errors.js';
import { OwnedFd } from '../core/owned_fd.js';

const MAGIC = Buffer.from('TUILBLK1', 'latin1');
const HEADER = 8;
/** Raw bytes a block holds (the last one of a file may hold fewer). */
export const BLOCK_BYTES = 1 << 20;
/** No writer makes a larger block: a header claiming more is corrupt. */
const MAX_BLOCK = 1 << 30;

/** A temporary file that is not what its writer wrote (truncated, altered): a bug or a disk fault, never bad input. */
export class CorruptTempFileError extends TuilerieError {
  constructor(readonly file: string, what: string, cause?: unknown) {
    super('IO_ERROR', `temporary file ${file} is corrupt (${what}): the disk or another process altered it; run the import again`, { cause, details: { file } });
    this.name = 'CorruptTempFileError';
  }
}

export interface BlockWriterOptions {
  /** Raw bytes per block (tests use tiny blocks). */
  blockBytes?: number;
  /** zlib level, 1 (fast) by default. */
  level?: number;
}

/** Compresses and appends blocks; `bytes` counts what is on disk. */
export class CompressedBlockWriter {
  private readonly fd: OwnedFd;
  private readonly level: number;
  readonly blockBytes: number;
  /** Bytes written to the file so far (compressed, headers included). */
  bytes = 0;

  constructor(readonly file: string, o: BlockWriterOptions = {}) {
    this.blockBytes = o.blockBytes ?? BLOCK_BYTES;
    this.level = o.level ?? 1;
    try {
      this.fd = new OwnedFd(fs.openSync(file, 'w'));
    } catch (e) {
      rethrowDiskError(e, file);
    }
    try {
      this.put(MAGIC);
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Writes `raw` as one block. */
  writeBlock(raw: Uint8Array): void {
    if (raw.length === 0) return;
    const z = zlib.deflateSync(raw, { level: this.level });
    const h = Buffer.alloc(HEADER);
    h.writeUInt32LE(raw.length, 0);
    h.writeUInt32LE(z.length, 4);
    this.put(h);
    this.put(z);
  }

  private put(b: Uint8Array): void {
    try {
      let off = 0;
      while (off < b.length) off += fs.writeSync(this.fd.fd, b, off, b.length - off);
    } catch (e) {
      rethrowDiskError(e, this.file);
    }
    this.bytes += b.length;
  }

  /** Writes the end mark and closes the file (closed also when the end mark cannot be written). */
  close(): void {
    try {
      this.put(Buffer.alloc(HEADER));
    } finally {
      this.fd.close();
    }
  }

  /** Closes the file without an end mark, after a failed write: a reader reports it truncated (nothing when closed already). */
  abort(): void {
    this.fd.abort();
  }
}

/**
 * A byte stream cut into blocks of `blockBytes` as it is written: `reserve(n)` gives
 * room for n bytes at `pos`, the caller writes there and advances `pos`; full blocks
 * go to the file, the rest of a record carries into the next block.
 */
export class BlockStreamWriter {
  private readonly out: CompressedBlockWriter;
  buf: Buffer;
  pos = 0;

  constructor(file: string, o: BlockWriterOptions = {}) {
    this.out = new CompressedBlockWriter(file, o);
    try {
      this.buf = Buffer.alloc(this.out.blockBytes * 2);
    } catch (e) {
      this.out.abort();
      throw e;
    }
  }

  get file(): string { return this.out.file; }
  /** Raw bytes per block. */
  get blockSize(): number { return this.out.blockBytes; }
  /** Bytes on disk so far (compressed). */
  get bytes(): number { return this.out.bytes; }

  /** Makes room for `n` more bytes at `pos`, writing full blocks first. */
  reserve(n: number): void {
    const block = this.out.blockBytes;
    if (this.pos >= block) {
      let off = 0;
      while (this.pos - off >= block) { this.out.writeBlock(this.buf.subarray(off, off + block)); off += block; }
      this.buf.copy(this.buf, 0, off, this.pos);
      this.pos -= off;
    }
    if (this.pos + n > this.buf.length) {
      const bigger = Buffer.alloc(this.pos + n + block);
      this.buf.copy(bigger, 0, 0, this.pos);
      this.buf = bigger;
    }
  }

  close(): void {
    try {
      this.reserve(0);
      this.out.writeBlock(this.buf.subarray(0, this.pos));
    } catch (e) {
      this.out.abort();
      throw e;
    }
    this.pos = 0;
    this.out.close();
  }

  /** Closes the file after a failed write (see CompressedBlockWriter.abort). */
  abort(): void {
    this.out.abort();
  }
}

/** Reads a file of compressed blocks back as a byte stream: `fill(n)` makes n bytes available at `buf[start…]`. */
export class BlockStreamReader {
  private readonly fd: number;
  private fileOffset = 0;
  private eof = false;
  private readonly header = Buffer.alloc(HEADER);
  buf: Buffer = Buffer.alloc(0);
  start = 0;
  end = 0;

  constructor(readonly file: string) {
    try {
      this.fd = fs.openSync(file, 'r');
    } catch (e) {
      throw new TuilerieError('IO_ERROR', `cannot read temporary file ${file}: ${(e as Error).message}`, { cause: e });
    }
    const magic = Buffer.alloc(MAGIC.length);
    try {
      if (this.readFully(magic) !== magic.length || !magic.equals(MAGIC)) throw new CorruptTempFileError(file, 'no block file header');
    } catch (e) {
      fs.closeSync(this.fd);
      throw e;
    }
  }

  private readFully(b: Buffer): number {
    let got = 0;
    while (got < b.length) {
      const n = fs.readSync(this.fd, b, got, b.length - got, this.fileOffset);
      if (n === 0) break;
      got += n;
      this.fileOffset += n;
    }
    return got;
  }

  /** The next block, decompressed, or undefined at the end of the file. */
  private nextBlock(): Buffer | undefined {
    const got = this.readFully(this.header);
    const at = this.fileOffset - got;
    if (got < HEADER) throw new CorruptTempFileError(this.file, `truncated at byte ${at}: no end mark`);
    const raw = this.header.readUInt32LE(0), packed = this.header.readUInt32LE(4);
    if (raw === 0 && packed === 0) {
      if (this.readFully(this.header.subarray(0, 1)) !== 0) throw new CorruptTempFileError(this.file, `bytes after the end mark at byte ${at}`);
      return undefined;
    }
    if (raw === 0 || raw > MAX_BLOCK || packed > MAX_BLOCK) throw new CorruptTempFileError(this.file, `bad block header at byte ${at}`);
    const z = Buffer.alloc(packed);
    if (this.readFully(z) < packed) throw new CorruptTempFileError(this.file, `truncated block at byte ${at}`);
    let out: Buffer;
    try {
      out = zlib.inflateSync(z, { maxOutputLength: raw });
    } catch (e) {
      throw new CorruptTempFileError(this.file, `block at byte ${at} does not decompress: ${(e as Error).message}`, e);
    }
    if (out.length !== raw) throw new CorruptTempFileError(this.file, `block at byte ${at} holds ${out.length} bytes, not ${raw}`);
    return out;
  }

  /** Whether `n` bytes are available from `start` (false: the stream ends before). Moves the buffer's contents, never past `start`. */
  fill(n: number): boolean {
    while (this.end - this.start < n) {
      if (this.eof) return false;
      const block = this.nextBlock();
      if (!block) { this.eof = true; return false; }
      const held = this.end - this.start;
      if (held + block.length > this.buf.length) {
        const bigger = Buffer.alloc(Math.max(2 * (held + block.length), n));
        this.buf.copy(bigger, 0, this.start, this.end);
        this.buf = bigger;
      } else {
        this.buf.copy(this.buf, 0, this.start, this.end);
      }
      this.start = 0;
      block.copy(this.buf, held);
      this.end = held + block.length;
    }
    return true;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
