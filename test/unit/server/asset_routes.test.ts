/** HTTP behaviour of the fonts, sprite and viewer routers on a bare Express app (no sources needed). */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import express from 'express';
import { buildGlyphs } from '../../../src/styles/glyph_builder.js';
import { decodeGlyphRange } from '../../../src/styles/glyph_pbf.js';
import { GlyphStore } from '../../../src/styles/glyph_store.js';
import { SpriteStore } from '../../../src/styles/sprite_store.js';
import { createFontRouter } from '../../../src/server/fonts_routes.js';
import { createSpriteRouter } from '../../../src/server/sprite_routes.js';
import { createViewerRouter, defaultStaticDir, maplibreDistDir } from '../../../src/server/viewer/viewer_routes.js';
import { errorHandler, notFoundHandler } from '../../../src/server/error_mapping.js';
import { TuilerieError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { UPSTREAM_STYLES_DIR, tempDir } from '../../helpers/paths.js';
import { listen, request, type Listening } from './http_client.js';

const NOTO_REGULAR = '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf';
const NOTO_BOLD = '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf';

describe('asset routes (fonts, sprites, viewer)', () => {
  let glyphDir: string;
  let spriteDir: string;
  let server: Listening;

  before(async () => {
    glyphDir = tempDir('tuilerie-glyph-routes-');
    buildGlyphs({ fonts: [{ name: 'Noto Sans Regular', file: NOTO_REGULAR }, { name: 'Noto Sans Bold', file: NOTO_BOLD }], outDir: glyphDir, logger: silentLogger, blocks: [[0, 255]] });
    spriteDir = tempDir('tuilerie-sprite-routes-');
    fs.writeFileSync(path.join(spriteDir, 'sprite.json'), '{"ours":{"x":0,"y":0,"width":1,"height":1,"pixelRatio":1}}');
    const styles = {
      require(id: string) {
        if (id === 'osm-bright') return { dir: path.join(UPSTREAM_STYLES_DIR, 'osm-bright') };
        if (id === 'ours') return { dir: spriteDir + '-no-such-dir' };
        throw new TuilerieError('NOT_FOUND', `unknown style "${id}"`);
      },
    };
    const app = express();
    app.use(createFontRouter({ store: new GlyphStore({ dir: glyphDir }), cacheControl: 'public, max-age=86400' }));
    app.use(createSpriteRouter({ store: new SpriteStore({ dir: spriteDir }), styles: styles as never, cacheControl: 'public, max-age=3600' }));
    app.use(createViewerRouter({ staticDir: defaultStaticDir(), maplibreDir: maplibreDistDir(), cacheControl: 'public, max-age=300' }));
    app.use(notFoundHandler());
    app.use(errorHandler(silentLogger));
    server = await listen(app);
  });
  after(async () => {
    await server.close();
    fs.rmSync(glyphDir, { recursive: true, force: true });
    fs.rmSync(spriteDir, { recursive: true, force: true });
  });

  it('serves a combined fontstack as protobuf with an ETag and Cache-Control', async () => {
    const r = await request(`${server.url}/fonts/${encodeURIComponent('Metropolis Bold,Noto Sans Regular')}/0-255.pbf`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/x-protobuf');
    assert.equal(r.headers['cache-control'], 'public, max-age=86400');
    assert.match(String(r.headers.etag), /^"/);
    assert.ok(decodeGlyphRange(r.body).glyphs.some((g) => g.id === 65));
  });

  it('sends glyphs gzipped to clients that accept gzip', async () => {
    const url = `${server.url}/fonts/Noto%20Sans%20Regular/0-255.pbf`;
    const gz = await request(url, { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.deepEqual(zlib.gunzipSync(gz.body), (await request(url)).body);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const url = `${server.url}/fonts/Noto%20Sans%20Bold/0-255.pbf`;
    const first = await request(url);
    const again = await request(url, { headers: { 'If-None-Match': String(first.headers.etag) } });
    assert.equal(again.status, 304);
  });

  it('answers 200 with an empty range where no font has glyphs (never 404)', async () => {
    const r = await request(`${server.url}/fonts/Noto%20Sans%20Regular/19968-20223.pbf`);
    assert.equal(r.status, 200);
    assert.equal(decodeGlyphRange(r.body).glyphs.length, 0);
  });

  for (const bad of ['..%2F..%2Fetc', 'Noto%2FSans', 'Noto..Sans']) {
    it(`rejects the font name ${bad} with 400`, async () => {
      const r = await request(`${server.url}/fonts/${bad}/0-255.pbf`);
      assert.equal(r.status, 400, r.text());
    });
  }

  it('rejects a malformed range with 400', async () => {
    assert.equal((await request(`${server.url}/fonts/Noto%20Sans%20Regular/0-999.pbf`)).status, 400);
    assert.equal((await request(`${server.url}/fonts/Noto%20Sans%20Regular/abc.pbf`)).status, 400);
  });

  it('lists fonts at /fonts.json', async () => {
    const r = await request(`${server.url}/fonts.json`);
    assert.deepEqual(r.json(), ['Noto Sans Bold', 'Noto Sans Regular']);
  });

  it("serves an upstream style's own @2x sprite", async () => {
    const r = await request(`${server.url}/styles/osm-bright/sprite@2x.png`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'image/png');
    assert.deepEqual(r.body, fs.readFileSync(path.join(UPSTREAM_STYLES_DIR, 'osm-bright', 'sprite@2x.png')));
  });

  it('serves our sprite to a style without one', async () => {
    const r = await request(`${server.url}/styles/ours/sprite.json`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json() as object), ['ours']);
  });

  it('answers 404 for the sprite of an unknown style', async () => {
    assert.equal((await request(`${server.url}/styles/nope/sprite.json`)).status, 404);
  });

  it('serves the page, its scripts and MapLibre from node_modules', async () => {
    const page = await request(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    // relative, so the page works under a reverse proxy prefix
    assert.match(page.text(), /src="viewer\/index\.js"/);
    assert.equal((await request(`${server.url}/viewer/map.js`)).status, 200);
    assert.equal((await request(`${server.url}/viewer/style/osm-bright`)).status, 200);
    const js = await request(`${server.url}/maplibre-gl/maplibre-gl.mjs`);
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.equal((await request(`${server.url}/maplibre-gl/maplibre-gl.css`)).status, 200);
  });

  it('sends MapLibre gzipped to clients that accept gzip, plain to others', async () => {
    const gz = await request(`${server.url}/maplibre-gl/maplibre-gl.mjs`, { headers: { 'Accept-Encoding': 'gzip' } });
    const plain = await request(`${server.url}/maplibre-gl/maplibre-gl.mjs`);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(zlib.gunzipSync(gz.body), plain.body);
    assert.ok(gz.body.length < plain.body.length / 2);
  });

  it('serves no other file from the viewer or maplibre directories', async () => {
    assert.equal((await request(`${server.url}/maplibre-gl/package.json`)).status, 404);
    assert.equal((await request(`${server.url}/viewer/..%2F..%2Fpackage.json`)).status, 404);
    assert.equal((await request(`${server.url}/viewer/viewer_routes.ts`)).status, 404);
  });
});
