/**
 * The default raster backend: Debian's chromium driven by playwright-core,
 * running maplibre-gl with WebGL on SwiftShader. One browser, one page, one
 * map kept between renders. The page may reach only our asset server and the
 * origins it is given (the local tile server); every other request is aborted
 * by interception, so neither a style nor an overlay makes us fetch elsewhere.
 */
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import fs from 'node:fs';
import { TuilerieError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { Renderer, RenderHooks, RenderRequest } from './renderer.js';
import { toCenterView } from './view_math.js';
import { RenderAssetServer } from './render_asset_server.js';
import type { PixelWorkers } from './pixel_tasks.js';
import { DEFAULT_BACKGROUND_NICENESS } from '../core/thread_priority.js';
import { findTool, lowPriorityCommand, processCapabilities, writeLauncher } from './low_priority_launch.js';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // the page and the tile server are two loopback origins; interception, not CORS, decides what loads
  '--disable-web-security',
  '--disable-extensions', '--disable-default-apps', '--mute-audio', '--disable-dev-shm-usage',
];

export interface ChromiumRendererOptions {
  /** Origins (`http://127.0.0.1:8080`) the page may fetch tiles, glyphs and sprites from. */
  allowedOrigins: string[];
  /** Where readbacks are unpacked and encoded, off the event loop. */
  pixels: PixelWorkers;
  executablePath?: string;
  /** Hold drawing until idle and draw once (default true); false is MapLibre's stock path. */
  fastPath?: boolean;
  logger?: Logger;
  /** Time allowed for the browser to start and the page to load maplibre-gl. */
  startTimeoutMs?: number;
  /** Nice steps below this process that the browser is started at (default 10; 0 leaves it alone): ./low_priority_launch.ts. */
  niceness?: number;
}

/**
 * What the page returns: run-coded (./readback_runs.ts), base64 RGBA of the (cropped) drawing buffer,
 * inline when small, else fetched with tuilerieSlice in PAGE_SLICE pieces.
 */
interface PageResult { width: number; height: number; errors: string[]; data: string; length: number; timings: Record<string, number> }

