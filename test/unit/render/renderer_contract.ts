/**
 * The behaviour every Renderer backend must show, run against the Mulhouse
 * fixture server: the Chromium and the native test files call this.
 */
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Renderer } from '../../../src/render/renderer.js';
import type { FixtureServer } from './fixture_tile_server.js';

export const MULHOUSE: [number, number] = [7.334, 47.752];

/** Distinct colours in an image: a blank (single-colour) map has one. */
export async function distinctColours(image: Buffer): Promise<number> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const seen = new Set<number>();
  for (let i = 0; i < data.length; i += info.channels) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return seen.size;
}

export function rendererContract(ctx: () => { renderer: Renderer; server: FixtureServer }, skip = false): void {
  const test = skip ? it.skip : it;

  test('renders a PNG of the requested size that shows a map, not one colour', async () => {
    const { renderer, server } = ctx();
    const png = await renderer.render({ style: server.style('osm-bright'), styleKey: 'osm-bright', view: { center: MULHOUSE, zoom: 15 }, width: 320, height: 200, scale: 1, format: 'png' });
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 320, 200]);
    assert.ok((await distinctColours(png)) > 50, 'a city centre at z15 has roads, buildings and labels');
  });

  test('multiplies the size by the scale (pixel ratio 2)', async () => {
    const { renderer, server } = ctx();
    const png = await renderer.render({ style: server.style('osm-bright'), styleKey: 'osm-bright', view: { center: MULHOUSE, zoom: 14 }, width: 256, height: 256, scale: 2, format: 'png' });
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.width, meta.height], [512, 512]);
  });

  test('encodes JPEG and WebP', async () => {
    const { renderer, server } = ctx();
    const style = server.style('positron');
    const jpg = await renderer.render({ style, styleKey: 'positron', view: { center: MULHOUSE, zoom: 14 }, width: 256, height: 256, scale: 1, format: 'jpeg' });
    const webp = await renderer.render({ style, styleKey: 'positron', view: { center: MULHOUSE, zoom: 14 }, width: 256, height: 256, scale: 1, format: 'webp' });
    assert.equal((await sharp(jpg).metadata()).format, 'jpeg');
    assert.equal((await sharp(webp).metadata()).format, 'webp');
  });

  test('fits a bounds view to the viewport', async () => {
    const { renderer, server } = ctx();
    const png = await renderer.render({ style: server.style('osm-bright'), styleKey: 'osm-bright', view: { bounds: [7.326, 47.749, 7.342, 47.755] }, width: 400, height: 300, scale: 1, format: 'png' });
    assert.ok((await distinctColours(png)) > 50);
  });

  test('fetches nothing outside the allowed origins, even when the style asks to', async () => {
    const { renderer, server } = ctx();
    const style = server.style('osm-bright') as { sources: Record<string, unknown>; layers: unknown[] };
    style.sources.evil = { type: 'vector', tiles: ['http://10.255.255.1/{z}/{x}/{y}.pbf', 'http://127.0.0.1:9/{z}/{x}/{y}.pbf'] };
    style.layers.push({ id: 'evil', type: 'line', source: 'evil', 'source-layer': 'x' });
    const before = (renderer as { blockedRequests?: number }).blockedRequests ?? 0;
    const png = await renderer.render({ style, styleKey: 'evil', view: { center: MULHOUSE, zoom: 14 }, width: 256, height: 256, scale: 1, format: 'png' });
    assert.ok((await distinctColours(png)) > 10, 'the map still renders from the allowed server');
    if ((renderer as { blockedRequests?: number }).blockedRequests !== undefined) {
      assert.ok((renderer as { blockedRequests: number }).blockedRequests > before, 'the foreign tile requests were blocked');
    }
  });
}
