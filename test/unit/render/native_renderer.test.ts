import { NativeRenderer, loadNativeModule } from '../../../src/render/native_renderer.js';
import { PixelWorkers } from '../../../src/render/pixel_tasks.js';
import { startFixtureServer, tilemakerAvailable, type FixtureServer } from './fixture_tile_server.js';
import { rendererContract } from './renderer_contract.js';

const { mod, reason } = await loadNativeModule();
const skipReason = !mod ? `@maplibre/maplibre-gl-native cannot load here (${reason})` : !tilemakerAvailable() ? 'needs Debian tilemaker' : '';

describe(`NativeRenderer @slow${skipReason ? ` (skipped: ${skipReason})` : ''}`, function () {
  let server: FixtureServer;
  let renderer: NativeRenderer;
  let pixels: PixelWorkers | undefined;
  before(async function () {
    if (skipReason) return this.skip();
    server = await startFixtureServer();
    pixels = new PixelWorkers({ niceness: 0 });
    renderer = await NativeRenderer.create({ allowedOrigins: [server.baseUrl], pixels });
  });
  after(async () => {
    await renderer?.close();
    await pixels?.close();
    await server?.close();
  });
  rendererContract(() => ({ renderer, server }), !!skipReason);
});
