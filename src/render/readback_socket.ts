/**
 * Receives rendered pixels from the page over a WebSocket. Megabytes of pixels
 * through the DevTools protocol cost about a second (base64 in JSON), and a POST
 * is paused and copied by request interception; a WebSocket frame on loopback
 * takes milliseconds. Only the receiving half of RFC 6455 that browsers use:
 * masked binary frames, possibly fragmented, and close.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Header of each message: the upload id as a little-endian uint32. */
export const READBACK_HEADER_BYTES = 4;

export type UploadHandler = (id: number, pixels: Buffer) => void;

class FrameReader {
  // chunks are only joined once a whole frame is there: joining on every 64 kB
  // chunk of a 16 MB frame would copy gigabytes
  private chunks: Buffer[] = [];
  private size = 0;
  private need = 2;
  private parts: Buffer[] = [];

  constructor(private readonly socket: Duplex, private readonly onMessage: (data: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size < this.need) return;
    let buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    for (;;) {
      const want = this.frameLength(buf);
      if (want === undefined || buf.length < want.total) {
        this.need = want?.total ?? (buf.length < 2 ? 2 : 14);
        if (buf.length) {
          this.chunks = [buf];
          this.size = buf.length;
        }
        return;
      }
      this.frame(buf.subarray(0, want.total), want.off);
      buf = buf.subarray(want.total);
      this.need = 2;
    }
  }

  /** Header size and total frame size, or undefined while the header is incomplete. */
  private frameLength(buf: Buffer): { off: number; total: number } | undefined {
    if (buf.length < 2) return undefined;
    const masked = (buf[1] & 0x80) !== 0;
    let len = buf[1] & 0x7f;
    let off = 2;
    if (len === 126) {
      if (buf.length < 4) return undefined;
      len = buf.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (buf.length < 10) return undefined;
      len = Number(buf.readBigUInt64BE(2));
      off = 10;
    }
    if (masked) off += 4;
    return { off, total: off + len };
  }

  private frame(f: Buffer, off: number): void {
    const fin = (f[0] & 0x80) !== 0;
    const opcode = f[0] & 0x0f;
    const payload = Buffer.from(f.subarray(off));
    if ((f[1] & 0x80) !== 0) {
      const mask = f.subarray(off - 4, off);
      let i = 0;
      if (payload.byteOffset % 4 === 0) {
        // endianness does not matter: the mask word is read with the same byte order as the data
        const words = new Uint32Array(payload.buffer, payload.byteOffset, payload.length >>> 2);
        const m32 = new Uint32Array(new Uint8Array(mask).buffer)[0];
        for (let w = 0; w < words.length; w++) words[w] ^= m32;
        i = words.length * 4;
      }
      for (; i < payload.length; i++) payload[i] ^= mask[i & 3];
    }
    if (opcode === 0x8) {
      this.socket.end(Buffer.from([0x88, 0x00]));
      return;
    }
    if (opcode === 0x9) {
      this.socket.write(Buffer.concat([Buffer.from([0x8a, payload.length]), payload]));
      return;
    }
    if (opcode === 0x0 || opcode === 0x1 || opcode === 0x2) {
      this.parts.push(payload);
      if (fin) {
        const msg = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
        this.parts = [];
        this.onMessage(msg);
      }
    }
  }
}

/** Accepts a WebSocket upgrade on `/readback` and hands every binary message to `onUpload`. */
export function acceptReadbackSocket(req: http.IncomingMessage, socket: Duplex, onUpload: UploadHandler): void {
  const key = req.headers['sec-websocket-key'];
  if ((req.url ?? '').split('?')[0] !== '/readback' || typeof key !== 'string') {
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    return;
  }
  const accept = crypto.createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const reader = new FrameReader(socket, (msg) => {
    if (msg.length < READBACK_HEADER_BYTES) return;
    onUpload(msg.readUInt32LE(0), msg.subarray(READBACK_HEADER_BYTES));
  });
  socket.on('data', (c: Buffer) => reader.push(c));
  socket.on('error', () => socket.destroy());
}
