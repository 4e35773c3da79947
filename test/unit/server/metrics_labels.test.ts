/** Requests of routes declared with regular expressions (WMTS RESTful tiles, raster tiles, plans) are counted under their pattern, not "unmatched". */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Metrics, labelledRoute, regexRouteLabel } from '../../../src/server/metrics.js';
import { request } from './http_client.js';

describe('metrics route labels', () => {
  it('turns an unlabelled regular expression into a readable pattern', () => {
    assert.equal(regexRouteLabel(/^\/plans\/([^/]+)\/plan\.(pdf|png|svg)$/), '/plans/:1/plan.:2');
    assert.equal(regexRouteLabel(/^\/a[()]\/(?:b\/)?(\d+)$/), '/a…/(…)?:1');
  });

  it('counts regex, labelled regex and array routes by pattern; only unknown URLs are unmatched', async () => {
    const metrics = new Metrics();
    const app = express();
    app.use(metrics.middleware());
    const router = express.Router();
    const wmts = labelledRoute(/^\/wmts\/1\.0\.0\/([^/]+)\/([^/.]+)\.(png)$/, '/wmts/1.0.0/:layer/:tile.:fmt');
    router.get(wmts, (_req, res) => { res.send('tile'); });
    router.get(/^\/plans\/([^/]+)\/plan\.(pdf|png)$/, (_req, res) => { res.send('plan'); });
    router.get(['/route/v1', '/route/v1/:profile'], (_req, res) => { res.send('help'); });
    app.use('/', router);
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const p of ['/wmts/1.0.0/bright/1.png', '/wmts/1.0.0/dark/2.png', '/plans/x/plan.pdf', '/route/v1/driving', '/nope']) await request(url + p);
    } finally {
      await new Promise((r) => server.close(r));
    }
    const text = metrics.render();
    assert.match(text, /tuilerie_http_requests_total\{route="\/wmts\/1\.0\.0\/:layer\/:tile\.:fmt",status="200"\} 2/);
    assert.match(text, /tuilerie_http_requests_total\{route="\/plans\/:1\/plan\.:2",status="200"\} 1/);
    assert.match(text, /tuilerie_http_requests_total\{route="\/route\/v1\|…",status="200"\} 1/);
    assert.match(text, /tuilerie_http_requests_total\{route="unmatched",status="404"\} 1/);
  });
});
