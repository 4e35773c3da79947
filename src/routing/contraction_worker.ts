/**
 * Worker-thread entry: contracts one profile graph (see contraction.ts) and posts
 * the hierarchy back, with progress messages on the way.
 */
import { parentPort } from 'node:worker_threads';
import { contractGraph, type ContractInput, type ContractedGraph } from './contraction.js';

export interface ContractRequest {
  graph: ContractInput;
  edgeLength: Float64Array;
}

export type ContractMessage =
  | { type: 'progress'; done: number }
  /** `graph`: the input arrays, handed back (they came transferred, not copied). */
  | { type: 'done'; ch: ContractedGraph; graph: ContractInput }
  | { type: 'error'; message: string };

if (parentPort) {
  const port = parentPort;
  port.once('message', (req: ContractRequest) => {
    try {
      const ch = contractGraph(req.graph, {
        geoLength: (geo) => req.edgeLength[geo >> 1],
        onProgress: (done) => port.postMessage({ type: 'progress', done } satisfies ContractMessage),
      });
      const transfer = [...Object.values(ch), ...Object.values(req.graph)]
        .filter((v): v is Int32Array | Float32Array => ArrayBuffer.isView(v)).map((v) => v.buffer as ArrayBuffer);
      port.postMessage({ type: 'done', ch, graph: req.graph } satisfies ContractMessage, transfer);
    } catch (e) {
      port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ContractMessage);
    }
  });
}
