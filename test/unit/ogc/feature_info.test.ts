import assert from 'node:assert/strict';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { EARTH_CIRCUMFERENCE, lonLatToMercator, xToLon, yToLat } from '../../../src/core/tile_math.js';
import { crsByCode } from '../../../src/ogc/crs.js';
import { queryFeatures, queryPointOf, type QueryPoint, type VectorTileReader } from '../../../src/ogc/feature_info.js';
import { encodeMvt, type MvtLayer } from '../../../src/tiling/mvt_encoder.js';

const Z = 14, TX = 8525, TY = 5711, E = 4096;

const ring = (x0: number, y0: number, x1: number, y1: number) => Int32Array.from([x0, y0, x1, y0, x1, y1, x0, y1]);

/** One z14 tile: a landuse square over all of it, a building with a courtyard, a road, two POIs, an undrawn house number. */
function tileLayers(): MvtLayer[] {
  return [
    { name: 'landuse', features: [{ type: 3, geometry: [ring(0, 0, E, E)], properties: { class: 'residential' } }] },
    { name: 'building', features: [{ id: 42, type: 3, geometry: [ring(1000, 1000, 2000, 2000), ring(1400, 1400, 1600, 1600)], ringsPerPolygon: [2], properties: { render_height: 12 } }] },
    { name: 'transportation', features: [{ type: 2, geometry: [Int32Array.from([0, 3000, E, 3000])], properties: { class: 'minor' } }] },
    { name: 'transportation_name', features: [{ type: 2, geometry: [Int32Array.from([0, 3000, E, 3000])], properties: { name: 'Rue des Tests', class: 'minor' } }] },
    {
      name: 'poi',
      features: [
        { id: 7, type: 1, geometry: [Int32Array.from([3000, 1000])], properties: { name: 'Café <du> Coin & Co', class: 'cafe', 'name:de': 'Eckcafé' } },
        { id: 8, type: 1, geometry: [Int32Array.from([3400, 1000])], properties: { name: 'Banque', class: 'bank' } },
      ],
    },
    { name: 'housenumber', features: [{ type: 1, geometry: [Int32Array.from([1500, 1200])], properties: { housenumber: '12' } }] },
  ];
}

function style(extraLayers: Array<Record<string, unknown>> = []): Record<string, unknown> {
  return {
    version: 8,
    sources: { omt: { type: 'vector', url: 'mbtiles://test' }, pin: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } },
    layers: [
      { id: 'bg', type: 'background' },
      { id: 'landuse', type: 'fill', source: 'omt', 'source-layer': 'landuse' },
      { id: 'road', type: 'line', source: 'omt', 'source-layer': 'transportation' },
      { id: 'building', type: 'fill', source: 'omt', 'source-layer': 'building', minzoom: 13 },
      { id: 'road-name', type: 'symbol', source: 'omt', 'source-layer': 'transportation_name', filter: ['has', 'name'] },
      { id: 'poi-cafe', type: 'symbol', source: 'omt', 'source-layer': 'poi', filter: ['==', 'class', 'cafe'] },
      { id: 'pin', type: 'circle', source: 'pin' },
      ...extraLayers,
    ],
  };
}

function reader(layers = tileLayers(), range = { minzoom: 0, maxzoom: 14 }): VectorTileReader & { reads: string[] } {
  const bytes = encodeMvt(layers);
  const reads: string[] = [];
  return {
    reads,
    zoomRange: (source) => (source === 'omt' ? range : undefined),
    async tile(source, z, x, y) {
      reads.push(`${source}/${z}/${x}/${y}`);
      return source === 'omt' && z === Z && x === TX && y === TY ? new VectorTile(new PbfReader(bytes)) : undefined;
    },
  };
}

/** A click at tile units (ux, uy) of the test tile, the map drawn at MapLibre zoom `zoom` (15: 4 tile units a pixel). */
function at(ux: number, uy: number, zoom = 15): QueryPoint {
  const x = (TX + ux / E) / 2 ** Z, y = (TY + uy / E) / 2 ** Z;
  return { lon: xToLon(x), lat: yToLat(y), x, y, zoom, resolution: EARTH_CIRCUMFERENCE / (512 * 2 ** zoom) };
}

