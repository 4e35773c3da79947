import assert from 'node:assert/strict';
import express from 'express';
import { isTuilerieError, TuilerieError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { errorHandler, statusForCode } from '../../../src/server/error_mapping.js';
import { assertSafeName, parseTileCoords } from '../../../src/server/params.js';
import { Metrics } from '../../../src/server/metrics.js';
import { listen, request } from './http_client.js';

const badRequest = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => isTuilerieError(e, 'BAD_REQUEST') && pattern.test((e as Error).message));
const range = { minzoom: 0, maxzoom: 14 };

describe('params', () => {
  it('parses valid coordinates', () => assert.deepEqual(parseTileCoords({ z: '3', x: '7', y: '0' }, range), { z: 3, x: 7, y: 0 }));
  it('rejects a decimal', () => badRequest(() => parseTileCoords({ z: '3', x: '1.0', y: '0' }, range), /x must be/));
  it('rejects a leading zero', () => badRequest(() => parseTileCoords({ z: '03', x: '1', y: '0' }, range), /z must be/));
  it('rejects a zoom under the source minzoom', () => badRequest(() => parseTileCoords({ z: '1', x: '0', y: '0' }, { minzoom: 2, maxzoom: 5 }), /range 2–5/));
  it('names the range for a huge zoom', () => badRequest(() => parseTileCoords({ z: '99999999999', x: '0', y: '0' }, range), /zoom 99999999999 is outside/));
  it('rejects x = 2^z', () => badRequest(() => parseTileCoords({ z: '2', x: '4', y: '0' }, range), /0…3/));
  it('accepts a plain name', () => assert.equal(assertSafeName('Noto Sans Regular', 'font'), 'Noto Sans Regular'));
  it('rejects ..', () => badRequest(() => assertSafeName('..', 'font'), /invalid font name/));
  it('rejects a slash', () => badRequest(() => assertSafeName('a/b', 'sprite'), /invalid sprite name/));
  it('rejects a backslash', () => badRequest(() => assertSafeName('a\\b', 'sprite'), /invalid sprite name/));
});

describe('error_mapping', () => {
  it('maps NOT_FOUND to 404 and BAD_REQUEST to 400', () => {
    assert.equal(statusForCode('NOT_FOUND'), 404);
    assert.equal(statusForCode('BAD_REQUEST'), 400);
    assert.equal(statusForCode('OVERLOADED'), 503);
  });

  describe('over HTTP', () => {
    const app = express();
    app.get('/ours', () => { throw new TuilerieError('NOT_FOUND', 'no such thing'); });
    app.get('/bug', () => { throw new Error('secret internal detail at /srv/x.ts:12'); });
    app.get('/busy', () => { throw new TuilerieError('OVERLOADED', 'render queue full'); });
    app.use(errorHandler(silentLogger));

    it('sends our message and code for a TuilerieError', async () => {
      const l = await listen(app);
      try {
        const r = await request(l.url + '/ours');
        assert.equal(r.status, 404);
        assert.deepEqual(r.json(), { error: 'no such thing', code: 'NOT_FOUND' });
      } finally {
        await l.close();
      }
    });

    it('hides the message and stack of a bug', async () => {
      const l = await listen(app);
      try {
        const r = await request(l.url + '/bug');
        assert.equal(r.status, 500);
        assert.ok(!r.text().includes('secret'));
        assert.deepEqual(r.json(), { error: 'internal server error', code: 'INTERNAL' });
      } finally {
        await l.close();
      }
    });

    it('adds Retry-After to 503', async () => {
      const l = await listen(app);
      try {
        const r = await request(l.url + '/busy');
        assert.equal(r.status, 503);
        assert.equal(r.headers['retry-after'], '5');
      } finally {
        await l.close();
      }
    });
  });
});

describe('Metrics', () => {
  it('renders counters, histogram buckets and collectors in Prometheus text', () => {
    const m = new Metrics();
    m.observe('/data/:id.json', 200, 0.003, 100);
    m.observe('/data/:id.json', 200, 0.2, 50);
    m.addCollector(() => [{ name: 'x_total', help: 'x', type: 'counter', value: 7 }]);
    const text = m.render();
    assert.match(text, /tuilerie_http_requests_total\{route="\/data\/:id.json",status="200"\} 2/);
    assert.match(text, /tuilerie_http_request_duration_seconds_bucket\{route="\/data\/:id.json",le="0.005"\} 1/);
    assert.match(text, /tuilerie_http_request_duration_seconds_bucket\{route="\/data\/:id.json",le="0.25"\} 2/);
    assert.match(text, /tuilerie_http_response_bytes_total\{route="\/data\/:id.json"\} 150/);
    assert.match(text, /# TYPE x_total counter\nx_total 7/);
  });

  it('escapes quotes in label values', () => {
    const m = new Metrics();
    m.observe('a"b', 200, 0, 0);
    assert.match(m.render(), /route="a\\"b"/);
  });
});
