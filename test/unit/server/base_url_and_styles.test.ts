import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Request } from 'express';
import { baseUrl } from '../../../src/server/base_url.js';
import { StyleRegistry } from '../../../src/server/style_registry.js';
import { silentLogger } from '../../../src/core/logger.js';
import { isTuilerieError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/paths.js';

const req = (headers: Record<string, string>) => ({ headers, socket: {} }) as unknown as Request;

describe('baseUrl', () => {
  it('prefers the configured publicUrl', () => assert.equal(baseUrl(req({ host: 'a:1' }), 'https://t.example.org'), 'https://t.example.org'));
  it('uses the Host header', () => assert.equal(baseUrl(req({ host: 'localhost:8080' }), ''), 'http://localhost:8080'));
  it('uses X-Forwarded-Proto, -Host and -Prefix', () => {
    assert.equal(baseUrl(req({ host: 'internal:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'maps.example.org', 'x-forwarded-prefix': '/tiles/' }), ''), 'https://maps.example.org/tiles');
  });
  it('takes the first of a forwarded list', () => {
    assert.equal(baseUrl(req({ 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'a.example.org, b' }), ''), 'https://a.example.org');
  });
  it('ignores an unknown forwarded scheme', () => assert.equal(baseUrl(req({ host: 'h', 'x-forwarded-proto': 'javascript' }), ''), 'http://h'));
});

describe('StyleRegistry', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('serves a style under its id and its aliases', async () => {
    const reg = new StyleRegistry(silentLogger);
    await reg.add('bright', { path: write('s.json', '{"version":8,"sources":{},"layers":[]}'), aliases: ['osm-bright'], source: '' });
    assert.equal(reg.require('osm-bright').id, 'bright');
  });

  it('skips a file that is not a style', async () => {
    const reg = new StyleRegistry(silentLogger);
    assert.equal(await reg.add('x', { path: write('x.json', '{"version":8}'), aliases: [], source: '' }), false);
    assert.throws(() => reg.require('x'), (e: unknown) => isTuilerieError(e, 'NOT_FOUND'));
  });

  it('re-reads styles on reloadAll, with a new generation', async () => {
    const reg = new StyleRegistry(silentLogger);
    const p = write('s.json', '{"version":8,"name":"one","sources":{},"layers":[]}');
    await reg.add('s', { path: p, aliases: [], source: '' });
    const g = reg.require('s').generation;
    fs.writeFileSync(p, '{"version":8,"name":"two","sources":{},"layers":[]}');
    await reg.reloadAll();
    assert.equal(reg.require('s').style.name, 'two');
    assert.ok(reg.require('s').generation > g);
  });
});
