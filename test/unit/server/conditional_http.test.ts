import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import express from 'express';
import type { Request } from 'express';
import { acceptsGzip, etagMatches, sendEmptyTile, sendJson, sendRepresentation, type Representation } from '../../../src/server/conditional_http.js';
import { strongEtag } from '../../../src/cache/etag.js';
import { listen, request, type Listening } from './http_client.js';

const fakeReq = (acceptEncoding?: string) => ({ headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }) as unknown as Request;

describe('conditional_http', () => {
  describe('etagMatches', () => {
    it('matches the same strong tag', () => assert.equal(etagMatches('"abc"', '"abc"'), true));
    it('matches a weak tag against a strong one (weak comparison)', () => assert.equal(etagMatches('W/"abc"', '"abc"'), true));
    it('matches a tag inside a list', () => assert.equal(etagMatches('"x", W/"y", "abc"', '"abc"'), true));
    it('matches *', () => assert.equal(etagMatches('*', '"abc"'), true));
    it('does not match a different tag', () => assert.equal(etagMatches('"abd"', '"abc"'), false));
    it('does not match without a header', () => assert.equal(etagMatches(undefined, '"abc"'), false));
    it('does not match a tag that is a prefix of the list text', () => assert.equal(etagMatches('"abc-1"', '"abc"'), false));
  });

  describe('acceptsGzip', () => {
    it('takes gzip when listed', () => assert.equal(acceptsGzip(fakeReq('gzip, deflate, br')), true));
    it('refuses gzip with q=0', () => assert.equal(acceptsGzip(fakeReq('gzip;q=0, deflate')), false));
    it('takes gzip through *', () => assert.equal(acceptsGzip(fakeReq('*')), true));
    it('refuses gzip excluded explicitly despite *', () => assert.equal(acceptsGzip(fakeReq('*, gzip;q=0')), false));
    it('refuses gzip without the header', () => assert.equal(acceptsGzip(fakeReq()), false));
    it('refuses gzip when only identity is listed', () => assert.equal(acceptsGzip(fakeReq('identity')), false));
  });

  describe('responses', () => {
    const payload = Buffer.from('a vector tile payload '.repeat(20));
    const gz = zlib.gzipSync(payload);
    const rep: Representation = { data: gz, encoding: 'gzip', etag: strongEtag(gz) };
    let server: Listening;

    before(async () => {
      const app = express();
      app.set('etag', false);
      app.get('/t', async (req, res) => sendRepresentation(req, res, rep, { contentType: 'application/x-protobuf', cacheControl: 'public, max-age=5' }));
      app.get('/j', async (req, res) => sendJson(req, res, { a: 1 }, { cacheControl: 'public, max-age=7' }));
      app.get('/e204', (req, res) => sendEmptyTile(req, res, { status: 204, cacheControl: 'public, max-age=9' }));
      app.get('/e404', (req, res) => sendEmptyTile(req, res, { status: 404, cacheControl: 'public, max-age=9' }));
      server = await listen(app);
    });
    after(() => server.close());

    it('passes stored gzip through untouched to a client accepting gzip', async () => {
      const r = await request(server.url + '/t', { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-encoding'], 'gzip');
      assert.deepEqual(r.body, gz);
      assert.equal(r.headers.etag, rep.etag);
    });

    it('decompresses for a client without gzip, with a different ETag', async () => {
      const r = await request(server.url + '/t');
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-encoding'], undefined);
      assert.deepEqual(r.body, payload);
      assert.notEqual(r.headers.etag, rep.etag);
      assert.equal(r.headers.etag, strongEtag(payload));
    });

    it('sets Vary: Accept-Encoding and Cache-Control', async () => {
      const r = await request(server.url + '/t', { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(r.headers.vary, 'Accept-Encoding');
      assert.equal(r.headers['cache-control'], 'public, max-age=5');
    });

    it('answers 304 with no body for a matching If-None-Match', async () => {
      const r = await request(server.url + '/t', { headers: { 'accept-encoding': 'gzip', 'if-none-match': rep.etag } });
      assert.equal(r.status, 304);
      assert.equal(r.body.length, 0);
      assert.equal(r.headers.etag, rep.etag);
    });

    it('answers 200 when the If-None-Match tag is of the other encoding', async () => {
      const r = await request(server.url + '/t', { headers: { 'if-none-match': rep.etag } });
      assert.equal(r.status, 200);
    });

    it('answers HEAD with headers and no body', async () => {
      const r = await request(server.url + '/t', { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-length'], String(gz.length));
      assert.equal(r.body.length, 0);
    });

    it('gives JSON a content ETag and honours If-None-Match', async () => {
      const first = await request(server.url + '/j');
      assert.equal(first.headers['cache-control'], 'public, max-age=7');
      const second = await request(server.url + '/j', { headers: { 'if-none-match': String(first.headers.etag) } });
      assert.equal(second.status, 304);
    });

    it('answers an empty tile with 204 and no body', async () => {
      const r = await request(server.url + '/e204');
      assert.equal(r.status, 204);
      assert.equal(r.body.length, 0);
    });

    it('answers an empty tile with 404 when configured', async () => {
      const r = await request(server.url + '/e404');
      assert.equal(r.status, 404);
    });
  });
});
