/**
 * Contraction on a worker thread, so the profiles of a build contract in parallel
 * on the machine's cores. The worker module sits next to this one with the same
 * extension (`.js` in dist/, `.ts` under tsx, bootstrapped with tsx's require hook
 * because Node 20 does not pass ESM loader hooks to workers).
 */
import { startWorker } from '../core/start_worker.js';
import { TuilerieError } from '../core/errors.js';
import type { ContractedGraph } from './contraction.js';
import type { ContractMessage, ContractRequest } from './contraction_worker.js';
import type { ProfileGraph } from './profile_graph.js';

export function contractInWorker(graph: ProfileGraph, edgeLength: Float64Array, onProgress?: (done: number) => void): Promise<ContractedGraph> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(import.meta.url, 'contraction_worker');
    let settled = false;
    const finish = (err: Error | null, ch?: ContractedGraph): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (err) reject(err);
      else resolve(ch!);
    };
    worker.on('message', (m: ContractMessage) => {
      if (m.type === 'progress') onProgress?.(m.done);
      else if (m.type === 'done') {
        Object.assign(graph, m.graph);
        finish(null, m.ch);
      }
      else finish(new TuilerieError('INTERNAL', `contraction of ${graph.profile} failed: ${m.message}`));
    });
    worker.on('error', (e) => finish(new TuilerieError('INTERNAL', `contraction worker of ${graph.profile} crashed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => finish(new TuilerieError('INTERNAL', `contraction worker of ${graph.profile} exited (${code}) before finishing`)));
    // Only what the contraction reads, moved rather than copied (the worker hands the
    // arrays back with the hierarchy): a copy on each side would double them.
    const { nodeCount, firstOut, arcHead, arcWeight, arcGeo } = graph;
    const transfer = [firstOut, arcHead, arcWeight, arcGeo].map((a) => a.buffer as ArrayBuffer);
    worker.postMessage({ graph: { nodeCount, firstOut, arcHead, arcWeight, arcGeo }, edgeLength } satisfies ContractRequest, transfer);
  });
}
