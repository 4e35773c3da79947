/**
 * Worker-thread entry: inflates and decodes PBF data blobs posted by PbfReader and
 * posts the blocks back packed (pbf_block_codec). Errors are posted as messages
 * (never thrown out of the worker) so the reader can name file and offset.
 */
import { parentPort } from 'node:worker_threads';
import { decodePrimitiveBlock, type BlockFilter } from './pbf_block_decoder.js';
import { decodeBlob } from './pbf_blob.js';
import { packBlock, type PackedBlock } from './pbf_block_codec.js';
import { isTuilerieError } from '../core/errors.js';

export interface DecodeRequest {
  seq: number;
  data: Uint8Array;
  filter: BlockFilter;
}

export type DecodeResponse =
  | { seq: number; block: PackedBlock }
  | { seq: number; error: string; code?: string };

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: DecodeRequest) => {
    try {
      const { packed, transfer } = packBlock(decodePrimitiveBlock(decodeBlob(req.data), req.filter));
      const res: DecodeResponse = { seq: req.seq, block: packed };
      port.postMessage(res, transfer);
    } catch (e) {
      const res: DecodeResponse = { seq: req.seq, error: e instanceof Error ? e.message : String(e), code: isTuilerieError(e) ? e.code : undefined };
      port.postMessage(res);
    }
  });
}
