/**
 * The server's lifecycle: listen first (so /health can say "starting"), build
 * the services now that the address is known (./serving_services.ts, the
 * composition root) and the app over them, open sources and styles, flip to
 * ready, watch for replaced archives; reload on demand; stop gracefully (stop
 * accepting, let requests finish, close renderers and archives).
 */
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import type { TuilerieConfig } from '../config/config_types.js';
import { MemoryTileCache } from '../cache/memory_tile_cache.js';
import type { TileCache } from '../cache/tile_cache.js';
import { TuilerieError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { createApp, type TuilerieApp } from './app.js';
import { Catalog } from './catalog.js';
import { EventLoopDelayMonitor } from './event_loop_delay.js';
import { Metrics } from './metrics.js';
import { defaultSourceOpener } from './open_source.js';
import { rasterFastPath } from './raster_routes.js';
import type { FeatureRouterEntry } from './server_deps.js';
import { ServingServices, type ServingOverrides } from './serving_services.js';
import type { OpenTileSource, SourceRegistry } from './source_registry.js';
import type { StyleRegistry } from './style_registry.js';
import { tileFastPath } from './tile_fast_path.js';
import { accessLogger } from './access_log.js';

export interface TuilerieServerOptions {
  config: TuilerieConfig;
  logger?: Logger;
  open?: OpenTileSource;
  cache?: TileCache;
  routers?: FeatureRouterEntry[];
  /** Settings of the services that differ from the configuration (tests, benchmarks, CLI commands). */
  services?: ServingOverrides;
  /** How long stop() waits for in-flight requests before cutting connections. */
  shutdownGraceMs?: number;
  /**
   * After the last in-flight request, how long stop() leaves idle keep-alive
   * connections open so that a client reusing one gets an answer (marked
   * `Connection: close`) instead of a reset; it ends early once every connection
   * has gone. A connection left idle for `keepAliveStaleMs` meanwhile is one its
   * client is not using, and is closed then. Worth it where another process keeps
   * serving the port (cluster workers); default 0.
   */
  keepAliveDrainMs?: number;
  /** While draining, how long a keep-alive connection may stay idle before it is closed (default 2 s). */
  keepAliveStaleMs?: number;
}

/**
 * Node's connection limits from the config. A client must send its whole request
 * (a slow body included) within requestTimeoutMs, its headers within
 * headersTimeoutMs, or get 408 and a closed connection; Node checks these every
 * connectionsCheckingInterval, 30 s by default, far too coarse for limits of a few seconds.
 */
export function httpServerOptions(c: TuilerieConfig['http']): http.ServerOptions {
  const check = Math.max(50, Math.min(1000, Math.floor(Math.min(c.requestTimeoutMs, c.headersTimeoutMs) / 4)));
  return { requestTimeout: c.requestTimeoutMs, headersTimeout: c.headersTimeoutMs, connectionsCheckingInterval: check };
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export class TuilerieServer {
  readonly catalog: Catalog;
  readonly sources: SourceRegistry;
  readonly styles: StyleRegistry;
  private readonly logger: Logger;
  private readonly cache: TileCache;
  private readonly metrics = new Metrics();
  private readonly http: http.Server;
  private built: { app: TuilerieApp; services: ServingServices; handle: Handler } | undefined;
  private stopping: Promise<void> | undefined;
  private loopDelay: EventLoopDelayMonitor | undefined;
  /** Responses being written (fast paths included). */
  private readonly inflight = new Set<http.ServerResponse>();
  /** Set by stop(): every response closes its connection, so clients stop reusing ours. */
  private draining = false;
  /**
   * Open connections with the requests in flight on each and since when it is idle,
   * to tell when the drained ones have all gone and which idle ones are stale.
   */
  private readonly sockets = new Map<net.Socket, { busy: number; idleSince: number }>();
  private readonly logAccess: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;

  constructor(private readonly opts: TuilerieServerOptions) {
    this.logger = opts.logger ?? silentLogger;
    this.cache = opts.cache ?? new MemoryTileCache({ maxBytes: opts.config.cache.memoryBytes });
    this.catalog = new Catalog({ open: opts.open ?? defaultSourceOpener(this.logger), cache: this.cache, logger: this.logger });
    this.sources = this.catalog.sources;
    this.styles = this.catalog.styles;
    this.logAccess = opts.config.accessLog ? accessLogger(this.logger.child('access')) : undefined;
    this.http = http.createServer(httpServerOptions(opts.config.http), (req, res) => {
      this.logAccess?.(req, res);
      this.inflight.add(res);
      const conn = this.sockets.get(req.socket);
      if (conn) conn.busy++;
      res.once('close', () => {
        this.inflight.delete(res);
        if (conn && --conn.busy === 0) conn.idleSince = Date.now();
      });
      if (this.draining) res.setHeader('Connection', 'close');
      if (this.built) this.built.handle(req, res);
      else starting(res);
    });
    this.http.keepAliveTimeout = opts.config.http.keepAliveTimeoutMs;
    this.http.on('connection', (socket: net.Socket) => {
      this.sockets.set(socket, { busy: 0, idleSince: Date.now() });
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** The Express app and what its routes receive (after start()). */
  get app(): TuilerieApp {
    return this.require().app;
  }

  /** The services built at start-up: render pool and caches, reprojected tiles, plans, routing. */
  get services(): ServingServices {
    return this.require().services;
  }

  private require(): NonNullable<TuilerieServer['built']> {
    if (!this.built) throw new TuilerieError('INTERNAL', 'the server is not started: call start() first');
    return this.built;
  }

  /** The composition root: services over the catalog, for this server's own loopback address. */
  private build(): void {
    const services = new ServingServices({ ...this.opts.services, config: this.opts.config, catalog: this.catalog, internalBaseUrl: this.url(), logger: this.logger, metrics: this.metrics });
    const app = createApp({ config: this.opts.config, catalog: this.catalog, services, cache: this.cache, logger: this.logger, state: { ready: false }, metrics: this.metrics, routers: this.opts.routers });
    const fast = tileFastPath(app.deps);
    const fastRaster = rasterFastPath(app.deps);
    const express = app.app;
    this.built = { app, services, handle: (req, res) => void (fast(req, res) || fastRaster(req, res) || express(req, res)) };
  }

  /** Listens, then opens everything; resolves once ready. Returns the listening URL. */
  async start(): Promise<string> {
    const { port, host } = this.opts.config;
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', (e) => reject(new TuilerieError('IO_ERROR', `cannot listen on ${host}:${port}: ${e.message}; choose another --port or stop the other server`, { cause: e })));
      this.http.listen(port, host, () => {
        this.http.removeAllListeners('error');
        resolve();
      });
    });
    const url = this.url();
    this.loopDelay = new EventLoopDelayMonitor();
    this.metrics.addCollector(this.loopDelay.collector());
    this.build();
    this.logger.info(`listening on ${this.describeAddress()} (starting)`);
    await this.catalog.open(this.opts.config);
    this.services.catalogOpened();
    this.app.deps.state.ready = true;
    this.logger.info('ready', { sources: this.sources.list().map((s) => s.id).join(',') || '-', styles: this.styles.list().map((s) => s.id).join(',') || '-' });
    return url;
  }

  url(): string {
    const addr = this.http.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${addr.port}`;
  }

  /** The bound address for people: all interfaces spelled out, with URLs that reach them. */
  private describeAddress(): string {
    const addr = this.http.address() as AddressInfo;
    if (addr.address !== '0.0.0.0' && addr.address !== '::') return this.url();
    return `all interfaces (${addr.address === '::' ? '[::]' : addr.address}) port ${addr.port}: http://127.0.0.1:${addr.port} on this machine, http://${os.hostname()}:${addr.port} from others`;
  }

  /** Reopens every source and re-reads every style (SIGHUP). */
  async reload(): Promise<void> {
    this.logger.info('reloading sources and styles');
    await this.catalog.reload();
  }

  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    if (this.built) this.built.app.deps.state.ready = false;
    this.draining = true;
    // The responses in flight close their connection too: their clients would otherwise reuse
    // it just as the idle ones are cut (a reset), the more likely the farther the client.
    for (const res of this.inflight) if (!res.headersSent) res.setHeader('Connection', 'close');
    this.catalog.stopWatching();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // A render in flight fetches tiles, glyphs and sprites from this very server:
    // keep listening (/health already answers 503, so balancers drain us) until
    // the requests in flight now are answered, within the grace period. (Not until
    // no request is in flight: under steady load that moment may never come.)
    const until = Date.now() + (this.opts.shutdownGraceMs ?? 10_000);
    const before = [...this.inflight];
    while (before.some((r) => this.inflight.has(r)) && Date.now() < until) await sleep(25);
    // Stop accepting, but not yet http.Server.close(): that would also cut the idle
    // keep-alive connections at once, and a client sending its next request on one
    // in that instant gets a reset. Left open a moment, a busy connection carries
    // one more request, answered with `Connection: close`, and ends cleanly.
    const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(this.http, () => resolve()));
    // A client that keeps using its connection gets its next answer with `Connection: close`
    // and closes it; how soon depends on the client (a loaded machine delays it by a second
    // or more), so this waits for the connections themselves, not for a quiet moment. One
    // idle for keepAliveStaleMs is not in use: it is closed (the same race as any keep-alive
    // timeout, made rare by the wait).
    const lingerUntil = Math.min(until, Date.now() + (this.opts.keepAliveDrainMs ?? 0));
    const staleMs = this.opts.keepAliveStaleMs ?? 2000;
    while (this.sockets.size > 0 && Date.now() < lingerUntil) {
      for (const [socket, c] of this.sockets) if (c.busy === 0 && Date.now() - c.idleSince >= staleMs) socket.destroy();
      await sleep(25);
    }
    // Now http.Server.close() (no longer listening, so only this part acts): it closes the idle
    // connections and clears node's connection-checking interval, which would otherwise run
    // forever and keep this stopped server, its caches and archives reachable.
    this.http.close();
    const timer = setTimeout(() => this.http.closeAllConnections(), Math.max(0, until - Date.now()));
    timer.unref();
    await closed;
    clearTimeout(timer);
    await this.built?.services.close();
    await this.catalog.close();
    this.loopDelay?.close();
    this.logger.info('stopped');
  }
}

/** Before the app exists (between listening and building it): the /health answer of a starting server. */
function starting(res: http.ServerResponse): void {
  res.statusCode = 503;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Retry-After', '1');
  res.end(JSON.stringify({ status: 'starting' }));
}
