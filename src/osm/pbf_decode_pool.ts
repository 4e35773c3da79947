/**
 * A pool of worker threads decoding PBF blobs. Each request gets a promise; the
 * reader keeps those promises in file order, so results come back in order however
 * the workers interleave. Blob bytes go in and typed arrays come out transferred.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../core/start_worker.js';
import { TuilerieError, type ErrorCode } from '../core/errors.js';
import type { BlockFilter } from './pbf_block_decoder.js';
import { unpackBlock } from './pbf_block_codec.js';
import type { DecodeRequest, DecodeResponse } from './pbf_decode_worker.js';
import type { OsmBlock } from './types.js';

interface Pending {
  resolve: (b: OsmBlock) => void;
  reject: (e: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** Error from a worker for one blob: message and, when the worker raised one of ours, its code. */
export class BlobDecodeError extends Error {
  constructor(message: string, readonly code?: ErrorCode) {
    super(message);
  }
}


export class PbfDecodePool {
  private readonly workers: PoolWorker[] = [];
  private seq = 0;
  private closed = false;

  constructor(threads: number) {
    for (let i = 0; i < Math.max(1, threads); i++) {
      const w: PoolWorker = { worker: startWorker(import.meta.url, 'pbf_decode_worker'), pending: new Map() };
      w.worker.on('message', (res: DecodeResponse) => this.onMessage(w, res));
      w.worker.on('error', (e) => this.failAll(w, new TuilerieError('INTERNAL', `PBF decode worker crashed: ${e.message}`, { cause: e })));
      w.worker.on('exit', (code) => {
        if (!this.closed) this.failAll(w, new TuilerieError('INTERNAL', `PBF decode worker exited unexpectedly (code ${code})`));
      });
      this.workers.push(w);
    }
  }

  decode(data: Uint8Array, filter: BlockFilter): Promise<OsmBlock> {
    if (this.closed) return Promise.reject(new TuilerieError('INTERNAL', 'PbfDecodePool used after close()'));
    let target = this.workers[0];
    for (const w of this.workers) if (w.pending.size < target.pending.size) target = w;
    const seq = this.seq++;
    return new Promise<OsmBlock>((resolve, reject) => {
      target.pending.set(seq, { resolve, reject });
      const req: DecodeRequest = { seq, data, filter };
      target.worker.postMessage(req, [data.buffer as ArrayBuffer]);
    });
  }

  /** Terminates the workers; outstanding requests are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new TuilerieError('INTERNAL', 'PBF decode pool closed');
    for (const w of this.workers) this.failAll(w, err);
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private onMessage(w: PoolWorker, res: DecodeResponse): void {
    const p = w.pending.get(res.seq);
    if (!p) return;
    w.pending.delete(res.seq);
    if ('error' in res) p.reject(new BlobDecodeError(res.error, res.code as ErrorCode | undefined));
    else p.resolve(unpackBlock(res.block));
  }

  private failAll(w: PoolWorker, e: Error): void {
    for (const p of w.pending.values()) p.reject(e);
    w.pending.clear();
  }
}
