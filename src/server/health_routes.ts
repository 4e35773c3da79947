/** `/health` (503 until sources are open, then 200) and `/metrics` (Prometheus text). */
import express from 'express';
import { sendUncached } from './conditional_http.js';
import type { FeatureRouter } from './server_deps.js';

export const healthRoutes: FeatureRouter = (deps) => {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    const body = { status: deps.state.ready ? 'ok' : 'starting', sources: deps.sources.list().length, styles: deps.styles.list().length };
    sendUncached(res, deps.state.ready ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(body));
  });
  router.get('/metrics', async (_req, res) => {
    sendUncached(res, 200, 'text/plain; version=0.0.4; charset=utf-8', await deps.metrics.scrape());
  });
  return router;
};
