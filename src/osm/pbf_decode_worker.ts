/**
 * Worker-thread entry: inflates and decodes PBF data blobs posted by PbfReader and
 * posts the blocks back with their typed arrays transferred. Errors are posted as
 * messages (never thrown out of the worker) so the reader can name file and offset.
 */
import { parentPort } from 'node:worker_threads';
import { blockTransferList, decodeBlob, decodePrimitiveBlock, type BlockFilter } from './pbf_block_decoder.js';
import { isTuilerieError } from '../core/errors.js';

export interface DecodeRequest {
  seq: number;
  data: Uint8Array;
  filter: BlockFilter;
}
export type DecodeResponse =
  | { seq: number; block: import('./types.js').OsmBlock }
  | { seq: number; error: string; code?: string };

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: DecodeRequest) => {
    try {
      const block = decodePrimitiveBlock(decodeBlob(req.data), req.filter);
      const res: DecodeResponse = { seq: req.seq, block };
      port.postMessage(res, blockTransferList(block));
    } catch (e) {
      const res: DecodeResponse = { seq: req.seq, error: e instanceof Error ? e.message : String(e), code: isTuilerieError(e) ? e.code : undefined };
      port.postMessage(res);
    }
  });
}
