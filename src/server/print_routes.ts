/**
 * City plans over HTTP:
 *   POST /plans                       JSON options → 202 { id, status } (queued; 503 when the queue is full)
 *   GET  /plans/{id}                  status: state, stage, progress, position, error, result summary
 *   GET  /plans/{id}/plan.{pdf,png,svg}  the finished plan (409 while not finished)
 *   GET  /plans/plan.{pdf,png,svg}?place=…  synchronous, for small plans (A4/A3, ≤ 150 dpi)
 * Plans run one at a time through the PlanJobQueue of the composition root
 * (./plan_service.ts); the map is drawn by the shared render pool, so the
 * server never holds two browsers.
 */
import express, { type Request, type Response } from 'express';
import { TuilerieError } from '../core/errors.js';
import { checkPlanSize } from '../print/plan_maker.js';
import type { PlanJob, PlanJobQueue } from '../print/plan_jobs.js';
import { parsePlanOptions, type PlanFormat, type PlanOptions } from '../print/plan_options.js';
import { baseUrl } from './base_url.js';
import { clientGoneSignal } from './client_gone.js';
import type { FeatureRouter } from './server_deps.js';

function jobStatus(job: PlanJob, queue: PlanJobQueue, base: string): Record<string, unknown> {
  return {
    id: job.id,
    state: job.state,
    stage: job.stage,
    progress: Math.round(job.progress * 100) / 100,
    position: queue.position(job.id),
    error: job.error ? { code: job.error.code, message: job.error.message } : undefined,
    result: job.result ? { title: job.result.title, scale: job.result.scale, pages: job.result.pages, bytes: job.result.data.length, timings: job.result.timings, url: `${base}/plans/${job.id}/plan.${job.result.format}` } : undefined,
  };
}

function sendPlan(res: Response, job: PlanJob): void {
  const r = job.result!;
  res.setHeader('Content-Type', r.contentType);
  res.setHeader('Content-Disposition', `inline; filename="${r.title.replace(/[^\w.-]+/g, '_')}.${r.format}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.end(r.data);
}

const SYNC_PAPERS = new Set(['A4', 'A3']);

export const printRoutes: FeatureRouter = (deps) => {
  const router = express.Router();
  const queue = deps.services.plans.queue;

  router.post('/plans', express.json({ limit: '16kb' }), (req: Request, res: Response) => {
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) throw new TuilerieError('BAD_REQUEST', 'POST /plans takes a JSON object of plan options');
    const options = parsePlanOptions(req.body as Record<string, unknown>);
    checkPlanSize(options);
    const job = queue.submit(options);
    const base = baseUrl(req, res, deps.config);
    res.status(202).setHeader('Location', `/plans/${job.id}`);
    res.json(jobStatus(job, queue, base));
  });

  router.get(/^\/plans\/plan\.(pdf|png|svg)$/, async (req: Request, res: Response) => {
    const format = /\.(pdf|png|svg)$/.exec(req.path)![1] as PlanFormat;
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(req.query)) raw[k] = Array.isArray(v) ? v[0] : v;
    const options: PlanOptions = parsePlanOptions({ ...raw, format });
    if (!SYNC_PAPERS.has(options.paper) || options.dpi > 150) throw new TuilerieError('TOO_BIG', 'synchronous plans are limited to A4 or A3 at 150 dpi or less: POST /plans for larger ones');
    checkPlanSize(options);
    // the client waits on the line: if it goes away, so does its plan
    const job = await queue.wait(queue.submit(options, { signal: clientGoneSignal(res) }));
    if (job.error) throw job.error;
    sendPlan(res, job);
  });

  router.get('/plans/:id', (req: Request, res: Response) => {
    const job = queue.get(String(req.params.id));
    if (!job) throw new TuilerieError('NOT_FOUND', `no plan job ${req.params.id} (finished plans are kept for a limited time)`);
    res.setHeader('Cache-Control', 'no-store');
    res.json(jobStatus(job, queue, baseUrl(req, res, deps.config)));
  });

  router.get(/^\/plans\/([^/]+)\/plan\.(pdf|png|svg)$/, (req: Request, res: Response) => {
    const m = /^\/plans\/([^/]+)\/plan\.(pdf|png|svg)$/.exec(req.path)!;
    const job = queue.get(m[1]);
    if (!job) throw new TuilerieError('NOT_FOUND', `no plan job ${m[1]} (finished plans are kept for a limited time)`);
    if (job.state === 'failed') throw job.error!;
    if (job.state !== 'done') {
      res.status(409).json({ error: `plan ${job.id} is ${job.state} (${Math.round(job.progress * 100)}%)`, code: 'NOT_READY' });
      return;
    }
    if (job.result!.format !== m[2]) throw new TuilerieError('NOT_FOUND', `plan ${job.id} was made as ${job.result!.format}: GET /plans/${job.id}/plan.${job.result!.format}`);
    sendPlan(res, job);
  });

  return router;
};
