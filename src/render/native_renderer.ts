/**
 * The @maplibre/maplibre-gl-native backend, used where its prebuilt binary
 * installs (its install downloads it; a Docker build with internet). Same
 * contract as the Chromium backend: resources only from the allowed origins.
 */
import { TuilerieError } from '../core/errors.js';
import type { Renderer, RenderRequest } from './renderer.js';
import { toCenterView } from './view_math.js';
import { cutImage, encodeImage } from './image_codec.js';
import type { PixelWorkers } from './pixel_tasks.js';

interface NativeMap {
  load(style: unknown): void;
  render(opts: Record<string, unknown>, cb: (err: Error | null, buf?: Uint8Array) => void): void;
  release(): void;
}
interface NativeModule {
  Map: new (opts: { request: (req: { url: string; kind: number }, cb: (err?: Error | null, res?: { data: Buffer }) => void) => void; ratio: number; mode?: string }) => NativeMap;
}

/** The native module, or undefined (with the reason) when it cannot load here. */
export async function loadNativeModule(): Promise<{ mod?: NativeModule; reason?: string }> {
  try {
    const name = '@maplibre/maplibre-gl-native';
    const m = (await import(name)) as { default?: NativeModule } & NativeModule;
    return { mod: m.default ?? m };
  } catch (e) {
    return { reason: (e as Error).message.split('\n')[0] };
  }
}

export interface NativeRendererOptions {
  module: NativeModule;
  allowedOrigins: string[];
  /** Where its premultiplied output is made straight, off the event loop. */
  pixels: PixelWorkers;
}

export class NativeRenderer implements Renderer {
  private readonly allowed: Set<string>;
  private closed = false;

  constructor(private readonly opts: NativeRendererOptions) {
    this.allowed = new Set(opts.allowedOrigins.map((o) => new URL(o).origin));
  }

  /** Loads the module or fails with a message saying what to do. */
  static async create(o: Omit<NativeRendererOptions, 'module'>): Promise<NativeRenderer> {
    const { mod, reason } = await loadNativeModule();
    if (!mod) throw new TuilerieError('CONFIG_ERROR', `@maplibre/maplibre-gl-native is not available (${reason}); install it where its binary can be downloaded, or use the chromium renderer`);
    return new NativeRenderer({ ...o, module: mod });
  }

  healthy(): boolean {
    return !this.closed;
  }

  async recycle(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  render(req: RenderRequest): Promise<Buffer> {
    const view = toCenterView(req.view, req.width, req.height);
    const map = new this.opts.module.Map({ ratio: req.scale, mode: 'static', request: (r, cb) => this.fetch(r.url, cb) });
    return new Promise<Buffer>((resolve, reject) => {
      try {
        map.load(req.style);
        map.render({ zoom: view.zoom, center: view.center, width: req.width, height: req.height, bearing: view.bearing ?? 0, pitch: view.pitch ?? 0 }, (err, buf) => {
          try {
            map.release();
          } catch {
            // already released: nothing to free
          }
          if (err || !buf) return reject(new TuilerieError('INTERNAL', `native render failed: ${err?.message ?? 'no image'}`, { cause: err }));
          const w = req.width * req.scale, h = req.height * req.scale;
          // native output is top-down premultiplied RGBA: made straight in a worker thread, not on the event loop
          const c = req.crop;
          const s = req.scale;
          const part = this.opts.pixels.unpremultiply(buf, w, h, { topDown: true }).then((data) => {
            const img = { data, width: w, height: h };
            if (c) return cutImage(img, { left: c.left * s, top: c.top * s, width: c.width * s, height: c.height * s }, req.format, req.quality);
            return req.format === 'raw' ? img.data : encodeImage(img, req.format, req.quality);
          });
          part.then(resolve, reject);
        });
      } catch (e) {
        reject(new TuilerieError('INTERNAL', `native render failed: ${(e as Error).message}`, { cause: e }));
      }
    });
  }

  private fetch(url: string, cb: (err?: Error | null, res?: { data: Buffer }) => void): void {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      cb(new Error(`bad URL ${url}`));
      return;
    }
    if (!this.allowed.has(origin)) {
      cb(new Error(`blocked: ${origin} is not this server`));
      return;
    }
    fetch(url).then(
      async (res) => {
        if (res.status === 204 || res.status === 404) return cb();
        if (!res.ok) return cb(new Error(`HTTP ${res.status} for ${url}`));
        cb(null, { data: Buffer.from(await res.arrayBuffer()) });
      },
      (e: Error) => cb(e),
    );
  }
}