const layersOf = (hits: { sourceLayer: string }[]) => hits.map((h) => h.sourceLayer);

describe('GetFeatureInfo hit test on a synthetic tile', () => {
  it('a click in a building lists it above the landuse it stands on, with its id and attributes', async () => {
    const hits = await queryFeatures(style(), at(1200, 1200), { reader: reader(), featureCount: 10 });
    assert.deepEqual(layersOf(hits), ['building', 'landuse']);
    assert.deepEqual([hits[0].id, hits[0].properties, hits[0].styleLayers], [42, { render_height: 12 }, ['building']]);
  });

  it('a click in the courtyard (a hole of the building) only hits the landuse', async () => {
    const hits = await queryFeatures(style(), at(1500, 1500), { reader: reader(), featureCount: 10 });
    assert.deepEqual(layersOf(hits), ['landuse']);
  });

  it('a click 3.75 px from a road hits the road and its name before the polygons, the name (drawn above) first', async () => {
    const hits = await queryFeatures(style(), at(2500, 3015), { reader: reader(), featureCount: 10 });
    assert.deepEqual(layersOf(hits), ['transportation_name', 'transportation', 'landuse']);
    assert.equal(hits[0].properties.name, 'Rue des Tests');
  });

  it('a click 6 px from a road (past the 5 px line tolerance) misses it', async () => {
    const hits = await queryFeatures(style(), at(2500, 3024), { reader: reader(), featureCount: 10 });
    assert.deepEqual(layersOf(hits), ['landuse']);
  });

  it('a point within 8 px is hit first; one past 8 px is not', async () => {
    assert.deepEqual(layersOf(await queryFeatures(style(), at(3030, 1000), { reader: reader(), featureCount: 10 })), ['poi', 'landuse']);
    assert.deepEqual(layersOf(await queryFeatures(style(), at(3034, 1000), { reader: reader(), featureCount: 10 })), ['landuse']);
  });

  it('FEATURE_COUNT 1 keeps only the topmost hit', async () => {
    const hits = await queryFeatures(style(), at(3000, 1000), { reader: reader(), featureCount: 1 });
    assert.deepEqual(layersOf(hits), ['poi']);
    assert.equal(hits[0].properties.name, 'Café <du> Coin & Co');
  });

  it('the style filter decides: a bank POI no layer draws is not hit', async () => {
    const hits = await queryFeatures(style(), at(3400, 1000), { reader: reader(), featureCount: 10 });
    assert.deepEqual(layersOf(hits), ['landuse']);
  });

  it('a source-layer the style does not draw (house numbers) is never hit', async () => {
    const hits = await queryFeatures(style(), at(1500, 1200), { reader: reader(), featureCount: 10 });
    assert.ok(!layersOf(hits).includes('housenumber'), layersOf(hits).join());
  });

  it('layers outside their zoom range or hidden are not drawn, hence not hit', async () => {
    const s = style([
      { id: 'housenumber', type: 'symbol', source: 'omt', 'source-layer': 'housenumber', minzoom: 17 },
      { id: 'bank', type: 'symbol', source: 'omt', 'source-layer': 'poi', layout: { visibility: 'none' } },
    ]);
    assert.deepEqual(layersOf(await queryFeatures(s, at(1500, 1200), { reader: reader(), featureCount: 10 })), ['building', 'landuse']);
    assert.deepEqual(layersOf(await queryFeatures(s, at(1500, 1200, 17.5), { reader: reader(), featureCount: 10 })).slice(0, 1), ['housenumber']);
    assert.deepEqual(layersOf(await queryFeatures(s, at(3400, 1000), { reader: reader(), featureCount: 10 })), ['landuse']);
  });

  it('the building (minzoom 13) is not drawn at zoom 12.5', async () => {
    const hits = await queryFeatures(style(), at(1200, 1200, 12.5), { reader: reader(), featureCount: 10 });
    assert.ok(!layersOf(hits).includes('building'));
  });

  it('reads the z14 tile when overzoomed (map at zoom 18.3) and the z12 tile at zoom 12.5', async () => {
    const r = reader();
    await queryFeatures(style(), at(1200, 1200, 18.3), { reader: r, featureCount: 1 });
    await queryFeatures(style(), at(1200, 1200, 12.5), { reader: r, featureCount: 1 });
    assert.deepEqual(r.reads, [`omt/14/${TX}/${TY}`, `omt/12/${TX >> 2}/${TY >> 2}`]);
  });

  it('a tile the archive lacks, or a source we do not serve, gives no hits', async () => {
    assert.deepEqual(await queryFeatures(style(), at(1200, 1200, 12.5), { reader: reader(), featureCount: 10 }), []);
    const none: VectorTileReader = { zoomRange: () => undefined, tile: async () => assert.fail('no tile read for an unserved source') };
    assert.deepEqual(await queryFeatures(style(), at(1200, 1200), { reader: none, featureCount: 10 }), []);
  });

  it('returns geometry in lon/lat: the POI where its tile units say', async () => {
    const [hit] = await queryFeatures(style(), at(3000, 1000), { reader: reader(), featureCount: 1 });
    assert.equal(hit.geometry.type, 'Point');
    const [lon, lat] = (hit.geometry as { coordinates: number[] }).coordinates;
    const x = (TX + 3000 / E) / 2 ** Z, y = (TY + 1000 / E) / 2 ** Z;
    assert.ok(Math.abs(lon - xToLon(x)) < 1e-6 && Math.abs(lat - yToLat(y)) < 1e-6, `${lon},${lat}`);
  });

  it('returns the building as a polygon with its hole', async () => {
    const [hit] = await queryFeatures(style(), at(1200, 1200), { reader: reader(), featureCount: 1 });
    assert.equal(hit.geometry.type, 'Polygon');
    assert.equal((hit.geometry as { coordinates: unknown[] }).coordinates.length, 2);
  });
});