/** Characters of one tuilerieSlice answer (SLICE in ./render_page.ts). */
const PAGE_SLICE = 1 << 20;

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export class ChromiumRenderer implements Renderer {
  private readonly assets = new RenderAssetServer();
  private readonly allowed: Set<string>;
  private readonly logger: Logger;
  private browser?: Browser;
  private context?: BrowserContext;
  private page?: Page;
  private starting?: Promise<Page>;
  private alive = true;
  private closed = false;
  private blockedCount = 0;
  private priorityWarned = false;
  /** The style the page's map holds; the document is sent only when it changes. */
  private pageStyleKey?: string;
  private assetOrigin = '';
  /** Pages whose renderer process died: the render that saw it is retried on a new renderer. */
  private readonly crashedPages = new WeakSet<Page>();
  /** Milliseconds of the stages of the last render (in the page and here), for benchmarks. */
  lastTimings: Record<string, number> = {};

  constructor(private readonly opts: ChromiumRendererOptions) {
    this.allowed = new Set(opts.allowedOrigins.map((o) => originOf(o) ?? o));
    this.logger = opts.logger ?? silentLogger;
  }

  /** Requests the page tried to make outside the allowed origins (tests and metrics read this). */
  get blockedRequests(): number {
    return this.blockedCount;
  }

  /** The browser's process id (from CDP), for crash tests and diagnostics; undefined before the first render. */
  async browserPid(): Promise<number | undefined> {
    if (!this.browser?.isConnected()) return undefined;
    const cdp = await this.browser.newBrowserCDPSession();
    try {
      const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
      return info.processInfo.find((p) => p.type === 'browser')?.id;
    } finally {
      await cdp.detach().catch(() => undefined);
    }
  }

  healthy(): boolean {
    return this.alive && !this.closed;
  }

  async render(req: RenderRequest, hooks: RenderHooks = {}): Promise<Buffer> {
    if (this.closed) throw new TuilerieError('INTERNAL', 'renderer is closed');
    const page = await this.ensurePage();
    return this.renderOn(page, req, hooks);
  }

  private async renderOn(page: Page, req: RenderRequest, hooks: RenderHooks): Promise<Buffer> {
    const view = toCenterView(req.view, req.width, req.height);
    const tStart = Date.now();
    const sendStyle = this.pageStyleKey !== req.styleKey;
    let result: PageResult;
    try {
      result = await page.evaluate((o) => (globalThis as unknown as { tuilerieRender(o: unknown): Promise<PageResult> }).tuilerieRender(o), {
        // one string, not an object tree: Playwright serializes and validates an object node by node, on the event loop
        style: sendStyle ? JSON.stringify(req.style) : null,
        styleKey: req.styleKey,
        width: req.width,
        height: req.height,
        pixelRatio: req.scale,
        center: view.center,
        zoom: view.zoom,
        bearing: view.bearing ?? 0,
        pitch: view.pitch ?? 0,
        crop: req.crop ?? null,
        fast: this.opts.fastPath ?? true,
      });
    } catch (e) {
      this.pageStyleKey = undefined;
      // a killed browser or crashed page shows up here a moment before its events do
      await new Promise((r) => setTimeout(r, 50));
      if (!this.browser?.isConnected() || this.crashedPages.has(page)) this.alive = false;
      throw new TuilerieError('INTERNAL', `render failed in Chromium: ${(e as Error).message.split('\n')[0]}`, { cause: e, details: { crashed: !this.alive } });
    }
    this.pageStyleKey = req.styleKey;
    const tPage = Date.now();
    if (result.errors.length) this.logger.debug('map errors during render', { errors: result.errors.slice(0, 5) });
    const chunks = [result.data];
    if (!result.data) {
      chunks.length = 0;
      for (let i = 0; i * PAGE_SLICE < result.length; i++) chunks.push(await page.evaluate((n) => (globalThis as unknown as { tuilerieSlice(n: number): string }).tuilerieSlice(n), i));
    }
    const tRead = Date.now();
    // the page is done with this render: the next one may start drawing while this one is decoded
    hooks.onReady?.();
    // decode, flip and unpremultiply millions of pixels in a worker thread, not on the event loop; an
    // encoded image is encoded there too, so its pixels never reach this thread
    const size = { width: result.width, height: result.height };
    const pixels = this.opts.pixels;
    const out = req.format === 'raw' ? await pixels.unpackReadback(chunks, size.width, size.height) : await pixels.encodeReadback(chunks, { ...size, format: req.format, quality: req.quality });
    this.lastTimings = { ...result.timings, evaluate: tPage - tStart, transfer: tRead - tPage, unpack: Date.now() - tRead };
    return out;
  }

  /** A fresh page (and map) in the same browser. */
  async recycle(): Promise<void> {
    const page = this.page;
    this.page = undefined;
    this.pageStyleKey = undefined;
    this.starting = undefined;
    if (page) await page.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.page = undefined;
    this.starting = undefined;
    const b = this.browser;
    this.browser = undefined;
    this.context = undefined;
    if (b) await b.close().catch(() => undefined);
    await this.assets.close();
  }

  private ensurePage(): Promise<Page> {
    if (this.page && !this.page.isClosed()) return Promise.resolve(this.page);
    this.starting ??= this.openPage().then(
      (p) => {
        this.page = p;
        this.starting = undefined;
        return p;
      },
      (e) => {
        this.starting = undefined;
        throw e;
      },
    );
    return this.starting;
  }

  private async launch(): Promise<BrowserContext> {
    if (this.context && this.browser?.isConnected()) return this.context;
    const executablePath = this.opts.executablePath ?? DEFAULT_CHROMIUM_PATH;
    if (!fs.existsSync(executablePath)) {
      throw new TuilerieError('CONFIG_ERROR', `Chromium not found at ${executablePath}: install the Debian package "chromium" or set the render.chromium path`);
    }
    this.assetOrigin = await this.assets.start();
    this.allowed.add(this.assetOrigin);
    const browser = await this.launchBrowser(executablePath);
    browser.on('disconnected', () => {
      if (this.browser === browser) {
        this.alive = false;
        this.logger.warn('Chromium exited');
      }
    });
    const context = await browser.newContext({ viewport: { width: 256, height: 256 }, deviceScaleFactor: 1, serviceWorkers: 'block', javaScriptEnabled: true });
    await context.route('**/*', (route) => this.filter(route));
    this.browser = browser;
    this.context = context;
    this.alive = true;
    return context;
  }

  private async launchBrowser(executable: string): Promise<Browser> {
    // Signals belong to the server: Playwright would otherwise close the browser on
    // SIGHUP (a reload) and on SIGTERM/SIGINT before renders in flight are done.
    const launch = (path: string) => chromium.launch({ executablePath: path, args: CHROMIUM_ARGS, headless: true, timeout: this.opts.startTimeoutMs ?? 30_000, handleSIGHUP: false, handleSIGINT: false, handleSIGTERM: false });
    const launcher = this.lowPriorityLauncher(executable);
    if (!launcher) return launch(executable);
    try {
      return await launch(launcher.path);
    } catch (e) {
      // a temp directory mounted noexec: the launcher cannot run, the browser still can
      const refused = /spawn \S+ (EACCES|EPERM|ENOEXEC)/.exec((e as Error).message);
      if (!refused) throw e;
      this.logger.warn(`Chromium runs at normal priority: its launcher ${launcher.path} cannot be run (${refused[1]}; a temp directory mounted noexec?)`);
      return launch(executable);
    } finally {
      launcher.remove();
    }
  }

  /**
   * Rendering fills the cores for seconds; the server's event loop must win one
   * whenever it wakes. So the browser starts `niceness` steps lower, and every
   * process and thread it starts inherits that; as root, also without the
   * capability Chromium would use to raise its urgent threads again (the
   * renderer's main thread running MapLibre, its workers, the GPU process).
   * Undefined when the browser is started as is.
   */
  private lowPriorityLauncher(executable: string): { path: string; remove: () => void } | undefined {
    const low = lowPriorityCommand({
      executable,
      niceness: this.opts.niceness ?? DEFAULT_BACKGROUND_NICENESS,
      tools: { nice: findTool('nice'), setpriv: findTool('setpriv') },
      caps: processCapabilities(),
    });
    if (low.warning && !this.priorityWarned) {
      this.priorityWarned = true;
      this.logger.warn(low.warning);
    }
    return low.command.length > 1 ? writeLauncher(low.command) : undefined;
  }

  private filter(route: Route): Promise<void> {
    const url = route.request().url();
    const origin = originOf(url);
    if (origin && this.allowed.has(origin)) return route.continue();
    this.blockedCount++;
    this.logger.debug('blocked a request from the render page', { url: url.slice(0, 200) });
    return route.abort('blockedbyclient');
  }

  private async openPage(): Promise<Page> {
    this.pageStyleKey = undefined;
    const context = await this.launch();
    const page = await context.newPage();
    page.on('console', (m) => this.logger.debug(`page: ${m.text().slice(0, 300)}`));
    page.on('pageerror', (e) => this.logger.warn(`render page error: ${e.message.slice(0, 300)}`));
    page.on('crash', () => {
      this.logger.warn('render page crashed');
      this.crashedPages.add(page);
      if (this.page === page) {
        this.page = undefined;
        this.pageStyleKey = undefined;
      }
    });
    await page.goto(`${this.assetOrigin}/`, { timeout: this.opts.startTimeoutMs ?? 30_000 });
    await page.waitForFunction(() => (globalThis as unknown as { tuilerieReady?: boolean }).tuilerieReady === true, undefined, { timeout: this.opts.startTimeoutMs ?? 30_000 });
    return page;
  }
}
