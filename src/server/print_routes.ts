/**
 * City plans over HTTP:
 *   POST /plans                       JSON options → 202 { id, status } (queued; 503 when the queue is full)
 *   GET  /plans/{id}                  status: state, stage, progress, position, error, result summary
 *   GET  /plans/{id}/plan.{pdf,png,svg}  the finished plan (409 while not finished)
 *   GET  /plans/plan.{pdf,png,svg}?place=…  synchronous, for small plans (A4/A3, ≤ 150 dpi)
 * Plans run one at a time through a PlanJobQueue; the map is drawn by the
 * raster routes' renderer, so the server never holds two browsers.
 */
import express, { type Request, type Response } from 'express';
import { TuilerieError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { rewriteStyle } from '../styles/style_rewriter.js';
import type { RasterStyle } from '../render/raster_tile_service.js';
import type { RenderRequest } from '../render/renderer.js';
import { checkPlanSize, PlanMaker, type PlanMapService } from '../print/plan_maker.js';
import { PlanJobQueue, type PlanJob } from '../print/plan_jobs.js';
import { PlaceFinder } from '../print/place_finder.js';
import type { TileSource } from '../archive/tile_source.js';
import { parsePlanOptions, type PlanFormat, type PlanLang, type PlanOptions } from '../print/plan_options.js';
import { baseUrl } from './base_url.js';
import { clientGoneSignal } from './client_gone.js';
import { internalBaseUrl, rasterStackFor } from './raster_routes.js';
import { styleSourceResolver } from './style_routes.js';
import type { FeatureRouter, ServerDeps } from './server_deps.js';
import type { SourceEntry } from './source_registry.js';

/** Styles tried, in order, when the asked one is `print` and no print style is configured. */
const PRINT_FALLBACKS = ['osm-bright', 'bright', 'maptiler-basic', 'positron'];

/**
 * Plan maps from a server's registries: the style rewritten for `base` (this
 * server on loopback) in the plan's language, rendered by `render`.
 */
export function planMapService(deps: Pick<ServerDeps, 'styles' | 'sources' | 'logger'>, base: string, render: (req: RenderRequest) => Promise<Buffer>): PlanMapService {
  return {
    render,
    async style(id: string, lang: PlanLang): Promise<RasterStyle> {
      let entry = deps.styles.get(id);
      if (!entry && id === 'print') {
        entry = PRINT_FALLBACKS.map((f) => deps.styles.get(f)).find((e) => e !== undefined) ?? deps.styles.list()[0];
        if (entry) deps.logger.warn(`no "print" style configured: the plan uses "${entry.id}"`);
      }
      if (!entry) throw new TuilerieError('NOT_FOUND', `unknown style "${id}"; available: ${deps.styles.list().map((e) => e.id).join(', ') || 'none'}`);
      const style = rewriteStyle(entry.style, { baseUrl: base, styleId: entry.id, resolveSource: styleSourceResolver(deps as ServerDeps, entry), lang });
      return { id: entry.id, style, styleKey: `plan:${entry.id}:${entry.generation}:${lang}`, dataVersion: deps.sources.list().map((s) => s.version).join(','), minzoom: 0, maxzoom: 14 };
    },
  };
}

/** The vector source plans read their indexes from: the first vector archive. */
export function planDataSource(deps: Pick<ServerDeps, 'sources'>): SourceEntry {
  const s = deps.sources.list().find((e) => e.metadata.format === 'pbf');
  if (!s) throw new TuilerieError('NOT_FOUND', 'no vector tile source is configured: plans need OpenMapTiles data (tuilerie import)');
  return s;
}

/** The date of the OSM data (import metadata), else undefined. */
export function dataDate(entry: SourceEntry): Date | undefined {
  const extra = entry.metadata.extra ?? {};
  const v = extra['osm_timestamp'] ?? extra['planetiler:osm:osmosisreplicationtime'] ?? extra['date'];
  const d = v ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

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

export interface PrintRoutesOptions {
  maxQueue?: number;
  maxResultBytes?: number;
}

export function printRoutesWith(opts: PrintRoutesOptions = {}): FeatureRouter {
  return (deps) => {
    const router = express.Router();
    const logger: Logger = deps.logger.child('plans');
    let queue: PlanJobQueue | undefined;
    // one name scan per archive (a reload opens a new source object)
    const finders = new WeakMap<TileSource, PlaceFinder>();
    const finderFor = (src: TileSource): PlaceFinder => {
      let f = finders.get(src);
      if (!f) finders.set(src, (f = new PlaceFinder(src)));
      return f;
    };
    const queueFor = (req: Request): PlanJobQueue => {
      if (queue) return queue;
      // the renderer's allow-list holds this same loopback origin
      const base = internalBaseUrl(req);
      // built now, while the request's socket knows the server's address; Chromium starts on the first render
      const stack = rasterStackFor(deps, req);
      queue = new PlanJobQueue({
        maxQueue: opts.maxQueue,
        maxResultBytes: opts.maxResultBytes,
        run: (o, onProgress, signal) => {
          if (!stack) throw new TuilerieError('NOT_FOUND', 'raster rendering is not enabled on this server: plans need it');
          const data = planDataSource(deps);
          const maker = new PlanMaker({ source: data.source, places: finderFor(data.source), dataDate: dataDate(data), logger, map: planMapService(deps, base, (r) => stack.pool.render(r, { maxWaitMs: 0, signal })) });
          return maker.make(o, onProgress);
        },
      });
      return queue;
    };

    router.post('/plans', express.json({ limit: '16kb' }), (req: Request, res: Response) => {
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) throw new TuilerieError('BAD_REQUEST', 'POST /plans takes a JSON object of plan options');
      const options = parsePlanOptions(req.body as Record<string, unknown>);
      checkPlanSize(options);
      const job = queueFor(req).submit(options);
      const base = baseUrl(req, res, deps.config);
      res.status(202).setHeader('Location', `/plans/${job.id}`);
      res.json(jobStatus(job, queueFor(req), base));
    });

    router.get(/^\/plans\/plan\.(pdf|png|svg)$/, async (req: Request, res: Response) => {
      const format = /\.(pdf|png|svg)$/.exec(req.path)![1] as PlanFormat;
      const raw: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(req.query)) raw[k] = Array.isArray(v) ? v[0] : v;
      const options: PlanOptions = parsePlanOptions({ ...raw, format });
      if (!SYNC_PAPERS.has(options.paper) || options.dpi > 150) throw new TuilerieError('TOO_BIG', 'synchronous plans are limited to A4 or A3 at 150 dpi or less: POST /plans for larger ones');
      checkPlanSize(options);
      const q = queueFor(req);
      // the client waits on the line: if it goes away, so does its plan
      const job = await q.wait(q.submit(options, { signal: clientGoneSignal(res) }));
      if (job.error) throw job.error;
      sendPlan(res, job);
    });

    router.get('/plans/:id', (req: Request, res: Response) => {
      const job = queueFor(req).get(String(req.params.id));
      if (!job) throw new TuilerieError('NOT_FOUND', `no plan job ${req.params.id} (finished plans are kept for a limited time)`);
      res.setHeader('Cache-Control', 'no-store');
      res.json(jobStatus(job, queueFor(req), baseUrl(req, res, deps.config)));
    });

    router.get(/^\/plans\/([^/]+)\/plan\.(pdf|png|svg)$/, (req: Request, res: Response) => {
      const m = /^\/plans\/([^/]+)\/plan\.(pdf|png|svg)$/.exec(req.path)!;
      const job = queueFor(req).get(m[1]);
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
}

export const printRoutes: FeatureRouter = printRoutesWith();