describe('GetFeatureInfo query point', () => {
  it('a Web Mercator click: the pixel centre, its resolution and the MapLibre zoom', () => {
    const [mx, my] = lonLatToMercator(7.3374, 47.7525);
    const res = EARTH_CIRCUMFERENCE / (512 * 2 ** 17);
    const bbox: [number, number, number, number] = [mx - 10.5 * res, my - 19.5 * res, mx + 9.5 * res, my + 10.5 * res];
    const p = queryPointOf({ crs: crsByCode('EPSG:3857'), bbox, width: 20, height: 30, i: 10, j: 10 })!;
    assert.ok(Math.abs(p.lon - 7.3374) < 1e-9 && Math.abs(p.lat - 47.7525) < 1e-9, `${p.lon},${p.lat}`);
    assert.ok(Math.abs(p.zoom - 17) < 1e-9, String(p.zoom));
  });

  it('a Lambert-93 click lands at the lon/lat of its projected pixel centre', () => {
    const l93 = crsByCode('EPSG:2154');
    const [x, y] = l93.fromLonLat(7.3374, 47.7525);
    const p = queryPointOf({ crs: l93, bbox: [x - 100.5, y - 99.5, x + 99.5, y + 100.5], width: 200, height: 200, i: 100, j: 100 })!;
    assert.ok(Math.abs(p.lon - 7.3374) < 1e-8 && Math.abs(p.lat - 47.7525) < 1e-8, `${p.lon},${p.lat}`);
    // 1 m Lambert-93 pixels are about 1/cos(47.75°) ≈ 1.49 Web Mercator metres (scale factor of both projections aside)
    assert.ok(p.resolution > 1.4 && p.resolution < 1.6, String(p.resolution));
  });

  it('a click beyond Web Mercator (EPSG:4326 near the pole) has no query point', () => {
    assert.equal(queryPointOf({ crs: crsByCode('EPSG:4326'), bbox: [0, 86, 1, 87], width: 10, height: 10, i: 5, j: 5 }), undefined);
  });
});
