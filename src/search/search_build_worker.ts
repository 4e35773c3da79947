/** Worker thread entry: builds one search index (./search_index_builder.ts) and posts progress and the summary. */
import { parentPort, workerData } from 'node:worker_threads';
import { buildSearchIndex, type BuildSearchIndexOptions } from './search_index_builder.js';

const opts = workerData as Omit<BuildSearchIndexOptions, 'progress'>;
buildSearchIndex({ ...opts, progress: (read, total) => parentPort?.postMessage({ kind: 'progress', read, total }) })
  .then((summary) => parentPort?.postMessage({ kind: 'done', summary }))
  .catch((e: unknown) => parentPort?.postMessage({ kind: 'error', message: (e as Error)?.message ?? String(e), code: (e as { code?: string })?.code }));
