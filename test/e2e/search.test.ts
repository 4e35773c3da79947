/**
 * Place and street search over our own Mulhouse import: the index is built
 * from the archive's z14 tiles by the server itself, then queried as a Photon
 * client would.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load_config.js';
import { silentLogger } from '../../src/core/logger.js';
import { foldText } from '../../src/core/text_fold.js';
import { FEATURE_ROUTERS } from '../../src/server/feature_routers.js';
import { TuilerieServer } from '../../src/server/tuilerie_server.js';
import { tempDir } from '../helpers/paths.js';
import { request } from '../unit/server/http_client.js';
import { importMulhouse } from './ogc_fixtures.js';

interface PhotonFeature { geometry: { coordinates: [number, number] }; properties: Record<string, unknown> }

describe('search over a Mulhouse import (Photon answers) @slow', function () {
  let dir: string;
  let server: TuilerieServer;
  let url: string;

  const search = async (q: string, extra = ''): Promise<PhotonFeature[]> => {
    const r = await request(`${url}/search?q=${encodeURIComponent(q)}${extra}`);
    assert.equal(r.status, 200, r.text().slice(0, 300));
    const body = JSON.parse(r.text()) as { type: string; features: PhotonFeature[] };
    assert.equal(body.type, 'FeatureCollection');
    return body.features;
  };

  before(async () => {
    dir = tempDir('tuilerie-search-e2e-');
    const mbtiles = importMulhouse(dir);
    const config = loadConfig({ flags: { port: 0, host: '127.0.0.1', watch: false, sources: { mulhouse: { path: mbtiles } }, styles: {} } });
    server = new TuilerieServer({ config, logger: silentLogger, routers: FEATURE_ROUTERS.filter((r) => ['search', 'health'].includes(r.name)) });
    url = await server.start();
    // the index is built in a worker once the source is open: 503 with Retry-After until then
    const until = Date.now() + 240_000;
    for (;;) {
      const r = await request(`${url}/search?q=mulhouse`);
      if (r.status === 200) break;
      assert.equal(r.status, 503, r.text().slice(0, 300));
      assert.ok(r.headers['retry-after'], 'Retry-After while building');
      assert.ok(Date.now() < until, 'the index is built within 4 minutes');
      await new Promise((res) => setTimeout(res, 500));
    }
    assert.ok(fs.existsSync(path.join(dir, 'mulhouse.search.sqlite')), 'the index lives beside the archive');
  });
  after(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('"Mulhouse" finds the city first, as a Photon city with an extent', async () => {
    // the extract has no place=city node for Mulhouse: the commune is known by its town hall, as OSM's administrative unit
    const [first] = await search('Mulhouse');
    assert.deepEqual([first.properties.name, first.properties.type], ['Mulhouse', 'city']);
    assert.ok(['place', 'boundary'].includes(String(first.properties.osm_key)), String(first.properties.osm_key));
    const [lon, lat] = first.geometry.coordinates;
    assert.ok(Math.abs(lon - 7.34) < 0.05 && Math.abs(lat - 47.75) < 0.05, `${lon},${lat}`);
    assert.equal((first.properties.extent as number[]).length, 4);
  });

  it('"rue du sauvage" finds Rue du Sauvage, a street of Mulhouse, as one entry', async () => {
    const hits = await search('rue du sauvage');
    assert.equal(hits[0].properties.name, 'Rue du Sauvage');
    assert.deepEqual([hits[0].properties.type, hits[0].properties.osm_key, hits[0].properties.city], ['street', 'highway', 'Mulhouse']);
    assert.equal(hits.filter((h) => h.properties.name === 'Rue du Sauvage' && h.properties.type === 'street').length, 1, 'the street is merged across its tiles');
    const [w, n, e, s] = hits[0].properties.extent as number[];
    const [lon, lat] = hits[0].geometry.coordinates;
    assert.ok(w <= lon && lon <= e && s <= lat && lat <= n, 'the point lies in the extent');
  });

  it('accents and case are ignored, and words match by prefix', async () => {
    const exact = await search('Rue du Sauvage');
    for (const q of ['RUE DU SAUVAGE', 'rué dû sàuvage', 'rue du sauv', 'sauvage rue']) {
      const hits = await search(q);
      assert.equal(hits[0]?.properties.name, exact[0].properties.name, q);
    }
  });

  it('every hit holds every word of the query, in its names or its place', async () => {
    for (const q of ['avenue', 'place de', 'gare', 'rue d']) {
      for (const h of await search(q, '&limit=25')) {
        const text = foldText([h.properties.name, h.properties.street, h.properties.housenumber, h.properties.city, h.properties.district].filter(Boolean).join(' '));
        for (const w of foldText(q).split(' ')) assert.ok(text.split(' ').some((t) => t.startsWith(w)), `${q}: ${JSON.stringify(h.properties)}`);
      }
    }
  });

  it('limit caps the answer; lat/lon bias brings the nearest of same-named streets first', async () => {
    assert.equal((await search('rue', '&limit=3')).length, 3);
    const all = await search('rue', '&limit=50');
    const far = all[all.length - 1].geometry.coordinates;
    const biased = await search('rue', `&limit=50&lat=${far[1]}&lon=${far[0]}`);
    const d = (c: [number, number]) => Math.hypot(c[0] - far[0], c[1] - far[1]);
    assert.ok(d(biased[0].geometry.coordinates) <= d(all[0].geometry.coordinates), 'the biased first hit is nearer the bias point');
  });

  it('refuses a missing q and out-of-range numbers with 400', async () => {
    for (const q of ['', '?q=', '?q=x&limit=0', '?q=x&lat=91&lon=0', '?q=x&lat=47']) {
      const r = await request(`${url}/search${q}`);
      assert.equal(r.status, 400, `${q}: ${r.text()}`);
    }
  });
});
